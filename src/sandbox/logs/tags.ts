/**
 * Log group tags, through both APIs: the log-group ones (TagLogGroup, UntagLogGroup,
 * ListTagsLogGroup — deprecated by AWS, still served) and the generic ones by ARN (TagResource,
 * UntagResource, ListTagsForResource; the ARN without the trailing `:*`).
 */
import type {
  ListTagsForResourceCommandInput,
  ListTagsLogGroupCommandInput,
  TagLogGroupCommandInput,
  TagResourceCommandInput,
  UntagLogGroupCommandInput,
  UntagResourceCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../kit';
import type { LogGroupState } from './model';
import { addTags, findGroup, groupName, groupOfArn, tagKeysIn, tagsIn } from './request';

const removeTags = (g: LogGroupState, keys: readonly string[]): void => {
  for (const k of keys) delete g.tags[k];
};

export const tagLogGroup: Operation<TagLogGroupCommandInput> = (ctx, input) => {
  const name = groupName(input.logGroupName, 'logGroupName', true);
  const tags = tagsIn(input.tags, 'tags', true)!;
  addTags(findGroup(ctx, name), tags);
  return {};
};

export const untagLogGroup: Operation<UntagLogGroupCommandInput> = (ctx, input) => {
  const name = groupName(input.logGroupName, 'logGroupName', true);
  const keys = tagKeysIn(input.tags, 'tags', 1);
  removeTags(findGroup(ctx, name), keys);
  return {};
};

export const listTagsLogGroup: Operation<ListTagsLogGroupCommandInput> = (ctx, input) => {
  const name = groupName(input.logGroupName, 'logGroupName', true);
  return { tags: { ...findGroup(ctx, name).tags } };
};

export const tagResource: Operation<TagResourceCommandInput> = (ctx, input) => {
  const tags = tagsIn(input.tags, 'tags', true)!;
  addTags(groupOfArn(ctx, input.resourceArn), tags);
  return {};
};

export const untagResource: Operation<UntagResourceCommandInput> = (ctx, input) => {
  const keys = tagKeysIn(input.tagKeys, 'tagKeys', 0);
  removeTags(groupOfArn(ctx, input.resourceArn), keys);
  return {};
};

export const listTagsForResource: Operation<ListTagsForResourceCommandInput> = (ctx, input) => ({ tags: { ...groupOfArn(ctx, input.resourceArn).tags } });
