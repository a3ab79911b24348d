/**
 * The walkthrough's request probe: GETs the load balancer's URL at a fixed rate while the probe's step
 * is shown, so that the 502 window of a stopped or crashed task shows up as a run of failed requests.
 *
 * The rate does not depend on how fast the answers come: requests go out on a fixed schedule (every
 * PROBE_INTERVAL_MS from the probe's start; a late timer skips the slots it missed instead of
 * bursting), up to PROBE_MAX_IN_FLIGHT at a time, and a request without an answer within
 * PROBE_TIMEOUT_MS is an error sample (status 0, `timeout`) rather than a hole in the timeline.
 * Samples carry the time they were sent; they are posted to the webview in small batches.
 */
import type { HostMessage, ProbeMark, ProbeSample, ProbeTarget } from '../../core/walkthrough/messages';

export const PROBE_INTERVAL_MS = 200;
export const PROBE_TIMEOUT_MS = 1500;
export const PROBE_MAX_IN_FLIGHT = 4;
/** ~90 s of samples. */
const PROBE_KEEP = 450;
const MARKS_KEEP = 20;
const FLUSH_MS = 400;

type ProbeMessage = Extract<HostMessage, { kind: 'probe' }>;

export interface RequestProbeOptions {
  /** Posts a probe message to the webview. */
  post: (m: ProbeMessage) => void;
  intervalMs?: number;
  timeoutMs?: number;
  maxInFlight?: number;
  /** The request (tests replace it); resolves to the HTTP status. */
  get?: (url: string, signal: AbortSignal) => Promise<number>;
  now?: () => number;
}

async function httpGet(url: string, signal: AbortSignal): Promise<number> {
  const r = await fetch(url, { signal, headers: { 'cache-control': 'no-store' } });
  await r.arrayBuffer().catch(() => undefined);
  return r.status;
}

export class RequestProbe {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private readonly get: (url: string, signal: AbortSignal) => Promise<number>;
  private readonly now: () => number;
  private url: string | undefined;
  /** The same URL as the user knows it (the load balancer's own name), shown in the panel. */
  private shown: string | undefined;
  /** Time 0 of the samples (kept across stop/start until reset). */
  private origin = 0;
  /** When the current run started, and the next slot of its schedule. */
  private runStart = 0;
  private slot = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<AbortController>();
  private pending: ProbeSample[] = [];
  private lastFlush = 0;
  private generation = 0;
  private samplesKept: ProbeSample[] = [];
  private marksKept: ProbeMark[] = [];
  private targets: ProbeTarget[] = [];

  constructor(private readonly opts: RequestProbeOptions) {
    this.intervalMs = opts.intervalMs ?? PROBE_INTERVAL_MS;
    this.timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
    this.maxInFlight = opts.maxInFlight ?? PROBE_MAX_IN_FLIGHT;
    this.get = opts.get ?? httpGet;
    this.now = opts.now ?? Date.now;
  }

  get currentUrl(): string | undefined {
    return this.url;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Every sample kept (oldest first by completion), for a webview that (re)loads. */
  get samples(): readonly ProbeSample[] {
    return this.samplesKept;
  }

  get marks(): readonly ProbeMark[] {
    return this.marksKept;
  }

  /** The whole probe as one message (after the webview's `ready`). */
  snapshotMessage(): ProbeMessage {
    return { kind: 'probe', url: this.shown, samples: [...this.samplesKept], marks: [...this.marksKept], targets: this.targets, intervalMs: this.intervalMs, reset: true };
  }

  /** The targets behind the URL and their health (from the live check); tells the webview when they change. */
  setTargets(targets: ProbeTarget[]): void {
    if (JSON.stringify(targets) === JSON.stringify(this.targets)) return;
    this.targets = targets;
    this.opts.post({ kind: 'probe', url: this.shown, samples: [], targets });
  }

  /**
   * The URL to probe (undefined: none yet) and the URL shown for it (default: the same); tells the
   * webview when it changes.
   */
  setUrl(url: string | undefined, shown: string | undefined = url): void {
    if (url === this.url && shown === this.shown) return;
    this.url = url;
    this.shown = shown;
    this.opts.post({ kind: 'probe', url: shown, samples: [] });
  }

  /** Notes what the user did at this moment (shown on the timeline), while the probe runs. */
  mark(label: string): void {
    if (!this.origin || !this.timer) return;
    const m = { t: this.now() - this.origin, label };
    this.marksKept.push(m);
    if (this.marksKept.length > MARKS_KEEP) this.marksKept.splice(0, this.marksKept.length - MARKS_KEEP);
    this.flush();
    this.opts.post({ kind: 'probe', url: this.shown, samples: [], marks: [m] });
  }

  /** Starts sampling (no-op when running). */
  start(): void {
    if (this.timer) return;
    this.runStart = this.now();
    this.slot = 0;
    this.lastFlush = this.runStart;
    this.tick();
  }

  /** Stops sampling; requests in flight still complete into the samples. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** Forgets every sample and mark; requests in flight are dropped. */
  reset(): void {
    this.generation++;
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
    this.samplesKept = [];
    this.marksKept = [];
    this.pending = [];
    this.origin = 0;
    if (this.timer) {
      // Keep running on a fresh timeline.
      this.origin = this.now();
    }
    this.opts.post({ kind: 'probe', url: this.shown, samples: [], marks: [], targets: this.targets, intervalMs: this.intervalMs, reset: true });
  }

  dispose(): void {
    this.stop();
    this.generation++;
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
  }

  private tick(): void {
    const now = this.now();
    if (this.url && this.inFlight.size < this.maxInFlight) this.send(this.url, now);
    if (now - this.lastFlush >= FLUSH_MS) this.flush();
    // The next slot of the fixed schedule; slots a late timer missed are skipped, not sent in a burst.
    this.slot = Math.max(this.slot + 1, Math.floor((now - this.runStart) / this.intervalMs) + 1);
    const due = this.runStart + this.slot * this.intervalMs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.now()));
  }

  private send(url: string, sentAt: number): void {
    if (!this.origin) this.origin = sentAt;
    const origin = this.origin;
    const generation = this.generation;
    const ctl = new AbortController();
    this.inFlight.add(ctl);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, this.timeoutMs);
    // Not awaited: requests overlap. A failed request becomes a sample in the first `then`.
    void this.get(url, ctl.signal)
      .then(
        (status): Pick<ProbeSample, 'status' | 'error'> => ({ status }),
        (): Pick<ProbeSample, 'status' | 'error'> => ({ status: 0, error: timedOut ? 'timeout' : 'connection' }),
      )
      .then((r) => {
        clearTimeout(timer);
        this.inFlight.delete(ctl);
        if (generation !== this.generation) return;
        const sample: ProbeSample = { t: sentAt - origin, ms: Math.min(this.now() - sentAt, this.timeoutMs), ...r };
        if (!r.error) delete sample.error;
        this.samplesKept.push(sample);
        if (this.samplesKept.length > PROBE_KEEP) this.samplesKept.splice(0, this.samplesKept.length - PROBE_KEEP);
        this.pending.push(sample);
        if (!this.timer) this.flush();
      });
  }

  private flush(): void {
    this.lastFlush = this.now();
    if (!this.pending.length) return;
    this.opts.post({ kind: 'probe', url: this.shown, samples: this.pending.splice(0) });
  }
}
