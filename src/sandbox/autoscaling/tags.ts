/**
 * Auto Scaling group tags: CreateOrUpdateTags, DeleteTags and DescribeTags (with its filters
 * auto-scaling-group, key, value and propagate-at-launch), as EC2 Auto Scaling answers them.
 * The tags are the group's own (CreateAutoScalingGroup's Tags); PropagateAtLaunch applies to the
 * instances launched after the change, as on AWS.
 */
import type { CreateOrUpdateTagsCommandInput, DeleteTagsCommandInput, DescribeTagsCommandInput, Tag } from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING, autoScalingFields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { group, pageSize } from './groups';
import { autoScalingState, type AutoScalingGroup } from './model';

/** AWS's limit of tags per Auto Scaling group. */
const MAX_TAGS = 50;

/** The group a tag names (ResourceType auto-scaling-group, ResourceId its name). */
function taggedGroup(ctx: RequestContext, t: Tag, i: number): AutoScalingGroup {
  const type = f.str(t.ResourceType, ['Tags', i, 'ResourceType'], { required: true, min: 1 });
  if (type !== 'auto-scaling-group') f.fail(`Invalid resource type: ${type}. Only auto-scaling-group is supported.`);
  const id = f.str(t.ResourceId, ['Tags', i, 'ResourceId'], { required: true, min: 1 });
  return group(ctx, id);
}

function tagKey(t: Tag, i: number): string {
  const key = f.str(t.Key, ['Tags', i, 'Key'], { required: true, min: 1, max: 128 });
  if (key.startsWith('aws:')) f.fail(`Tag keys starting with 'aws:' are reserved for internal use: ${key}`);
  return key;
}

export const createOrUpdateTags: Operation<CreateOrUpdateTagsCommandInput> = (ctx, input) => {
  const tags = input.Tags ?? [];
  if (!tags.length) f.fail("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  // Everything is checked before anything changes.
  const changes = tags.map((t, i) => ({ g: taggedGroup(ctx, t, i), key: tagKey(t, i), value: f.str(t.Value, ['Tags', i, 'Value'], { max: 256 }) ?? '', propagate: t.PropagateAtLaunch }));
  for (const g of new Set(changes.map((c) => c.g))) {
    const keys = new Set([...g.Tags.map((t) => t.Key), ...changes.filter((c) => c.g === g).map((c) => c.key)]);
    if (keys.size > MAX_TAGS) throw new AwsError('LimitExceeded', `The number of tags for the Auto Scaling group ${g.AutoScalingGroupName} would exceed the limit of ${MAX_TAGS}.`);
  }
  for (const c of changes) {
    const existing = c.g.Tags.find((t) => t.Key === c.key);
    if (existing) {
      existing.Value = c.value;
      if (c.propagate !== undefined) existing.PropagateAtLaunch = c.propagate;
    } else {
      c.g.Tags.push({ Key: c.key, Value: c.value, PropagateAtLaunch: c.propagate ?? false });
    }
  }
  return {};
};

export const deleteTags: Operation<DeleteTagsCommandInput> = (ctx, input) => {
  const tags = input.Tags ?? [];
  if (!tags.length) f.fail("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  const changes = tags.map((t, i) => ({ g: taggedGroup(ctx, t, i), key: tagKey(t, i), value: t.Value }));
  for (const c of changes) {
    // A Value given must match the tag's for it to be deleted; no such tag is not an error.
    c.g.Tags = c.g.Tags.filter((t) => !(t.Key === c.key && (c.value === undefined || c.value === t.Value)));
  }
  return {};
};

const FILTERS: Record<string, (g: AutoScalingGroup, t: AutoScalingGroup['Tags'][number]) => string> = {
  'auto-scaling-group': (g) => g.AutoScalingGroupName,
  key: (_g, t) => t.Key,
  value: (_g, t) => t.Value,
  'propagate-at-launch': (_g, t) => String(t.PropagateAtLaunch),
};

export const describeTags: Operation<DescribeTagsCommandInput> = (ctx, input) => {
  const filters = (input.Filters ?? []).map((x, i) => {
    const name = f.str(x.Name, ['Filters', i, 'Name'], { required: true, min: 1 });
    if (!Object.hasOwn(FILTERS, name)) f.fail(`Filter type ${name} is not supported. Supported filter types: ${Object.keys(FILTERS).join(', ')}`);
    return { get: FILTERS[name], values: x.Values ?? [] };
  });
  const groups = Object.values(autoScalingState(ctx.state).groups)
    .filter((g) => g.Status !== 'Delete in progress')
    .sort((a, b) => (a.AutoScalingGroupName < b.AutoScalingGroupName ? -1 : 1));
  const rows = groups.flatMap((g) =>
    [...g.Tags]
      .sort((a, b) => (a.Key < b.Key ? -1 : 1))
      .filter((t) => filters.every((flt) => flt.values.includes(flt.get(g, t))))
      .map((t) => ({ ResourceId: g.AutoScalingGroupName, ResourceType: 'auto-scaling-group', Key: t.Key, Value: t.Value, PropagateAtLaunch: t.PropagateAtLaunch })),
  );
  const { page, next } = paginate(rows, { op: 'DescribeTags', size: pageSize(input.MaxRecords, 100), token: input.NextToken, key: (r) => `${r.ResourceId}\u0000${r.Key}` }, AUTO_SCALING);
  return { Tags: page, ...(next ? { NextToken: next } : {}) };
};
