/** The request probe: one bar per request over the last 60 s, colour by status, error windows shaded. */
import type { ProbeSample } from '../../src/core/walkthrough/messages';
import { probeSummary } from '../../src/core/walkthrough/visuals';

export interface ProbeColors {
  ok: string;
  bad: string;
  err: string;
  fg: string;
  grid: string;
}

const WINDOW_MS = 60_000;

export function drawProbe(canvas: HTMLCanvasElement, samples: readonly ProbeSample[], c: ProbeColors): void {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = 120;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.height = `${height}px`;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  const end = samples.length ? samples[samples.length - 1].t : 0;
  const start = Math.max(0, end - WINDOW_MS);
  const x = (t: number) => 30 + ((t - start) / WINDOW_MS) * (width - 40);
  // axes
  g.strokeStyle = c.grid;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(30, height - 20);
  g.lineTo(width - 10, height - 20);
  g.stroke();
  g.fillStyle = c.fg;
  g.font = '10px sans-serif';
  g.fillText('200', 2, 30);
  g.fillText('5xx', 2, 80);
  for (let s = Math.ceil(start / 10_000) * 10_000; s <= end; s += 10_000) {
    g.fillText(`${Math.round(s / 1000)}s`, x(s) - 8, height - 6);
  }
  // error windows
  const { windows } = probeSummary(samples);
  g.globalAlpha = 0.18;
  g.fillStyle = c.bad;
  for (const w of windows) if (w.to >= start) g.fillRect(x(Math.max(w.from, start)), 10, Math.max(2, x(w.to) - x(Math.max(w.from, start))), height - 30);
  g.globalAlpha = 1;
  // bars
  for (const s of samples) {
    if (s.t < start) continue;
    const bad = s.status >= 500;
    const err = s.status === 0;
    g.fillStyle = bad ? c.bad : err ? c.err : c.ok;
    const top = bad || err ? 65 : 20;
    g.fillRect(x(s.t), top, 2, 20);
  }
}
