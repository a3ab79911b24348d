/**
 * The request probe: the last 60 s of requests through the load balancer, one bar per request in a
 * lane by outcome (answered / 5xx / no answer), the error windows shaded with their length written
 * over them, and what the user did (stop / crash a task) as dashed lines.
 */
import type { ProbeMark, ProbeSample } from '../../src/core/walkthrough/messages';
import { errorPeriods, isProbeError, probeSummary } from '../../src/core/walkthrough/visuals';

export interface ProbeColors {
  ok: string;
  bad: string;
  err: string;
  fg: string;
  grid: string;
  font: string;
}

const WINDOW_MS = 60_000;
const HEIGHT = 150;
const LEFT = 38;
const RIGHT = 10;
const LANES = { ok: 34, bad: 62, err: 90 } as const;
const LANE_H = 20;
const SHADE_TOP = 16;
const AXIS_Y = 118;

/**
 * `scale`: the service's clock speed (the sandbox's time scale; 1 on AWS). The requests are timed in
 * real time; the axis and the window lengths are written on the service's clock (core/clock.ts).
 */
export function drawProbe(canvas: HTMLCanvasElement, samples: readonly ProbeSample[], marks: readonly ProbeMark[], intervalMs: number, c: ProbeColors, scale = 1): void {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(HEIGHT * dpr);
  canvas.style.height = `${HEIGHT}px`;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, HEIGHT);
  const latest = Math.max(samples.length ? Math.max(...samples.map((s) => s.t)) : 0, marks.length ? marks[marks.length - 1].t : 0);
  const end = Math.max(latest, WINDOW_MS);
  const start = end - WINDOW_MS;
  const plotW = width - LEFT - RIGHT;
  const x = (t: number) => LEFT + ((t - start) / WINDOW_MS) * plotW;
  g.font = c.font;
  g.textBaseline = 'alphabetic';

  // lanes and the time axis
  g.strokeStyle = c.grid;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(LEFT, AXIS_Y + 0.5);
  g.lineTo(width - RIGHT, AXIS_Y + 0.5);
  g.stroke();
  g.fillStyle = c.fg;
  g.textAlign = 'right';
  g.fillText('2xx', LEFT - 6, LANES.ok + 14);
  g.fillText('5xx', LEFT - 6, LANES.bad + 14);
  g.fillText('ERR', LEFT - 6, LANES.err + 14);
  for (let s = Math.ceil(start / 10_000) * 10_000; s <= end; s += 10_000) {
    g.beginPath();
    g.moveTo(x(s) + 0.5, AXIS_Y);
    g.lineTo(x(s) + 0.5, AXIS_Y + 4);
    g.stroke();
    // The last tick's label ends at the plot's edge instead of being cut off.
    g.textAlign = x(s) > width - RIGHT - 20 ? 'right' : 'center';
    g.fillText(`${Math.round((s * scale) / 1000)} s`, x(s), AXIS_Y + 15);
  }

  // error windows: shaded, edged, their length written over them
  const periods = errorPeriods(probeSummary(samples).windows).filter((w) => w.to >= start);
  let labelFree = 0;
  for (const w of periods) {
    const x0 = x(Math.max(w.from, start));
    const x1 = Math.max(x0 + 2, x(w.to));
    g.globalAlpha = 0.22;
    g.fillStyle = c.bad;
    g.fillRect(x0, SHADE_TOP, x1 - x0, AXIS_Y - SHADE_TOP);
    g.globalAlpha = 1;
    g.strokeStyle = c.bad;
    g.strokeRect(Math.round(x0) + 0.5, SHADE_TOP + 0.5, Math.max(1, Math.round(x1 - x0) - 1), AXIS_Y - SHADE_TOP - 1);
    g.fillStyle = c.fg;
    g.textAlign = 'left';
    const label = `${(((w.to - w.from) * scale) / 1000).toFixed(1)} s`;
    // After the previous window's label when two windows are close (never on top of it).
    const lx = Math.min(Math.max(x0 + 3, labelFree), width - RIGHT - g.measureText(label).width);
    g.fillText(label, lx, SHADE_TOP + 12);
    labelFree = lx + g.measureText(label).width + 8;
  }

  // one bar per request, in its outcome's lane
  const barW = Math.max(2, (intervalMs / WINDOW_MS) * plotW - 0.5);
  for (const s of samples) {
    if (s.t < start) continue;
    const lane = s.status === 0 ? 'err' : isProbeError(s) ? 'bad' : 'ok';
    g.fillStyle = lane === 'ok' ? c.ok : lane === 'bad' ? c.bad : c.err;
    g.fillRect(x(s.t), LANES[lane], barW, LANE_H);
  }

  // what the user did
  g.strokeStyle = c.fg;
  g.fillStyle = c.fg;
  g.setLineDash([4, 3]);
  g.textAlign = 'left';
  // Labels left to right, each after the previous one when their lines are close (no overlap).
  let free = 0;
  for (const m of [...marks].sort((a, b) => a.t - b.t)) {
    if (m.t < start) continue;
    const mx = Math.round(x(m.t)) + 0.5;
    g.beginPath();
    g.moveTo(mx, 2);
    g.lineTo(mx, AXIS_Y);
    g.stroke();
    const w = g.measureText(m.label).width;
    let lx = Math.max(mx + 4, free);
    if (lx + w > width - RIGHT) lx = Math.max(free, width - RIGHT - w);
    g.fillText(m.label, lx, 11);
    free = lx + w + 10;
  }
  g.setLineDash([]);
}
