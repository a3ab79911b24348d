/**
 * `ecsHandson.openConsole` (real AWS only): open the AWS console page of a resource in its region.
 *
 * Arguments (non-interactive): { arn: string, open?: boolean (default true) }.
 * Returns { url, opened } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import { clusterNameFromArn, idFromArn, revisionFromArn } from '../../../core/format';
import type { Command } from '../types';
import { argObject, invalid, isTreeNode, t } from './common';

/** The console URL of an ECS / ELBv2 ARN, or undefined for other ARNs. */
export function consoleUrl(arn: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, service, region, , resource] = m;
  const host = partition === 'aws-cn' ? `${region}.console.amazonaws.cn` : partition === 'aws-us-gov' ? 'console.amazonaws-us-gov.com' : `${region}.console.aws.amazon.com`;
  const ecs = `https://${host}/ecs/v2`;
  const q = `?region=${region}`;
  if (service === 'ecs') {
    const cluster = clusterNameFromArn(arn);
    if (resource.startsWith('cluster/')) return `${ecs}/clusters/${idFromArn(arn)}/services${q}`;
    if (resource.startsWith('service/') && cluster) return `${ecs}/clusters/${cluster}/services/${idFromArn(arn)}/health${q}`;
    if (resource.startsWith('task/') && cluster) return `${ecs}/clusters/${cluster}/tasks/${idFromArn(arn)}/configuration${q}`;
    if (resource.startsWith('task-definition/')) {
      const [family, rev] = revisionFromArn(arn).split(':');
      return `${ecs}/task-definitions/${family}/${rev}/containers${q}`;
    }
    if (resource.startsWith('container-instance/') && cluster) return `${ecs}/clusters/${cluster}/infrastructure${q}`;
    return undefined;
  }
  if (service === 'elasticloadbalancing') {
    const ec2 = `https://${host}/ec2/home${q}`;
    if (resource.startsWith('loadbalancer/')) return `${ec2}#LoadBalancer:loadBalancerArn=${encodeURIComponent(arn)}`;
    if (resource.startsWith('targetgroup/')) return `${ec2}#TargetGroup:targetGroupArn=${encodeURIComponent(arn)}`;
  }
  return undefined;
}

export const openConsole: Command = {
  id: 'ecsHandson.openConsole',
  run: async (s, arg) => {
    const a = argObject<{ arn: string; open?: boolean }>(arg);
    const arn = a ? a.arn : isTreeNode(arg) ? arg.resource : undefined;
    if (!s.connections.isRealAws) return invalid(t('The AWS console shows resources of a real AWS account; connect an AWS profile first.'));
    if (typeof arn !== 'string' || !arn) return invalid(t('Select a resource in the ECS explorer to open it in the AWS console.'));
    const url = consoleUrl(arn);
    if (!url) return invalid(t('No AWS console page is known for {0}.', arn));
    const opened = a?.open === false ? false : await vscode.env.openExternal(vscode.Uri.parse(url));
    return { url, opened };
  },
};
