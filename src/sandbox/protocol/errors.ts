/**
 * An error the sandbox returns the way AWS does. Handlers throw it; the protocol layer encodes it
 * (JSON `__type` + message, or query/EC2 XML `<Code>`/`<Message>`).
 */
export class AwsError extends Error {
  constructor(
    /** AWS error code, e.g. `ClusterNotFoundException`, `ValidationError`. */
    readonly code: string,
    message: string,
    /** HTTP status: 400 for client errors (default), 500 for server faults. */
    readonly status: number = 400,
    /** Sender (client) or Receiver (server). */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;

/**
 * A request value as text for an error message, whatever it is: a JSON body may carry objects whose
 * own `toString` is not a function (`String({ toString: 1 })` throws), so anything but a string,
 * number or boolean is shown as JSON. Cut at `max` characters.
 */
export function textOf(v: unknown, max = 200): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') s = String(v);
  else {
    try {
      s = JSON.stringify(v) ?? typeof v;
    } catch {
      s = typeof v;
    }
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
