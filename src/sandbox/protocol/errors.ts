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
