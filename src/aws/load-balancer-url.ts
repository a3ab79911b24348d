/**
 * Where a load balancer answers, as a URL a browser can open (ending in "/"): the one lookup of the
 * extension (Create load balancer's result, Open load balancer, the load test, the walkthrough).
 * - On the sandbox, the listener's real URL from the admin API (`GET /_sandbox/load-balancers`:
 *   one entry per served listener, `url` = http://<DNSName>:<real port>/, `localUrl` =
 *   http://127.0.0.1:<real port>/). The sandbox opens a new listener's proxy on its next tick, so
 *   while the API shows the listener and the admin API does not list it yet, this asks again
 *   (every 300 ms, for up to 3 s); a load balancer without listeners is not waited for.
 * - Otherwise (AWS, or the admin API unreachable), what AWS shows: http(s)://<DNSName>[:port]/.
 */
import type { ElasticLoadBalancingV2Client, Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import { waitUntil } from '../core/poll';
import { loadBalancerUrl } from '../core/tree-elb';
import { describeListeners, describeLoadBalancers } from './describe-elb';
import type { AdminLoadBalancerEntry, SandboxAdmin } from './sandbox-admin';

export interface LoadBalancerUrl {
  url: string;
  /** Sandbox only: the listener at http://127.0.0.1:<real port>/ (for clients that do not resolve *.localhost). */
  localUrl?: string;
  /** The URL is the sandbox's real listener (false: built from the DNS name). */
  fromSandbox: boolean;
}

/** How long a listener the API shows may take to appear in the sandbox's admin API. */
export const SANDBOX_LISTENER_WAIT = { timeoutMs: 3000, intervalMs: 300 } as const;

const asUrl = (v: unknown): string | undefined => (typeof v === 'string' && /^https?:\/\//.test(v) ? (v.endsWith('/') ? v : `${v}/`) : undefined);

/** The listener to open: the given port's, else HTTP:80, else the first HTTPS one, else the first. */
function chooseListener(listeners: readonly Listener[], port: number | undefined): Listener | undefined {
  if (port !== undefined) return listeners.find((l) => l.Port === port);
  return listeners.find((l) => l.Protocol === 'HTTP' && l.Port === 80) ?? listeners.find((l) => l.Protocol === 'HTTPS') ?? listeners[0];
}

/**
 * The load balancer's URL (`port`: that listener's; default: port 80's, else the lowest port the
 * sandbox serves / the listener `chooseListener` picks). Undefined when it has no DNS name;
 * DescribeLoadBalancers' LoadBalancerNotFound is thrown.
 */
export async function findLoadBalancerUrl(
  elbv2: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
  opts: { admin?: SandboxAdmin; port?: number } = {},
): Promise<LoadBalancerUrl | undefined> {
  const { admin, port } = opts;
  let adminDown = !admin;
  /** The admin API's entry for the listener, undefined when not listed (or the admin API failed). */
  const fromAdmin = async (): Promise<LoadBalancerUrl | undefined> => {
    if (adminDown || !admin) return undefined;
    const listed = await admin.loadBalancers().catch(() => undefined);
    if (!listed) {
      adminDown = true;
      return undefined;
    }
    const mine = listed.loadBalancers
      .filter((e: AdminLoadBalancerEntry) => e.loadBalancerArn === loadBalancerArn && (port === undefined || e.port === port))
      .sort((a, b) => (a.port === 80 ? -1 : b.port === 80 ? 1 : a.port - b.port));
    const url = asUrl(mine[0]?.url);
    return url ? { url, localUrl: asUrl(mine[0].localUrl), fromSandbox: true } : undefined;
  };

  const first = await fromAdmin();
  if (first) return first;
  const [lb] = await describeLoadBalancers(elbv2, [loadBalancerArn]);
  const listener = chooseListener(await describeListeners(elbv2, loadBalancerArn), port);
  if (listener && !adminDown) {
    const later = await waitUntil(fromAdmin, { ...SANDBOX_LISTENER_WAIT, cancelled: () => adminDown });
    if (later) return later;
  }
  const url = lb && loadBalancerUrl(lb, listener ?? { Port: port ?? 80, Protocol: 'HTTP' });
  return url ? { url, fromSandbox: false } : undefined;
}
