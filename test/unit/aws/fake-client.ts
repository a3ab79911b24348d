/**
 * A fake SDK client for unit tests: an instance of the real client class (so the SDK paginators
 * accept it) whose `send` records each command's name and a copy of its input and answers from
 * a handler.
 */
export interface RecordedCall {
  name: string;
  input: Record<string, unknown>;
}

export type Handler = (name: string, input: Record<string, any>, callIndex: number) => unknown; // the output, or a Promise of it

export function fakeClient<C extends object>(ClientClass: abstract new (...args: any[]) => C, handler: Handler): C & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fake = Object.create(ClientClass.prototype) as C & { calls: RecordedCall[] };
  Object.assign(fake, {
    calls,
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      const input = structuredClone(command.input);
      calls.push({ name, input });
      return handler(name, input, calls.length - 1);
    },
  });
  return fake;
}
