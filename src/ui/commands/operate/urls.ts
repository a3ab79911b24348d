/**
 * Where a task or a load balancer answers, as a URL a browser can open.
 * - Sandbox: the admin API lists the real local URLs (`GET /_sandbox/tasks?region=`,
 *   `GET /_sandbox/load-balancers` → `{loadBalancers: [{loadBalancerArn, port, url, localUrl}]}`).
 * - AWS: the instance's public DNS name + host port; the load balancer's DNS name + listener port.
 */
import * as vscode from 'vscode';
import type { AwsClients } from '../../../aws';
import { isMappedLocalhost, keepPath, loopbackForm, originOf } from '../../../core/external-url';
import type { AdminTaskEntry } from '../../../aws/sandbox-admin';
import { idFromArn } from '../../../core/format';
import { loadAws } from '../../aws-loader';
import type { UiContext } from '../../ui-context';

/** Running tasks of the sandbox with their real URLs (empty when not on the sandbox). */
export async function sandboxTasks(s: UiContext, c: AwsClients): Promise<AdminTaskEntry[]> {
  const admin = s.connections.sandboxAdmin();
  if (!admin) return [];
  return (await admin.tasks(await c.region())).tasks;
}

/** The URL of a running task (sandbox: its real local URL; AWS: public DNS of its instance + host port). */
export async function taskUrl(s: UiContext, c: AwsClients, cluster: string, task: string): Promise<string | undefined> {
  if (s.connections.sandboxEndpoint) {
    const id = idFromArn(task);
    const entry = (await sandboxTasks(s, c)).find((e) => e.taskArn === task || e.taskId === id);
    return entry?.url ?? undefined;
  }
  const aws = loadAws();
  const { items } = await aws.describeTasks(c.ecs, cluster, [task]);
  const tk = items[0];
  const binding = tk?.containers?.flatMap((ct) => ct.networkBindings ?? []).find((b) => b.hostPort);
  if (!tk?.containerInstanceArn || !binding?.hostPort) return undefined;
  const { items: cis } = await aws.describeContainerInstances(c.ecs, cluster, [tk.containerInstanceArn]);
  const instanceId = cis[0]?.ec2InstanceId;
  if (!instanceId) return undefined;
  // An instance EC2 no longer knows (terminated, or not EC2's at all): no address, like one without a public name.
  const inst = await aws.describeInstances(c.ec2, [instanceId]).then(
    (found) => found[0],
    (e: unknown) => {
      if (s.connections.mapError(e, vscode.l10n.t).kind === 'notFound') return undefined;
      throw e;
    },
  );
  const host = inst?.PublicDnsName || inst?.PublicIpAddress;
  return host ? `http://${host}${binding.hostPort === 80 ? '' : `:${binding.hostPort}`}/` : undefined;
}

/**
 * The base URL of a load balancer (ending in "/"), see src/aws/load-balancer-url.ts. `exact`: the
 * URL answers as shown (false: the sandbox's DNS name, its admin API listing no real listener).
 */
export async function loadBalancerUrl(s: UiContext, c: AwsClients, loadBalancerArn: string): Promise<{ url: string; localUrl?: string; exact: boolean } | undefined> {
  const found = await loadAws().findLoadBalancerUrl(c.elbv2, loadBalancerArn, { admin: s.connections.sandboxAdmin() });
  return found && { url: found.url, localUrl: found.localUrl, exact: found.fromSandbox || !s.connections.sandboxEndpoint };
}

/** The hands-on's load balancer (app-demo-lb) or the first one. */
export async function defaultLoadBalancer(c: AwsClients): Promise<string | undefined> {
  const lbs = await loadAws().describeLoadBalancers(c.elbv2);
  return (lbs.find((lb) => lb.LoadBalancerName === 'app-demo-lb') ?? lbs[0])?.LoadBalancerArn;
}


/**
 * Where the user's browser reaches `url`. A sandbox address (127.0.0.1:PORT, or a `*.localhost`
 * name on that port) is resolved with `asExternalUri`: desktop VS Code returns it as it is (or a
 * forwarded port); code-server returns its proxy, `<base>/proxy/PORT/`, but without the path — so
 * only the origin is resolved and the path put back (core/external-url.ts). Any other URL (AWS) is
 * returned unchanged.
 */
export async function browserUrl(url: string): Promise<string> {
  const local = loopbackForm(url);
  if (!isMappedLocalhost(local)) return url;
  const origin = originOf(local);
  if (!origin) return url;
  try {
    const resolved = await vscode.env.asExternalUri(vscode.Uri.parse(origin));
    return keepPath(local, resolved.toString(true));
  } catch {
    return local;
  }
}

/**
 * Opens `url` in the user's browser (see `browserUrl`). Opening what `asExternalUri` resolved also
 * spares code-server's "Do you want to open the external website?" prompt for its own proxy: VS
 * Code maps the resolved origin back to the local address, which it trusts. Returns what was opened.
 */
export async function openInBrowser(url: string): Promise<{ openedUrl: string; opened: boolean }> {
  const openedUrl = await browserUrl(url);
  const opened = await vscode.env.openExternal(vscode.Uri.parse(openedUrl, true));
  return { openedUrl, opened };
}
