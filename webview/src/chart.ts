/** The autoscaling chart (uPlot): CPU against the threshold (left axis, %), tasks and instances (right axis). */
import uPlot from 'uplot';
import type { ChartPoint } from '../../src/core/walkthrough/messages';

export interface ChartLabels {
  cpu: string;
  threshold: string;
  desired: string;
  running: string;
  instances: string;
}

export class AutoscalingChart {
  readonly root: HTMLElement;
  private plot: uPlot;

  constructor(parent: HTMLElement, labels: ChartLabels, cssVar: (name: string, fallback: string) => string) {
    this.root = document.createElement('div');
    this.root.setAttribute('role', 'img');
    this.root.setAttribute('aria-label', `${labels.cpu}, ${labels.threshold}, ${labels.desired}, ${labels.running}, ${labels.instances}`);
    parent.append(this.root);
    const fg = cssVar('--vscode-foreground', '#ccc');
    const grid = cssVar('--vscode-editorWidget-border', '#444');
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const width = Math.max(320, parent.clientWidth || 600);
    this.plot = new uPlot(
      {
        width,
        height: 220,
        scales: { x: { time: true }, pct: { range: [0, 100] }, n: { range: [0, 6] } },
        axes: [
          { ...axis },
          { ...axis, scale: 'pct', label: '%' },
          { ...axis, scale: 'n', side: 1, grid: { show: false } },
        ],
        series: [
          {},
          { label: labels.cpu, scale: 'pct', stroke: cssVar('--vscode-charts-blue', '#3794ff'), width: 2 },
          { label: labels.threshold, scale: 'pct', stroke: cssVar('--vscode-charts-red', '#f14c4c'), dash: [6, 4], width: 1 },
          { label: labels.desired, scale: 'n', stroke: cssVar('--vscode-charts-orange', '#d18616'), width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) },
          { label: labels.running, scale: 'n', stroke: cssVar('--vscode-charts-green', '#89d185'), width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) },
          { label: labels.instances, scale: 'n', stroke: cssVar('--vscode-charts-purple', '#b180d7'), width: 2, dash: [2, 2], paths: uPlot.paths.stepped?.({ align: 1 }) },
        ],
        legend: { show: true },
      },
      [[], [], [], [], [], []],
      this.root,
    );
  }

  set(points: readonly ChartPoint[], threshold: number): void {
    this.plot.setData([
      points.map((p) => p.t),
      points.map((p) => p.cpu),
      points.map(() => threshold),
      points.map((p) => p.desired),
      points.map((p) => p.running),
      points.map((p) => p.instances),
    ]);
  }

  destroy(): void {
    this.plot.destroy();
    this.root.remove();
  }
}
