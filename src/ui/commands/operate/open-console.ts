/**
 * `ecsHandson.openConsole` (real AWS only): open the AWS console page of a resource in its region.
 *
 * Arguments (`OpenConsoleArgs`): { arn: string, open?: boolean (default true) }.
 * Returns { url, opened } or `{ error, code }`.
 */
import * as vscode from 'vscode';
import type { OpenConsoleArgs } from '../../../core/commands/contract';
import { CommandError } from '../../../core/commands/failure';
import { clusterNameFromArn, idFromArn, revisionFromArn } from '../../../core/format';
import { t } from '../../l10n';
import { defineCommand } from '../command';

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

export const openConsole = defineCommand({
  id: 'ecsHandson.openConsole',
  title: () => t('Open in AWS Console'),
  args: (r): OpenConsoleArgs => ({ arn: r.string('arn') ?? '', open: r.bool('open') }),
  row: (node): OpenConsoleArgs | undefined => (node.resource ? { arn: node.resource } : undefined),
  rowMustExist: false,
  palette: (): OpenConsoleArgs => ({ arn: '' }),
  run: async (ctx, d) => {
    if (!ctx.isRealAws) throw new CommandError(t('The AWS console shows resources of a real AWS account; connect an AWS profile first.'));
    if (!d.arn) throw new CommandError(t('Select a resource in the ECS explorer to open it in the AWS console.'));
    const url = consoleUrl(d.arn);
    if (!url) throw new CommandError(t('No AWS console page is known for {0}.', d.arn));
    const opened = d.open === false ? false : await vscode.env.openExternal(vscode.Uri.parse(url));
    return { url, opened };
  },
});
