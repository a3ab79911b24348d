/**
 * What every Application Auto Scaling operation reads the same way: the service namespace (the
 * sandbox serves `ecs`), an ECS service's resource id and scalable dimension, and the scope the
 * scaling code works in.
 */
import { appScalingFields as f } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import type { AlarmScope } from './alarms';
import { DIMENSION, NAMESPACE, parseServiceResourceId } from './model';

const NAMESPACES = [
  'ecs', 'elasticmapreduce', 'ec2', 'appstream', 'dynamodb', 'rds', 'sagemaker', 'custom-resource',
  'comprehend', 'lambda', 'cassandra', 'kafka', 'elasticache', 'neptune', 'workspaces',
] as const;

/** ServiceNamespace: AWS's enum; the sandbox serves `ecs` only. */
export function namespace(input: { ServiceNamespace?: string }): string {
  const ns = f.oneOf(input.ServiceNamespace, 'ServiceNamespace', NAMESPACES, { required: true });
  if (ns !== NAMESPACE) {
    f.fail(`The sandbox supports Application Auto Scaling for Amazon ECS services only (ServiceNamespace 'ecs'), not '${ns}'.`);
  }
  return ns;
}

/** ResourceId + ScalableDimension of an ECS service, checked for shape. */
export function resource(input: { ResourceId?: string; ScalableDimension?: string }): { resourceId: string; dimension: string } {
  const resourceId = f.str(input.ResourceId, 'ResourceId', { required: true, min: 1 });
  const dimension = f.str(input.ScalableDimension, 'ScalableDimension', { required: true, min: 1 });
  if (dimension !== DIMENSION || !parseServiceResourceId(resourceId)) f.fail('Unsupported service namespace, resource type or scalable dimension');
  return { resourceId, dimension };
}

export const scope = (ctx: RequestContext): AlarmScope => ({ engine: ctx.engine, rs: ctx.state, now: ctx.now });

export const notRegistered = (ns: string, resourceId: string, dim: string): never => {
  throw new AwsError(
    'ObjectNotFoundException',
    `No scalable target registered for service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dim}`,
  );
};

/** A page of a Describe operation: MaxResults 1–50. */
export const pageSize = (v: number | undefined): number => f.int(v, 'MaxResults', { min: 1, max: 50 }) ?? 50;
