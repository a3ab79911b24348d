/** DescribeScalingActivities, and the activity's API shape. */
import type { DescribeScalingActivitiesCommandInput } from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING, paginate, type Operation } from '../kit';
import { own } from '../records';
import { xmlDate } from '../service';
import { pageSize } from './groups';
import { autoScalingState, type AsgActivity } from './model';

export const activityOut = (a: AsgActivity) => ({
  ActivityId: a.ActivityId,
  AutoScalingGroupName: a.AutoScalingGroupName,
  Description: a.Description,
  Cause: a.Cause,
  StartTime: xmlDate(a.StartTime),
  ...(a.EndTime !== undefined ? { EndTime: xmlDate(a.EndTime) } : {}),
  StatusCode: a.StatusCode,
  ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
  Progress: a.Progress,
  Details: a.Details,
  AutoScalingGroupARN: a.AutoScalingGroupARN,
});

export const describeScalingActivities: Operation<DescribeScalingActivitiesCommandInput> = (ctx, input) => {
  const ids = input.ActivityIds ?? [];
  const name = input.AutoScalingGroupName;
  const includeDeleted = input.IncludeDeletedGroups ?? false;
  const s = autoScalingState(ctx.state);
  const all = s.activities.filter(
    (a) =>
      (!ids.length || ids.includes(a.ActivityId)) &&
      (!name || a.AutoScalingGroupName === name) &&
      (includeDeleted || ids.length > 0 || !!own(s.groups, a.AutoScalingGroupName)),
  );
  const { page, next } = paginate(all, { op: 'DescribeScalingActivities', size: pageSize(input.MaxRecords, 100), token: input.NextToken, key: (a) => a.ActivityId }, AUTO_SCALING);
  return { Activities: page.map(activityOut), ...(next ? { NextToken: next } : {}) };
}
