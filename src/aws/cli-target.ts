/**
 * Where the AWS CLI commands of an action go (cli-script.ts): the connection's profile, region and
 * endpoints, as `--profile`, `--region` and `--endpoint-url`.
 */
import type { CliTarget } from './cli-script';
import type { ResolvedConnection, ServiceKey } from './resolve';

/** The AWS CLI profile the sandbox writes its keys to (src/sandbox/credentials.ts PROFILE_NAME). */
export const SANDBOX_CLI_PROFILE = 'ecs-handson-sandbox';

/** The connection's key of each client's service (the client's name without "Client"). */
const SERVICE_KEYS: Record<string, ServiceKey> = {
  ECS: 'ecs',
  EC2: 'ec2',
  ElasticLoadBalancingV2: 'elbv2',
  ApplicationAutoScaling: 'applicationAutoScaling',
  CloudWatch: 'cloudWatch',
  AutoScaling: 'autoScaling',
  SSM: 'ssm',
  IAM: 'iam',
  CloudWatchLogs: 'logs',
  STS: 'sts',
};

/**
 * The CLI options of a resolved connection: the sandbox's profile and endpoint; an AWS profile's
 * name, region and configured endpoints (an old CLI reads no `endpoint_url` from the profile, so
 * they are given); an endpoint called with its own keys has no profile (the keys go in
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, never into a command line).
 */
export function cliTarget(resolved: Pick<ResolvedConnection, 'connection' | 'profile' | 'region' | 'endpoints'>): CliTarget {
  const profile = resolved.connection.kind === 'sandbox' ? SANDBOX_CLI_PROFILE : resolved.profile;
  return {
    ...(profile ? { profile } : {}),
    region: resolved.region,
    endpointUrl: (service) => {
      const key = SERVICE_KEYS[service];
      return key ? resolved.endpoints[key] : undefined;
    },
  };
}
