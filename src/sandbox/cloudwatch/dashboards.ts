/**
 * CloudWatch dashboards: PutDashboard, GetDashboard, ListDashboards, DeleteDashboards. The body is
 * kept as sent (a JSON object with a `widgets` array, as CloudWatch checks it) and not rendered:
 * the sandbox has no console. Names up to 255 letters, digits, `-` and `_`; at most 5,000 per
 * region; bodies up to 1 MB (the request limit).
 */
import type { DeleteDashboardsCommandInput, GetDashboardCommandInput, ListDashboardsCommandInput, PutDashboardCommandInput } from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../protocol/errors';
import { CLOUDWATCH, cloudwatchFields as f, paginate, type Operation } from '../kit';
import type { RegionState } from '../engine/state';
import { serviceState } from '../service-state';
import { xmlDate } from '../service';

interface Dashboard {
  DashboardName: string;
  DashboardArn: string;
  DashboardBody: string;
  LastModified: number;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
const MAX_DASHBOARDS = 5000;

/** Dashboards by name, kept beside the CloudWatch state. */
const dashboards = (rs: RegionState): Record<string, Dashboard> => serviceState<Record<string, Dashboard>>(rs, 'cloudwatchDashboards', () => ({}));
const has = (d: Record<string, Dashboard>, name: string) => Object.prototype.hasOwnProperty.call(d, name);

const invalid = (message: string): never => {
  throw new AwsError('InvalidParameterInput', message);
};
const notFound = (name: string): never => {
  throw new AwsError('ResourceNotFound', `Dashboard ${name} does not exist`, 404);
};

function checkName(name: string): void {
  if (!NAME_RE.test(name)) invalid('The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).');
}

export const putDashboard: Operation<PutDashboardCommandInput> = (ctx, input) => {
  const name = f.str(input.DashboardName, 'DashboardName', { required: true });
  checkName(name);
  const body = f.str(input.DashboardBody, 'DashboardBody', { required: true });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return invalid('The field DashboardBody must be a valid JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) invalid('The field DashboardBody must be a valid JSON object');
  if (!Array.isArray((parsed as { widgets?: unknown }).widgets)) {
    invalid('The dashboard body is invalid, there are 1 validation errors:\n[\n  {\n    "dataPath": "",\n    "message": "Should have required property \'widgets\'"\n  }\n]');
  }
  const all = dashboards(ctx.state);
  if (!has(all, name) && Object.keys(all).length >= MAX_DASHBOARDS) throw new AwsError('LimitExceeded', `The maximum number of dashboards (${MAX_DASHBOARDS}) has been reached.`);
  all[name] = { DashboardName: name, DashboardArn: `arn:aws:cloudwatch::${ctx.accountId}:dashboard/${name}`, DashboardBody: body, LastModified: ctx.now };
  return { DashboardValidationMessages: [] };
};

export const getDashboard: Operation<GetDashboardCommandInput> = (ctx, input) => {
  const name = f.str(input.DashboardName, 'DashboardName', { required: true });
  const all = dashboards(ctx.state);
  if (!has(all, name)) notFound(name);
  const d = all[name];
  return { DashboardArn: d.DashboardArn, DashboardBody: d.DashboardBody, DashboardName: d.DashboardName };
};

export const listDashboards: Operation<ListDashboardsCommandInput> = (ctx, input) => {
  const prefix = f.str(input.DashboardNamePrefix, 'DashboardNamePrefix', { max: 255 }) ?? '';
  const items = Object.values(dashboards(ctx.state))
    .filter((d) => d.DashboardName.startsWith(prefix))
    .sort((a, b) => (a.DashboardName < b.DashboardName ? -1 : a.DashboardName > b.DashboardName ? 1 : 0));
  const { page, next } = paginate(items, { op: 'ListDashboards', size: 1000, token: input.NextToken, key: (d) => d.DashboardName }, CLOUDWATCH);
  return {
    DashboardEntries: page.map((d) => ({ DashboardName: d.DashboardName, DashboardArn: d.DashboardArn, LastModified: xmlDate(d.LastModified), Size: Buffer.byteLength(d.DashboardBody, 'utf8') })),
    NextToken: next,
  };
};

/** All or nothing: one name that does not exist deletes none. */
export const deleteDashboards: Operation<DeleteDashboardsCommandInput> = (ctx, input) => {
  const names = f.strings(input.DashboardNames, 'DashboardNames', { required: true });
  const all = dashboards(ctx.state);
  for (const n of names) if (!has(all, n)) notFound(n);
  for (const n of names) delete all[n];
  return {};
};
