/**
 * What CreateService / UpdateService check about `loadBalancers`: the shape, the container and port
 * in the task definition, and (reading the region's ELBv2 state, never changing it) that the target
 * group exists, is attached to a load balancer and has a target type the network mode can use —
 * with the messages ECS gives.
 */
import type { LoadBalancer, NetworkConfiguration } from '@aws-sdk/client-ecs';
import type { Elbv2State } from '../elbv2/model';
import type { LoadBalancerRef, RegionState, TaskDefinition } from '../engine/state';
import { ecsFields as f } from '../kit';

const TG_ARN_RE = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/;

function actionTargets(actions: { TargetGroupArn?: string; ForwardConfig?: { TargetGroups?: { TargetGroupArn: string }[] } }[]): string[] {
  const out: string[] = [];
  for (const a of actions ?? []) {
    if (a.TargetGroupArn) out.push(a.TargetGroupArn);
    for (const t of a.ForwardConfig?.TargetGroups ?? []) out.push(t.TargetGroupArn);
  }
  return out;
}

/** Whether any listener or rule forwards to `tgArn`. */
function attached(elb: Elbv2State, tgArn: string): boolean {
  for (const l of Object.values(elb.listeners ?? {})) if (actionTargets(l.DefaultActions).includes(tgArn)) return true;
  for (const r of Object.values(elb.rules ?? {})) if (actionTargets(r.Actions).includes(tgArn)) return true;
  return false;
}

function checkTargetGroup(rs: RegionState, tgArn: string, td: TaskDefinition): void {
  const elb = rs.serviceState.elbv2 as Elbv2State | undefined;
  const tg = elb && Object.prototype.hasOwnProperty.call(elb.targetGroups, tgArn) ? elb.targetGroups[tgArn] : undefined;
  if (!elb || !tg) {
    f.fail(
      'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
    );
    return;
  }
  if (!attached(elb, tgArn)) f.fail(`The target group with targetGroupArn ${tgArn} does not have an associated load balancer.`);
  if (tg.TargetType === 'ip' && td.networkMode !== 'awsvpc') {
    f.fail(`The provided target group ${tgArn} has target type ip, which is incompatible with the ${td.networkMode} network mode specified in the task definition.`);
  }
  if (tg.TargetType === 'instance' && td.networkMode === 'awsvpc') {
    f.fail(`The provided target group ${tgArn} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.`);
  }
}

/** Validates `loadBalancers` against the task definition the service runs and the region's target groups. */
export function loadBalancers(rs: RegionState, list: readonly LoadBalancer[] | undefined, td: TaskDefinition): LoadBalancerRef[] {
  const refs = (list ?? []).map((lb, i) => {
    const at = `loadBalancers[${i}]`;
    const targetGroupArn = lb.targetGroupArn;
    const loadBalancerName = lb.loadBalancerName;
    const containerName = lb.containerName;
    const containerPort = f.int(lb.containerPort, ['loadBalancers', i, 'containerPort'], { min: 1, max: 65535 });
    if (!targetGroupArn && !loadBalancerName) f.fail(`${at} must specify a targetGroupArn or a loadBalancerName.`);
    if (targetGroupArn && !TG_ARN_RE.test(targetGroupArn)) f.fail(`${at}.targetGroupArn is not a valid target group ARN: ${targetGroupArn}.`);
    if (!containerName) return f.fail(`${at}.containerName must be specified.`);
    if (containerPort === undefined) return f.fail(`${at}.containerPort must be specified.`);
    const cd = td.containerDefinitions.find((c) => c.name === containerName);
    if (!cd) return f.fail(`The container ${containerName} does not exist in the task definition.`);
    if (!cd.portMappings.some((p) => p.containerPort === containerPort)) {
      f.fail(`The container ${containerName} did not have a container port ${containerPort} defined.`);
    }
    const ref: LoadBalancerRef = { containerName, containerPort };
    if (targetGroupArn) ref.targetGroupArn = targetGroupArn;
    if (loadBalancerName) ref.loadBalancerName = loadBalancerName;
    return ref;
  });
  for (const r of refs) {
    if (r.loadBalancerName && !r.targetGroupArn) f.fail('Classic Load Balancers are not supported by the sandbox; use a targetGroupArn.');
    if (r.targetGroupArn) checkTargetGroup(rs, r.targetGroupArn, td);
  }
  return refs;
}

/** awsvpc needs a network configuration and other modes refuse one, as ECS says. */
export function checkNetworkConfiguration(td: TaskDefinition, networkConfiguration: NetworkConfiguration | undefined): void {
  const given = networkConfiguration !== undefined;
  if (td.networkMode === 'awsvpc' && !given) f.fail("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  if (td.networkMode !== 'awsvpc' && given) f.fail('Network Configuration is not valid for the given networkMode of this task definition.');
}
