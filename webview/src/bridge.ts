/**
 * The webview side of src/core/webview-protocol.ts, shared by every webview bundle: the VS Code
 * API (acquired once), requests answered by the host's replies, host messages, and the `ready`
 * handshake (sent once the page listens).
 */
import type { Reply, RequestMapOf } from '../../src/core/webview-protocol';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export const vscodeApi: VsCodeApi = acquireVsCodeApi();

let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

/** Sends a request; the promise settles with the host's reply. */
export function request<R extends RequestMapOf, M extends keyof R & string>(method: M, params: R[M]['params']): Promise<R[M]['result']> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve, reject });
    vscodeApi.postMessage({ kind: 'request', id, method, params });
  });
}

/** Listens to the host: replies settle requests, everything else goes to `onMessage`. Call `ready()` once the page can take messages. */
export function listen<H extends { kind: string }>(onMessage: (m: H) => void): void {
  window.addEventListener('message', (event: MessageEvent<H | Reply>) => {
    const m = event.data;
    if (!m || typeof m !== 'object') return;
    if (m.kind === 'reply') {
      const r = m as Reply;
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (!p) return;
      if (r.ok) p.resolve(r.result);
      else p.reject(new Error(r.error));
      return;
    }
    onMessage(m as H);
  });
}

/** Tells the host the page listens (it then pushes everything it shows). */
export function ready(): void {
  vscodeApi.postMessage({ kind: 'ready' });
}
