/**
 * The autoscaling chart (uPlot): the service's CPU against the threshold (left axis, %), tasks and
 * instances (right axis). CPU is CloudWatch's 1-minute averages: one dot per minute at the minute's
 * start, held flat until the next one (a stepped line), never a ramp between two minutes. The time
 * axis counts minutes from when the load started (or from the first point), on the connection's
 * clock — the sandbox's runs faster than the wall clock, so the axis says which clock it is.
 */
import uPlot from 'uplot';
import type { ChartPoint } from '../../src/core/walkthrough/messages';
import { chartData } from '../../src/core/walkthrough/visuals';

export interface ChartLabels {
  cpu: string;
  threshold: string;
  desired: string;
  running: string;
  instances: string;
}

export interface ChartAxis {
  /** Seconds (connection clock) the axis counts from; the first point when undefined. */
  origin?: number;
  /** The axis title, e.g. "Minutes since the load started (sandbox clock)". */
  label: string;
}

export class AutoscalingChart {
  readonly root: HTMLElement;
  private plot: uPlot;
  private axisLabel: string;

  constructor(parent: HTMLElement, labels: ChartLabels, axis: ChartAxis, cssVar: (name: string, fallback: string) => string) {
    this.root = document.createElement('div');
    this.root.setAttribute('role', 'img');
    this.axisLabel = axis.label;
    this.root.setAttribute('aria-label', `${labels.cpu}, ${labels.threshold}, ${labels.desired}, ${labels.running}, ${labels.instances} — ${axis.label}`);
    parent.append(this.root);
    const fg = cssVar('--vscode-foreground', '#ccc');
    const grid = cssVar('--vscode-editorWidget-border', '') || cssVar('--vscode-contrastBorder', '#444');
    const font = `${cssVar('--vscode-font-size', '12px')} ${cssVar('--vscode-font-family', 'sans-serif')}`;
    const axisStyle = { stroke: fg, font, labelFont: font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const stepped = uPlot.paths.stepped?.({ align: 1 });
    const width = Math.max(320, parent.clientWidth || 600);
    const cpuColor = cssVar('--vscode-charts-blue', '#3794ff');
    this.plot = new uPlot(
      {
        width,
        height: 240,
        // A service's CPU can pass 100 % of what its tasks reserve: the scale grows then.
        scales: { x: { time: false }, pct: { range: (_u, _min, max) => [0, Math.max(100, Math.ceil((max ?? 0) / 20) * 20)] }, n: { range: [0, 6] } },
        axes: [
          // Whole and half minutes only (1-minute datapoints); labels as they are, no rounding of 0.25 to 0.3.
          { ...axisStyle, label: axis.label, labelSize: 22, incrs: [0.5, 1, 2, 5, 10, 15, 30, 60, 120], values: (_u, splits) => splits.map((v) => String(Math.round(v * 100) / 100)) },
          { ...axisStyle, scale: 'pct', label: '%', labelSize: 18 },
          { ...axisStyle, scale: 'n', side: 1, grid: { show: false } },
        ],
        series: [
          { label: axis.label, value: (_u, v) => (v === null || v === undefined ? '–' : `${v.toFixed(1)} min`) },
          {
            label: labels.cpu,
            scale: 'pct',
            stroke: cpuColor,
            width: 2,
            spanGaps: true,
            paths: stepped,
            points: { show: true, size: 7, stroke: cpuColor, fill: cpuColor },
            value: (_u, v) => (v === null || v === undefined ? '–' : `${v.toFixed(1)} %`),
          },
          { label: labels.threshold, scale: 'pct', stroke: cssVar('--vscode-charts-red', '#f14c4c'), dash: [6, 4], width: 1, points: { show: false } },
          // Wider than the running line drawn over it: where both are equal the desired count still shows.
          { label: labels.desired, scale: 'n', stroke: cssVar('--vscode-charts-orange', '#d18616'), width: 5, spanGaps: true, paths: stepped, points: { show: false } },
          { label: labels.running, scale: 'n', stroke: cssVar('--vscode-charts-green', '#89d185'), width: 2, spanGaps: true, paths: stepped, points: { show: false } },
          { label: labels.instances, scale: 'n', stroke: cssVar('--vscode-charts-purple', '#b180d7'), width: 2, dash: [2, 2], spanGaps: true, paths: stepped, points: { show: false } },
        ],
        // The series names only (no hover values): the x entry would repeat the axis title.
        legend: { show: true, live: false },
      },
      [[], [], [], [], [], []],
      this.root,
    );
  }

  get label(): string {
    return this.axisLabel;
  }

  set(points: readonly ChartPoint[], threshold: number, origin?: number): void {
    this.plot.setData(chartData(points, threshold, origin));
  }

  destroy(): void {
    this.plot.destroy();
    this.root.remove();
  }
}
