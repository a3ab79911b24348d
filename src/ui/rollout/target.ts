/** Which service `ecsHandson.rollout.show` is about, from what VS Code passes it. Pure (no vscode). */
import { clusterNameFromArn, idFromArn } from '../../core/format';

/** A service target from what VS Code passes: a tree node, `{clusterArn, serviceName}`, or nothing. */
export function targetFromArg(arg: unknown): { cluster: string; serviceName: string } | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { clusterArn?: unknown; serviceName?: unknown; cluster?: unknown; context?: Record<string, unknown>; resource?: unknown; id?: unknown; kind?: unknown };
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const ctx = a.context ?? {};
  const cluster = str(ctx.clusterArn) ?? str(a.clusterArn) ?? str(a.cluster);
  const service = str(ctx.serviceName) ?? str(a.serviceName) ?? str(ctx.serviceArn);
  if (cluster && service) return { cluster, serviceName: idFromArn(service) };
  // A service node's resource is the service ARN; a deployment node's id contains its service's.
  const serviceArn =
    (a.kind === 'service' ? str(a.resource) : undefined) ??
    /service:(arn:[^:]+:ecs:[^:]*:[^:]*:service\/[^/]+\/[^/]+)/.exec(str(a.id) ?? '')?.[1];
  const clusterName = clusterNameFromArn(serviceArn);
  if (serviceArn && clusterName) return { cluster: cluster ?? clusterName, serviceName: idFromArn(serviceArn) };
  return undefined;
}
