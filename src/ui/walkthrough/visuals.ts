/**
 * The walkthrough's visuals on the host side: which extra parts of the account the current step's
 * visual needs in its live check, and what each snapshot feeds to the webview (the probe's URL, the
 * deployment view, a chart point). Owns the request probe and the chart data; replays them to a
 * webview that (re)loads.
 */
import type { DeploymentView, HostMessage } from '../../core/walkthrough/messages';
import type { Snapshot, SnapshotPart } from '../../core/walkthrough/snapshot';
import type { InputValues, StepSpec } from '../../core/walkthrough/steps';
import { deploymentView, probeSince, probeUrls, shownEndpoint } from '../../core/walkthrough/visuals';
import type { AwsClients } from '../../aws';
import { AutoscalingFeed } from './chart';
import { RequestProbe } from './probe';

type Visual = StepSpec['visual'];

export interface VisualsOptions {
  post: (m: HostMessage) => void;
  clients: () => Promise<AwsClients>;
  /** The CPU alarm threshold of the autoscaling steps (%). */
  threshold: () => number;
  sandboxClock: () => boolean;
}

/** The snapshot parts a visual needs on top of its step's check. */
export function visualParts(visual: Visual): SnapshotPart[] {
  if (visual === 'deployment') return ['services', 'tasks', 'containerInstances', 'taskDefinitions'];
  if (visual === 'probe') return ['loadBalancers'];
  if (visual === 'chart') return ['services', 'alarms', 'containerInstances'];
  return [];
}

export class WalkthroughVisuals {
  readonly probe: RequestProbe;
  readonly chart: AutoscalingFeed;
  private lastDeployment: DeploymentView | undefined;
  /** The load balancer's URL once seen (fills `{endpoint}` in the texts). */
  endpoint: string | undefined;

  constructor(private readonly o: VisualsOptions) {
    this.probe = new RequestProbe({ post: o.post });
    this.chart = new AutoscalingFeed({ post: o.post, clients: o.clients, threshold: o.threshold, sandboxClock: o.sandboxClock });
  }

  /** Everything the webview shows in the visuals, after its `ready`. */
  replay(): void {
    this.o.post(this.probe.snapshotMessage());
    this.o.post(this.chart.snapshotMessage());
    if (this.lastDeployment) this.o.post({ kind: 'deployment', view: this.lastDeployment });
  }

  /** What the probe saw since the last stop or crash (for the "what is happening now" box). */
  probeSeen(): ReturnType<typeof probeSince> {
    return probeSince(this.probe.samples, this.probe.marks);
  }

  /** Another step or connection: the probe and the deployment view start over. */
  reset(): void {
    this.probe.reset();
    this.lastDeployment = undefined;
  }

  /** Feeds one snapshot of the current step's live check to its visual. */
  update(visual: Visual, snap: Snapshot, inputs: InputValues): void {
    const lbName = inputs.loadBalancer === undefined ? undefined : String(inputs.loadBalancer);
    this.endpoint = shownEndpoint(snap, lbName) ?? this.endpoint;
    if (visual === 'probe') {
      const lb = snap.loadBalancers.find((x) => x.name === inputs.loadBalancer);
      const urls = probeUrls(snap, lbName);
      this.probe.setUrl(urls.request, urls.shown);
      const groups = lb ? snap.targetGroups.filter((g) => g.loadBalancerArns.includes(lb.arn)) : [];
      this.probe.setTargets(groups.flatMap((g) => g.targets.map((x) => ({ id: x.id, ...(x.port ? { port: x.port } : {}), health: x.health }))));
    }
    if (visual === 'deployment') {
      this.lastDeployment = deploymentView(snap, String(inputs.family ?? 'demo-app-task'), String(inputs.service ?? 'demo-service'));
      this.o.post({ kind: 'deployment', view: this.lastDeployment });
    }
    if (visual === 'chart') void this.chart.add(snap, inputs);
  }

  dispose(): void {
    this.probe.dispose();
  }
}
