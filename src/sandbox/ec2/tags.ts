/**
 * CreateTags / DeleteTags / DescribeTags over the taggable resources the sandbox keeps: instances,
 * security groups, launch templates, VPCs, subnets, internet gateways, route tables and key pairs.
 */
import type { CreateTagsCommandInput, DeleteTagsCommandInput, DescribeTagsCommandInput } from '@aws-sdk/client-ec2';
import type { Ec2State, Tag } from '../engine/state';
import { ec2Dialect, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import {
  checkId,
  groupNotFound,
  instanceNotFound,
  internetGatewayNotFound,
  keyPairNotFound,
  launchTemplateIdNotFound,
  routeTableNotFound,
  subnetNotFound,
  vpcNotFound,
} from './errors';
import { own } from '../records';
import { applyFilters, parseFilters } from './filters';
import { checkDryRun, mergeTags, missing, pageSize, tagList, validateTag } from './request';

export type TaggableType = 'instance' | 'security-group' | 'launch-template' | 'vpc' | 'subnet' | 'internet-gateway' | 'route-table' | 'key-pair';

interface Holder {
  type: TaggableType;
  get(): Tag[];
  set(tags: Tag[]): void;
}

function typeOf(id: string): TaggableType | undefined {
  if (id.startsWith('i-')) return 'instance';
  if (id.startsWith('sg-')) return 'security-group';
  if (id.startsWith('lt-')) return 'launch-template';
  if (id.startsWith('vpc-')) return 'vpc';
  if (id.startsWith('subnet-')) return 'subnet';
  if (id.startsWith('igw-')) return 'internet-gateway';
  if (id.startsWith('rtb-')) return 'route-table';
  if (id.startsWith('key-')) return 'key-pair';
  return undefined;
}

/** The tag holder of a resource id; throws EC2's error for a malformed or unknown id. */
function holder(ec2: Ec2State, id: string): Holder {
  const type = typeOf(id);
  if (!type) throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
  if (type !== 'key-pair') checkId(type, id);
  switch (type) {
    case 'instance': {
      const r = ec2.instances[id];
      if (!r) throw instanceNotFound([id]);
      return { type, get: () => r.tags, set: (t) => (r.tags = t) };
    }
    case 'security-group': {
      const r = ec2.securityGroups[id];
      if (!r) throw groupNotFound(id);
      return { type, get: () => r.tags, set: (t) => (r.tags = t) };
    }
    case 'launch-template': {
      const r = ec2.launchTemplates[id];
      if (!r) throw launchTemplateIdNotFound(id);
      return { type, get: () => r.tags, set: (t) => (r.tags = t) };
    }
    case 'vpc': {
      const r = ec2.vpcs[id];
      if (!r) throw vpcNotFound(id);
      return { type, get: () => r.tags ?? [], set: (t) => (r.tags = t) };
    }
    case 'subnet': {
      const r = ec2.subnets[id];
      if (!r) throw subnetNotFound(id);
      return { type, get: () => r.tags ?? [], set: (t) => (r.tags = t) };
    }
    case 'internet-gateway': {
      const r = ec2.internetGateways[id];
      if (!r) throw internetGatewayNotFound(id);
      return { type, get: () => r.tags, set: (t) => (r.tags = t) };
    }
    case 'route-table': {
      const r = ec2.routeTables[id];
      if (!r) throw routeTableNotFound(id);
      return { type, get: () => r.tags, set: (t) => (r.tags = t) };
    }
    case 'key-pair': {
      const r = own(ec2.keyPairs, id);
      if (!r) throw keyPairNotFound(id);
      return { type, get: () => r.tags, set: (t) => (r.tags = t) };
    }
  }
}

function resources(ids: string[] | undefined): string[] {
  if (!ids?.length) throw missing('ResourceId');
  return ids;
}

export const createTags: Operation<CreateTagsCommandInput> = (ctx, input) => {
  const ids = resources(input.Resources);
  const tags = tagList(input.Tags);
  if (tags.length === 0) throw missing('Tag');
  // Validate every resource and the resulting tag count before changing anything.
  const holders = ids.map((id) => holder(ctx.state.ec2, id));
  const results = holders.map((h) => mergeTags(h.get(), tags));
  checkDryRun(input);
  holders.forEach((h, i) => h.set(results[i]));
  return { return: true };
};

export const deleteTags: Operation<DeleteTagsCommandInput> = (ctx, input) => {
  const ids = resources(input.Resources);
  const specs = (input.Tags ?? []).map((t, i) => {
    if (t.Key === undefined || t.Key === '') throw missing(`Tag.${i + 1}.Key`);
    validateTag(t.Key, t.Value ?? '');
    return { key: t.Key, value: t.Value };
  });
  const holders = ids.map((id) => holder(ctx.state.ec2, id));
  checkDryRun(input);
  for (const h of holders) {
    // No tags given: every tag goes. A value given: only a tag with that value goes.
    const keep =
      specs.length === 0
        ? []
        : h.get().filter((t) => !specs.some((s) => s.key === t.key && (s.value === undefined || s.value === t.value)));
    h.set(keep);
  }
  return { return: true };
};

interface TagDescription {
  resourceId: string;
  resourceType: TaggableType;
  key: string;
  value: string;
}

function allTagDescriptions(ec2: Ec2State): TagDescription[] {
  const out: TagDescription[] = [];
  const add = (resourceId: string, resourceType: TaggableType, tags: Tag[] | undefined) => {
    for (const t of tags ?? []) out.push({ resourceId, resourceType, key: t.key, value: t.value });
  };
  for (const r of Object.values(ec2.instances)) add(r.instanceId, 'instance', r.tags);
  for (const r of Object.values(ec2.securityGroups)) add(r.groupId, 'security-group', r.tags);
  for (const r of Object.values(ec2.launchTemplates)) add(r.launchTemplateId, 'launch-template', r.tags);
  for (const r of Object.values(ec2.vpcs)) add(r.vpcId, 'vpc', r.tags);
  for (const r of Object.values(ec2.subnets)) add(r.subnetId, 'subnet', r.tags);
  for (const r of Object.values(ec2.internetGateways)) add(r.internetGatewayId, 'internet-gateway', r.tags);
  for (const r of Object.values(ec2.routeTables)) add(r.routeTableId, 'route-table', r.tags);
  for (const r of Object.values(ec2.keyPairs)) add(r.keyPairId, 'key-pair', r.tags);
  return out.sort((a, b) => (a.resourceId === b.resourceId ? cmp(a.key, b.key) : cmp(a.resourceId, b.resourceId)));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const describeTags: Operation<DescribeTagsCommandInput> = (ctx, input) => {
  const filters = parseFilters(input.Filters);
  const ec2 = ctx.state.ec2;
  const items = applyFilters(
    allTagDescriptions(ec2),
    filters.filter((f) => !f.name.startsWith('tag:')),
    {
      key: (d) => d.key,
      value: (d) => d.value,
      'resource-id': (d) => d.resourceId,
      'resource-type': (d) => d.resourceType,
    },
  );
  // `tag:<key>` keeps the tags of resources that carry that tag with a matching value.
  const tagFilters = filters.filter((f) => f.name.startsWith('tag:'));
  const byResource = (id: string): Tag[] => {
    try {
      return holder(ec2, id).get();
    } catch {
      return [];
    }
  };
  const matched = tagFilters.length === 0 ? items : applyFilters(items, tagFilters, {}, (d) => byResource(d.resourceId));
  const { page, next } = paginate(matched, { op: 'DescribeTags', size: pageSize(input.MaxResults, { min: 5, max: 1000 }), token: input.NextToken }, ec2Dialect);
  return { tagSet: page, nextToken: next };
};
