/** ListTagsForResource, TagResource, UntagResource for clusters, services, task definitions, tasks and container instances. */
import type { ListTagsForResourceCommandInput, TagResourceCommandInput, UntagResourceCommandInput } from '@aws-sdk/client-ecs';
import type { Tag } from '../engine/state';
import { ecsFields as f, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { mergeTags, readTags } from './request';
import { findContainerInstance, findService, findTask, findTaskDefinition, own, parseArn } from './resolve';

const notFound = () => new AwsError('ResourceNotFoundException', 'The specified resource wasn\'t found.');

/** Where the tags of `arn` live: read and write them. Throws for unknown or unsupported resources. */
function tagSlot(ctx: RequestContext, arn: string): { get(): Tag[]; set(tags: Tag[]): void } {
  const a = parseArn(arn);
  if (!a) return f.fail(`Invalid resource ARN: ${arn}.`);
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
      if (a.parts.length !== 1) return f.fail(`Invalid resource ARN: ${arn}.`);
      clusterOf(a.parts[0]);
      return inMap;
    case 'service': {
      if (a.parts.length !== 2) return f.fail(`Invalid resource ARN: ${arn}. Use the long ARN format service/<cluster>/<name>.`);
      const s = findService(ctx, clusterOf(a.parts[0]), arn);
      if (!s || s.status === 'INACTIVE') throw notFound();
      return inMap;
    }
    case 'task': {
      if (a.parts.length !== 2) return f.fail(`Invalid resource ARN: ${arn}. Use the long ARN format task/<cluster>/<id>.`);
      const t = findTask(ctx, clusterOf(a.parts[0]), arn);
      if (!t) throw notFound();
      return { get: () => t.tags, set: (x) => (t.tags = x) };
    }
    case 'container-instance': {
      if (a.parts.length !== 2) return f.fail(`Invalid resource ARN: ${arn}. Use the long ARN format container-instance/<cluster>/<id>.`);
      const ci = findContainerInstance(ctx, clusterOf(a.parts[0]), arn);
      if (!ci) throw notFound();
      return inMap;
    }
    case 'task-definition': {
      if (!findTaskDefinition(ctx, arn)) throw notFound();
      return inMap;
    }
    default:
      return f.fail(`The resource type ${a.type} does not support tagging in the sandbox.`);
  }
}

export const listTagsForResource: Operation<ListTagsForResourceCommandInput> = (ctx, input) => {
  const slot = tagSlot(ctx, f.str(input.resourceArn, 'resourceArn', { required: true }));
  return { tags: slot.get().map((t) => ({ ...t })) };
};

export const tagResource: Operation<TagResourceCommandInput> = (ctx, input) => {
  const arn = f.str(input.resourceArn, 'resourceArn', { required: true });
  const add = readTags(f.need(input.tags, 'tags'));
  const slot = tagSlot(ctx, arn);
  slot.set(mergeTags(slot.get(), add));
  return {};
};

export const untagResource: Operation<UntagResourceCommandInput> = (ctx, input) => {
  const arn = f.str(input.resourceArn, 'resourceArn', { required: true });
  const keys = f.strings(input.tagKeys, 'tagKeys', { required: true, max: 50 });
  const slot = tagSlot(ctx, arn);
  slot.set(slot.get().filter((t) => !keys.includes(t.key)));
  return {};
};
