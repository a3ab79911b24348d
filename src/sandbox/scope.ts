/**
 * The sandbox's scope, in the words its refusals use: each served service's name (by SigV4 signing
 * name), and the messages for an operation it does not implement and for a service it does not
 * serve at all. `scripts/sandbox-scope.ts` writes the scope table of src/sandbox/README.md from
 * the same names and the registry.
 */

/** Served services by signing name, as AWS names them. */
export const SERVICE_TITLES: Readonly<Record<string, string>> = {
  ecs: 'Amazon ECS',
  ec2: 'Amazon EC2',
  ssm: 'AWS Systems Manager (SSM)',
  iam: 'AWS IAM',
  sts: 'AWS STS',
  elasticloadbalancing: 'Elastic Load Balancing (v2)',
  monitoring: 'Amazon CloudWatch',
  'application-autoscaling': 'Application Auto Scaling',
  autoscaling: 'Amazon EC2 Auto Scaling',
  logs: 'Amazon CloudWatch Logs',
};

export const SCOPE_DOC = 'src/sandbox/README.md';

export const serviceTitle = (signingName: string): string => SERVICE_TITLES[signingName] ?? signingName;

/** For an operation of a served service that the sandbox does not implement. */
export const operationNotServed = (operation: string, signingName: string): string =>
  `The ECS Hands-on sandbox does not serve ${operation} of ${serviceTitle(signingName)} (what it serves: the scope table in ${SCOPE_DOC}).`;

/** For a request to a service the sandbox does not serve at all. */
export const serviceNotServed = (service: string): string =>
  `The ECS Hands-on sandbox does not serve the service '${service}'; it serves ${Object.values(SERVICE_TITLES).join(', ')} (the scope table in ${SCOPE_DOC}).`;
