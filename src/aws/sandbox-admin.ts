/**
 * The one client of the sandbox's admin API (`/_sandbox/*`): typed with the sandbox's own request
 * and response types (src/sandbox/admin.ts, imported as types only: no sandbox code is bundled), the
 * admin token sent on every call. No vscode, no SDK: the extension, the tests and the benches use it.
 */
import { readFile } from 'node:fs/promises';
import type {
  AdminErrorBody,
  AdminFaultsRequest,
  AdminKill,
  AdminLoadBalancers,
  AdminReset,
  AdminState,
  AdminStatus,
  AdminTaskRef,
  AdminTasks,
  AdminTimeScale,
  AdminUnhealthy,
  Faults,
} from '../sandbox/admin';

export type {
  AdminLoadBalancerEntry,
  AdminLoadBalancers,
  AdminReset,
  AdminState,
  AdminStatus,
  AdminTaskEntry,
  AdminTasks,
  AdminTimeScale,
  Faults,
} from '../sandbox/admin';

/** A refused admin call: the HTTP status and the sandbox's message. */
export class SandboxAdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxAdminError';
  }
}

export class SandboxAdmin {
  constructor(
    readonly endpoint: string,
    private readonly token: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** One call; a non-2xx answer throws SandboxAdminError with the sandbox's `error` text. */
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchFn(`${this.endpoint.replace(/\/+$/, '')}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const error = (parsed as Partial<AdminErrorBody> | undefined)?.error;
      throw new SandboxAdminError(res.status, typeof error === 'string' ? error : `HTTP ${res.status} from ${path}`);
    }
    return parsed as T;
  }

  status(): Promise<AdminStatus> {
    return this.call('GET', '/_sandbox/status');
  }

  setTimeScale(scale: number): Promise<AdminTimeScale> {
    return this.call('POST', '/_sandbox/time-scale', { scale });
  }

  /** Stops the region's tasks (every region's when left out) and clears its state. */
  reset(region?: string): Promise<AdminReset> {
    return this.call('POST', '/_sandbox/reset', region === undefined ? {} : { region });
  }

  state(): Promise<AdminState> {
    return this.call('GET', '/_sandbox/state');
  }

  tasks(region?: string): Promise<AdminTasks> {
    return this.call('GET', `/_sandbox/tasks${region ? `?region=${encodeURIComponent(region)}` : ''}`);
  }

  loadBalancers(): Promise<AdminLoadBalancers> {
    return this.call('GET', '/_sandbox/load-balancers');
  }

  faults(): Promise<Faults> {
    return this.call('GET', '/_sandbox/faults');
  }

  setFaults(f: AdminFaultsRequest): Promise<Faults> {
    return this.call('POST', '/_sandbox/faults', f);
  }

  killTask(task: AdminTaskRef): Promise<AdminKill> {
    return this.call('POST', '/_sandbox/tasks/kill', task);
  }

  setTaskUnhealthy(task: AdminTaskRef, unhealthy: boolean): Promise<AdminUnhealthy> {
    return this.call('POST', '/_sandbox/tasks/unhealthy', { ...task, unhealthy });
  }
}

/** The admin token kept in a sandbox's state file (for a sandbox started elsewhere, e.g. by the CLI). */
export async function adminTokenFromStateFile(stateFile: string): Promise<string> {
  const world = JSON.parse(await readFile(stateFile, 'utf8')) as { credentials?: { adminToken?: unknown } };
  const token = world.credentials?.adminToken;
  if (typeof token !== 'string' || !token) throw new Error(`the sandbox state file ${stateFile} has no admin token`);
  return token;
}
