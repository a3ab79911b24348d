/** ListTagsForResource, TagResource, UntagResource for clusters, services, task definitions, tasks and container instances. */
import { AwsError } from '../protocol/errors';
import type { Tag } from '../engine/state';
import type { Handler, RequestContext } from '../service';
import { findContainerInstance, findService, findTask, findTaskDefinition, own, parseArn } from './resolve';
import { body, fail, mergeTags, optStringList, reqString, tags } from './validate';

const notFound = () => new AwsError('ResourceNotFoundException', 'The specified resource wasn\'t found.');

/** Where the tags of `arn` live: read and write them. Throws for unknown or unsupported resources. */
function tagSlot(ctx: RequestContext, arn: string): { get(): Tag[]; set(tags: Tag[]): void } {
  const a = parseArn(arn);
  if (!a) return fail(`Invalid resource ARN: ${arn}.`);
  if (a.region !== ctx.region || a.account !== ctx.accountId) throw notFound();
  const ecs = ctx.state.ecs;
  const inMap = { get: () => ecs.tags[arn] ?? [], set: (t: Tag[]) => (t.length ? (ecs.tags[arn] = t) : delete ecs.tags[arn]) };
  const clusterOf = (name: string) => {
    const c = own(ecs.clusters, name);
    if (!c || c.status !== 'ACTIVE') throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return c;
  };
  switch (a.type) {
    case 'cluster':
      if (a.parts.length !== 1) return fail(`Invalid resource ARN: ${arn}.`);
      clusterOf(a.parts[0]);
      return inMap;
    case 'service': {
      if (a.parts.length !== 2) return fail(`Invalid resource ARN: ${arn}. Use the long ARN format service/<cluster>/<name>.`);
      const s = findService(ctx, clusterOf(a.parts[0]), arn);
      if (!s || s.status === 'INACTIVE') throw notFound();
      return inMap;
    }
    case 'task': {
      if (a.parts.length !== 2) return fail(`Invalid resource ARN: ${arn}. Use the long ARN format task/<cluster>/<id>.`);
      const t = findTask(ctx, clusterOf(a.parts[0]), arn);
      if (!t) throw notFound();
      return { get: () => t.tags, set: (x) => (t.tags = x) };
    }
    case 'container-instance': {
      if (a.parts.length !== 2) return fail(`Invalid resource ARN: ${arn}. Use the long ARN format container-instance/<cluster>/<id>.`);
      const ci = findContainerInstance(ctx, clusterOf(a.parts[0]), arn);
      if (!ci) throw notFound();
      return inMap;
    }
    case 'task-definition': {
      if (!findTaskDefinition(ctx, arn)) throw notFound();
      return inMap;
    }
    default:
      return fail(`The resource type ${a.type} does not support tagging in the sandbox.`);
  }
}

export const listTagsForResource: Handler = (ctx, raw) => {
  const input = body(raw);
  const slot = tagSlot(ctx, reqString(input.resourceArn, 'resourceArn'));
  return { tags: slot.get().map((t) => ({ ...t })) };
};

export const tagResource: Handler = (ctx, raw) => {
  const input = body(raw);
  const arn = reqString(input.resourceArn, 'resourceArn');
  if (input.tags === undefined || input.tags === null) fail('tags must be specified.');
  const add = tags(input.tags);
  const slot = tagSlot(ctx, arn);
  slot.set(mergeTags(slot.get(), add));
  return {};
};

export const untagResource: Handler = (ctx, raw) => {
  const input = body(raw);
  const arn = reqString(input.resourceArn, 'resourceArn');
  const keys = optStringList(input.tagKeys, 'tagKeys', { max: 50 });
  if (keys === undefined) fail('tagKeys must be specified.');
  const slot = tagSlot(ctx, arn);
  slot.set(slot.get().filter((t) => !keys!.includes(t.key)));
  return {};
};
