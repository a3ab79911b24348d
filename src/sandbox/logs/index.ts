/**
 * Amazon CloudWatch Logs in the sandbox (awsJson1_1, `X-Amz-Target: Logs_20140328.<Operation>`):
 * log groups (groups.ts), streams (streams.ts), events (events.ts: put, get, filter), tags
 * (tags.ts), kept per region under `RegionState.serviceState.logs` (model.ts, store.ts).
 *
 * In a sandbox it is the plug-in `logsPlugin` (plugin.ts), which is also the awslogs log driver of
 * the tasks (awslogs.ts): what a task's container prints goes to its log stream.
 */
import type * as LogsApi from '@aws-sdk/client-cloudwatch-logs';
import { defineService, LOGS } from '../kit';
import { filterLogEvents, getLogEvents, putLogEvents } from './events';
import { createLogGroup, deleteLogGroup, deleteRetentionPolicy, describeLogGroups, putRetentionPolicy } from './groups';
import { createLogStream, deleteLogStream, describeLogStreams } from './streams';
import { listTagsForResource, listTagsLogGroup, tagLogGroup, tagResource, untagLogGroup, untagResource } from './tags';

export const logsService = defineService<typeof LogsApi>(
  { signingName: 'logs', protocol: 'awsJson1_1', targetPrefix: 'Logs_20140328', errorMessageKey: 'message', dialect: LOGS },
  {
    CreateLogGroup: createLogGroup,
    DeleteLogGroup: deleteLogGroup,
    DescribeLogGroups: describeLogGroups,
    PutRetentionPolicy: putRetentionPolicy,
    DeleteRetentionPolicy: deleteRetentionPolicy,
    CreateLogStream: createLogStream,
    DeleteLogStream: deleteLogStream,
    DescribeLogStreams: describeLogStreams,
    PutLogEvents: putLogEvents,
    GetLogEvents: getLogEvents,
    FilterLogEvents: filterLogEvents,
    TagLogGroup: tagLogGroup,
    UntagLogGroup: untagLogGroup,
    ListTagsLogGroup: listTagsLogGroup,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsForResource: listTagsForResource,
  },
);

export { logsState } from './model';
