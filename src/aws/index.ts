/**
 * The single entry of the AWS layer. The UI loads it lazily (`await import('../aws')`, bundled
 * separately), so the SDK is not loaded at activation.
 */
export * from './clients';
export * from './resolve';
export * from './errors';
export * from './batch';
export * from './list';
export * from './describe';
export * from './describe-elb';
export * from './explorer';
/** SDK command classes of the "create" commands (cluster, task definition, load balancer, service). */
export * from './commands';
/** SDK command classes of the "operate" commands, as one namespace (avoids clashes with ./commands). */
export * as operateSdk from './commands-operate';
export * from './walkthrough-snapshot';
/** Clean Up: discovery (what the hands-on created) and deletion in dependency order. */
export * from './cleanup';
export * from './cleanup-discover';
export * from './delete-service';
export * from './load-balancer-url';
/** The IAM roles ECS needs (instance profile, service-linked role, task execution role): check, create, explain. */
export * from './iam-roles';
/** Task logs (CloudWatch Logs, the awslogs driver): targets, streams, following, the console URL. */
export * from './logs';
/** The AWS CLI behind every click: the calls an action made (recorder) and their CLI equivalent (translator). */
export * from './cli-record';
export * from './cli-script';
export * from './cli-target';
