/**
 * The logs editor's side of "thousands of lines per second do not freeze the editor"
 * (src/ui/logs/view.ts): a service printing 5,000 lines/s for 10 s (simulated), the lines turned
 * into the editor's text the way the view does it — batched every `LOGS_FLUSH_MS` into the capped buffer
 * (`LogBuffer`, `LOGS_MAX_LINES` lines) — side by side with an uncapped editor re-read on every poll batch of
 * 100 lines (what appending each batch to an ever-growing document costs). Prints the text size
 * and the CPU time spent building the text per second of logs, and the ratio.
 *
 * Target: the capped, batched text costs < 50 ms of CPU per second of logs (5 % of a core) at the end of
 * the 10 s, and never holds more than the cap.
 *
 *   npx tsx bench/logs.bench.ts
 */
import { LOGS_FLUSH_MS, LOGS_MAX_LINES, LogBuffer, formatLine } from '../src/aws/logs-follow';

const RATE = 5000;
const SECONDS = 10;
const POLL_BATCH = 100;
const FLUSH_MS = LOGS_FLUSH_MS;
const CAP = LOGS_MAX_LINES;
const TARGET_MS_PER_S = 50;

const line = (i: number) => formatLine({ timestamp: 1_765_000_000_000 + i, label: 'a1b2c3d4', message: `10.0.1.${i % 250} GET /app/loginForm?i=${i} 200 ${i % 17}ms "Mozilla/5.0"` });

function capped(): { lastSecondMs: number; chars: number; lines: number } {
  const buffer = new LogBuffer(CAP);
  let n = 0;
  let lastSecondMs = 0;
  let text = '';
  for (let s = 0; s < SECONDS; s++) {
    let cpu = 0;
    for (let f = 0; f < 1000 / FLUSH_MS; f++) {
      const batch = Array.from({ length: (RATE * FLUSH_MS) / 1000 }, () => line(n++));
      const t0 = performance.now();
      buffer.push(batch);
      text = buffer.text();
      cpu += performance.now() - t0;
    }
    lastSecondMs = cpu;
  }
  return { lastSecondMs, chars: text.length, lines: text.split('\n').length };
}

function uncapped(): { lastSecondMs: number; chars: number; lines: number } {
  const all: string[] = [];
  let n = 0;
  let lastSecondMs = 0;
  let text = '';
  for (let s = 0; s < SECONDS; s++) {
    let cpu = 0;
    for (let b = 0; b < RATE / POLL_BATCH; b++) {
      const batch = Array.from({ length: POLL_BATCH }, () => line(n++));
      const t0 = performance.now();
      all.push(...batch);
      text = all.join('\n');
      cpu += performance.now() - t0;
    }
    lastSecondMs = cpu;
  }
  return { lastSecondMs, chars: text.length, lines: text.split('\n').length };
}

console.log(`logs editor text: ${RATE} lines/s for ${SECONDS} s (simulated), node ${process.version}`);
const a = capped();
const b = uncapped();
console.log(`  capped + batched (${CAP} lines, every ${FLUSH_MS} ms): ${a.lastSecondMs.toFixed(1)} ms CPU in the last second, text ${(a.chars / 1e6).toFixed(2)} MB / ${a.lines} lines`);
console.log(`  uncapped, every poll batch of ${POLL_BATCH}:     ${b.lastSecondMs.toFixed(1)} ms CPU in the last second, text ${(b.chars / 1e6).toFixed(2)} MB / ${b.lines} lines`);
console.log(`  ratio uncapped / capped: ${(b.lastSecondMs / a.lastSecondMs).toFixed(1)}× CPU, ${(b.chars / a.chars).toFixed(1)}× text`);
if (a.lastSecondMs >= TARGET_MS_PER_S) console.log(`TARGET MISSED: capped text costs ${a.lastSecondMs.toFixed(1)} ms per second of logs (target < ${TARGET_MS_PER_S} ms)`);
if (a.lines > CAP + 1) console.log(`TARGET MISSED: ${a.lines} lines kept (cap ${CAP} + the marker)`);
