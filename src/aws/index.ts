/**
 * The single entry of the AWS layer. The UI loads it lazily (`await import('../aws')`, bundled
 * separately), so the SDK is not loaded at activation.
 */
export * from './clients';
export * from './errors';
export * from './batch';
export * from './list';
export * from './describe';
export * from './describe-elb';
export * from './explorer';
