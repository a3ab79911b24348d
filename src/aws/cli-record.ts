/**
 * Records the SDK calls one action makes (issue 14: the AWS CLI behind every click): a middleware
 * on every client (clients.ts) adds each call — the client's service, the command's name, its input
 * as sent and its output — to the recording of the action it runs in. Which action a call belongs
 * to is carried by `AsyncLocalStorage`: the explorer's refreshes and the rollout tracker's polls,
 * running at the same time on the same clients, are not in the action's recording; a follower the
 * action started (a timer) stops recording when the action ends (`close`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isReadOperation, type CliCall } from './cli-script';

/**
 * The calls of one action, in the order they were sent. A recording started inside another one (a
 * command run by a walkthrough action, which read the account first) gives its calls to that one too.
 */
export class CallRecording {
  readonly calls: CliCall[] = [];
  private closed = false;
  private reads = 0;
  /**
   * `readLimit`: at most this many reads are kept (a long wait polls; changes are always kept).
   * `parent`: the recording of the action this one runs in.
   */
  constructor(private readonly readLimit = 1000, private readonly parent?: CallRecording) {}

  /** Starts a call; its output or error is filled in when it ends (the same object in the parent). */
  add(call: CliCall): CliCall | undefined {
    const parent = this.parent?.add(call);
    if (this.closed) return parent;
    if (isReadOperation(call.operation) && ++this.reads > this.readLimit) return parent;
    this.calls.push(call);
    return call;
  }

  /** No more calls are recorded (the action ended). */
  close(): void {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

const current = new AsyncLocalStorage<CallRecording>();

/** Runs `work` with its SDK calls recorded into `recording`; the recording is closed when it ends. */
export async function recordCalls<T>(recording: CallRecording, work: () => Promise<T>): Promise<T> {
  try {
    return await current.run(recording, work);
  } finally {
    recording.close();
  }
}

/** The recording of the action running now, if any. */
export const currentRecording = (): CallRecording | undefined => current.getStore();

/** A copy of an input as it was sent (later changes by the caller do not change the record). */
function snapshot<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** Adds the recording middleware to a client. */
export function addCallRecorder(client: { middlewareStack: unknown }): void {
  const stack = client.middlewareStack as { add(m: unknown, o: { step: 'initialize'; name: string; override?: boolean; priority?: 'high' }): void };
  const middleware =
    (next: (args: unknown) => Promise<{ output?: unknown }>, context: { clientName?: string; commandName?: string }) =>
    async (args: unknown) => {
      const recording = current.getStore();
      if (!recording || recording.isClosed) return next(args);
      const input = (args as { input?: unknown } | undefined)?.input;
      const call = recording.add({
        service: (context.clientName ?? 'AWS').replace(/Client$/, ''),
        operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
        input: snapshot(input ?? {}),
      });
      try {
        const result = await next(args);
        if (call) {
          const output = { ...((result.output ?? {}) as Record<string, unknown>) };
          delete output.$metadata;
          call.output = output;
        }
        return result;
      } catch (e) {
        if (call) call.error = (e as { name?: string } | undefined)?.name ?? 'Error';
        throw e;
      }
    };
  stack.add(middleware, { step: 'initialize', name: 'ecsHandsonCallRecorder', priority: 'high', override: true });
}
