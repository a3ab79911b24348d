/** SetInstanceProtection, TerminateInstanceInAutoScalingGroup, DescribeAutoScalingInstances. */
import type {
  DescribeAutoScalingInstancesCommandInput,
  SetInstanceProtectionCommandInput,
  TerminateInstanceInAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING, autoScalingFields as f, paginate, type Operation } from '../kit';
import { own } from '../records';
import type { RequestContext } from '../service';
import { activityOut } from './activities';
import { group, launchSourceOut, pageSize } from './groups';
import { autoScalingState, causeTime, type AutoScalingGroup, type GroupInstance } from './model';
import { terminateGroupInstance } from './reconcile';

function groupInstance(ctx: RequestContext, id: string): { g: AutoScalingGroup; inst: GroupInstance } | undefined {
  for (const g of Object.values(autoScalingState(ctx.state).groups)) {
    const inst = own(g.instances, id);
    if (inst) return { g, inst };
  }
  return undefined;
}

export const setInstanceProtection: Operation<SetInstanceProtectionCommandInput> = (ctx, input) => {
  const g = group(ctx, f.str(input.AutoScalingGroupName, 'AutoScalingGroupName', { required: true, min: 1, max: 255 }));
  const ids = input.InstanceIds ?? [];
  if (ids.length === 0) throw AUTO_SCALING.missing('InstanceIds');
  const protect = f.need(input.ProtectedFromScaleIn, 'ProtectedFromScaleIn');
  for (const id of ids) {
    if (!own(g.instances, id)) f.fail(`The instance ${id} is not part of Auto Scaling group ${g.AutoScalingGroupName}.`);
  }
  for (const id of ids) own(g.instances, id)!.ProtectedFromScaleIn = protect;
  return {};
}

export const terminateInstanceInAutoScalingGroup: Operation<TerminateInstanceInAutoScalingGroupCommandInput> = (ctx, input) => {
  const id = f.str(input.InstanceId, 'InstanceId', { required: true, min: 1, max: 19 });
  const decrement = f.need(input.ShouldDecrementDesiredCapacity, 'ShouldDecrementDesiredCapacity');
  const found = groupInstance(ctx, id);
  if (!found || found.g.Status === 'Delete in progress') return f.fail(`Instance Id not found - No managed instance found for instance ID: ${id}`);
  const { g, inst } = found;
  const s = autoScalingState(ctx.state);
  const t = causeTime(ctx.now);
  if (inst.LifecycleState === 'Terminating') {
    const a = s.activities.find((x) => x.ActivityId === inst.activityId);
    if (a) return { Activity: activityOut(a) };
  }
  let cause: string;
  if (decrement) {
    if (g.DesiredCapacity <= g.MinSize) {
      f.fail(
        `Currently, desiredSize equals minSize (${g.MinSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
      );
    }
    cause = `At ${t} instance ${id} was taken out of service in response to a user request, shrinking the capacity from ${g.DesiredCapacity} to ${g.DesiredCapacity - 1}.`;
    g.DesiredCapacity -= 1;
  } else {
    cause = `At ${t} instance ${id} was taken out of service in response to a user request.`;
  }
  const a = terminateGroupInstance({ engine: ctx.engine, rs: ctx.state, now: ctx.now }, s, g, inst, cause);
  return { Activity: activityOut(a) };
}

export const describeAutoScalingInstances: Operation<DescribeAutoScalingInstancesCommandInput> = (ctx, input) => {
  const ids = input.InstanceIds ?? [];
  const rows: (GroupInstance & { group: string })[] = [];
  for (const g of Object.values(autoScalingState(ctx.state).groups)) {
    for (const i of Object.values(g.instances)) if (!ids.length || ids.includes(i.InstanceId)) rows.push({ ...i, group: g.AutoScalingGroupName });
  }
  rows.sort((a, b) => (a.InstanceId < b.InstanceId ? -1 : 1));
  const { page, next } = paginate(rows, { op: 'DescribeAutoScalingInstances', size: pageSize(input.MaxRecords, 50), token: input.NextToken, key: (i) => i.InstanceId }, AUTO_SCALING);
  return {
    AutoScalingInstances: page.map((i) => ({
      InstanceId: i.InstanceId,
      InstanceType: i.InstanceType,
      AutoScalingGroupName: i.group,
      AvailabilityZone: i.AvailabilityZone,
      LifecycleState: i.LifecycleState,
      // DescribeAutoScalingInstances spells health in capitals, unlike DescribeAutoScalingGroups.
      HealthStatus: i.HealthStatus.toUpperCase(),
      ...launchSourceOut(i),
      ProtectedFromScaleIn: i.ProtectedFromScaleIn,
    })),
    ...(next ? { NextToken: next } : {}),
  };
}
