/** DescribeScalingActivities. */
import type { DescribeScalingActivitiesCommandInput } from '@aws-sdk/client-application-auto-scaling';
import { APPLICATION_AUTO_SCALING, paginate, type Operation } from '../kit';
import { appScalingState, type ScalingActivity } from './model';
import { namespace, pageSize } from './request';

const activityOut = (a: ScalingActivity) => ({
  ActivityId: a.ActivityId,
  ServiceNamespace: a.ServiceNamespace,
  ResourceId: a.ResourceId,
  ScalableDimension: a.ScalableDimension,
  Description: a.Description,
  Cause: a.Cause,
  StartTime: a.StartTime,
  ...(a.EndTime !== undefined ? { EndTime: a.EndTime } : {}),
  StatusCode: a.StatusCode,
  ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
});

export const describeScalingActivities: Operation<DescribeScalingActivitiesCommandInput> = (ctx, input) => {
  const ns = namespace(input);
  const resourceId = input.ResourceId;
  const dim = input.ScalableDimension;
  const s = appScalingState(ctx.state);
  const all = s.activities.filter((a) => a.ServiceNamespace === ns && (!resourceId || a.ResourceId === resourceId) && (!dim || a.ScalableDimension === dim));
  const { page, next } = paginate(
    all,
    { op: 'DescribeScalingActivities', size: pageSize(input.MaxResults), token: input.NextToken, key: (a) => a.ActivityId },
    APPLICATION_AUTO_SCALING,
  );
  return { ScalingActivities: page.map(activityOut), ...(next ? { NextToken: next } : {}) };
};
