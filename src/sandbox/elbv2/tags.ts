/**
 * AddTags, RemoveTags, DescribeTags over load balancers, target groups, listeners and rules.
 */
import type { AddTagsCommandInput, DescribeTagsCommandInput, RemoveTagsCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbv2Fields as f, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { arnKind, bump, elbv2State, type Elbv2State } from './model';
import { notNull, readTags } from './request';

const NOT_FOUND: Record<string, [string, string]> = {
  loadbalancer: ['LoadBalancerNotFound', 'One or more load balancers not found'],
  targetgroup: ['TargetGroupNotFound', 'One or more target groups not found'],
  listener: ['ListenerNotFound', 'One or more listeners not found'],
  'listener-rule': ['RuleNotFound', 'One or more rules not found'],
};

function checkResource(s: Elbv2State, arn: string): void {
  const kind = arnKind(arn);
  if (!kind) f.fail(`'${arn}' is not a valid resource ARN`);
  const exists =
    kind === 'loadbalancer'
      ? !!s.loadBalancers[arn]
      : kind === 'targetgroup'
        ? !!s.targetGroups[arn]
        : kind === 'listener'
          ? !!s.listeners[arn]
          : !!s.rules[arn] || Object.values(s.listeners).some((l) => l.defaultRuleArn === arn);
  if (!exists) throw new AwsError(...NOT_FOUND[kind!]);
}

function resourceArns(arns: string[] | undefined): string[] {
  if (!arns?.length) return notNull('ResourceArns');
  if (arns.length > 20) f.fail('You can specify at most 20 resource ARNs');
  return arns;
}

export const addTags: Operation<AddTagsCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const arns = resourceArns(input.ResourceArns);
  const tags = readTags(input.Tags);
  if (tags.length === 0) notNull('Tags');
  arns.forEach((a) => checkResource(s, a));
  // Every resource's new tags are checked before any is changed.
  const merged = arns.map((arn) => {
    const current = [...(s.tags[arn] ?? [])];
    for (const t of tags) {
      const i = current.findIndex((c) => c.Key === t.Key);
      if (i >= 0) current[i] = t;
      else current.push(t);
    }
    if (current.length > 50) f.fail(`The quota for the number of tags that can be assigned to a resource (50) has been reached`, 'TooManyTags');
    return current;
  });
  arns.forEach((arn, i) => (s.tags[arn] = merged[i]));
  bump(s);
  return {};
};

export const removeTags: Operation<RemoveTagsCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const arns = resourceArns(input.ResourceArns);
  const keys = input.TagKeys ?? [];
  if (keys.length === 0) notNull('TagKeys');
  arns.forEach((a) => checkResource(s, a));
  for (const arn of arns) {
    if (s.tags[arn]) s.tags[arn] = s.tags[arn].filter((t) => !keys.includes(t.Key));
  }
  return {};
};

export const describeTags: Operation<DescribeTagsCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const arns = resourceArns(input.ResourceArns);
  arns.forEach((a) => checkResource(s, a));
  return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: s.tags[arn] ?? [] })) };
};
