/**
 * The "target from a row" step: before a command acts on the tree row it was invoked on, the row's
 * resource is looked up once. When it is gone (stopped and forgotten, deleted, deregistered), the
 * command says so — "Task 1eba2381 no longer exists." — instead of acting on something else or
 * asking which one.
 */
import type { AwsClients } from '../../aws';
import { CommandError } from '../../core/commands/failure';
import { elbNameFromArn, idFromArn, revisionFromArn, shortId } from '../../core/format';
import type { TreeNode } from '../../core/tree-types';
import { loadAws } from '../aws-loader';
import { t } from '../l10n';

/** AWS codes that mean "no such resource" (the lookup itself worked). */
const NOT_FOUND = /NotFound|^ClientException$|^InvalidParameterException$/;

/** Whether the row's resource still exists; undefined when this kind of row is not looked up. */
export async function rowResourceExists(c: AwsClients, node: TreeNode): Promise<boolean | undefined> {
  const aws = loadAws();
  const arn = node.resource;
  if (!arn) return undefined;
  const cluster = node.context?.clusterArn;
  try {
    switch (node.kind) {
      case 'task':
        return cluster ? (await aws.describeTasks(c.ecs, cluster, [arn])).items.length > 0 : undefined;
      case 'service': {
        if (!cluster) return undefined;
        const { items } = await aws.describeServices(c.ecs, cluster, [node.context?.serviceName || arn]);
        return items.some((sv) => sv.status === 'ACTIVE');
      }
      case 'cluster':
        return (await aws.describeClusters(c.ecs, [arn])).items.some((cl) => cl.status !== 'INACTIVE');
      case 'containerInstance':
        return cluster ? (await aws.describeContainerInstances(c.ecs, cluster, [arn])).items.some((ci) => ci.status !== 'INACTIVE') : undefined;
      case 'taskDefinitionRevision':
        return !!(await aws.describeTaskDefinition(c.ecs, node.context?.taskDefinitionArn ?? arn)).taskDefinition;
      case 'loadBalancer':
        return (await aws.describeLoadBalancers(c.elbv2, [arn])).length > 0;
      case 'targetGroup':
        return (await aws.describeTargetGroups(c.elbv2, { arns: [arn] })).length > 0;
      default:
        return undefined;
    }
  } catch (e) {
    if (NOT_FOUND.test(aws.mapAwsError(e).code)) return false;
    throw e;
  }
}

/** "Task 1eba2381", "Service demo-service", … as the message names the row's resource. */
export function rowResourceName(node: TreeNode): string {
  const arn = node.resource ?? '';
  switch (node.kind) {
    case 'task':
      return t('Task {0}', shortId(arn));
    case 'service':
      return t('Service {0}', node.context?.serviceName || idFromArn(arn));
    case 'cluster':
      return t('Cluster {0}', idFromArn(arn));
    case 'containerInstance':
      return t('Container instance {0}', node.label);
    case 'taskDefinitionRevision':
      return t('Task definition {0}', revisionFromArn(node.context?.taskDefinitionArn ?? arn));
    case 'loadBalancer':
      return t('Load balancer {0}', elbNameFromArn(arn));
    case 'targetGroup':
      return t('Target group {0}', elbNameFromArn(arn));
    default:
      return node.label;
  }
}

/** Throws `NotFound` ("Task 1eba2381 no longer exists.") when the row's resource is gone. */
export async function requireRowResource(c: AwsClients, node: TreeNode): Promise<void> {
  if ((await rowResourceExists(c, node)) === false) throw new CommandError(t('{0} no longer exists.', rowResourceName(node)), 'NotFound');
}
