/**
 * The sandbox's one clock. Every engine timer is expressed in simulated epoch milliseconds read
 * from a Clock, so a test can drive time by hand and the server can run faster than real time.
 */
export interface Clock {
  /** Simulated time, epoch milliseconds. Never goes backwards. */
  now(): number;
  /** Simulated milliseconds per real millisecond (1 = real time). */
  readonly scale: number;
}

/** Runs `scale` times faster than the wall clock, starting at `startSim`. */
export class ScaledClock implements Clock {
  private baseReal: number;
  private baseSim: number;
  private _scale: number;

  constructor(scale = 10, startSim = Date.now(), private readonly realNow: () => number = Date.now) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`time scale must be a positive number, got ${scale}`);
    this._scale = scale;
    this.baseReal = realNow();
    this.baseSim = startSim;
  }

  get scale(): number {
    return this._scale;
  }

  now(): number {
    return Math.floor(this.baseSim + (this.realNow() - this.baseReal) * this._scale);
  }

  /** Changes the speed from now on; time already passed stays passed. */
  setScale(scale: number): void {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`time scale must be a positive number, got ${scale}`);
    const sim = this.now();
    this.baseReal = this.realNow();
    this.baseSim = sim;
    this._scale = scale;
  }

  /** Real milliseconds until simulated time `simMs` from now. */
  realDelay(simMs: number): number {
    return simMs / this._scale;
  }
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  readonly scale = 1;
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('time does not go backwards');
    this.t += ms;
  }
  set(t: number): void {
    if (t < this.t) throw new RangeError('time does not go backwards');
    this.t = t;
  }
}
