/**
 * The sandbox's heartbeat: every `everyMs` real ms the engine ticks, then each plug-in. Each part
 * runs in its own try, so that a bug in one does not stop the others' clocks; a failure is logged,
 * the same one at most every 10 s.
 */
export interface TickPart {
  name: string;
  run(): void;
}

/** Starts ticking `parts` in order; returns what stops it. */
export function startTicker(parts: readonly TickPart[], everyMs: number, log: (message: string) => void): () => void {
  let lastError = '';
  let lastErrorAt = 0;
  const timer = setInterval(() => {
    for (const part of parts) {
      try {
        part.run();
      } catch (e) {
        const msg = `${part.name}: ${(e as Error)?.stack ?? String(e)}`;
        if (msg !== lastError || Date.now() - lastErrorAt > 10_000) log(`sandbox: tick failed: ${msg}`);
        lastError = msg;
        lastErrorAt = Date.now();
      }
    }
  }, everyMs);
  return () => clearInterval(timer);
}
