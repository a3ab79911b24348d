/**
 * AddTags, RemoveTags, DescribeTags over load balancers, target groups, listeners and rules.
 */
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { fail, optStrList, optTags } from './input';
import { arnKind, bump, elbv2State, type Elbv2State } from './model';

const NOT_FOUND: Record<string, [string, string]> = {
  loadbalancer: ['LoadBalancerNotFound', 'One or more load balancers not found'],
  targetgroup: ['TargetGroupNotFound', 'One or more target groups not found'],
  listener: ['ListenerNotFound', 'One or more listeners not found'],
  'listener-rule': ['RuleNotFound', 'One or more rules not found'],
};

function checkResource(s: Elbv2State, arn: string): void {
  const kind = arnKind(arn);
  if (!kind) fail(`'${arn}' is not a valid resource ARN`);
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

function resourceArns(input: any): string[] {
  const arns = optStrList(input.ResourceArns, 'ResourceArns') ?? [];
  if (arns.length === 0) fail("1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null");
  if (arns.length > 20) fail('You can specify at most 20 resource ARNs');
  return arns;
}

export const tagOperations = {
  AddTags: (ctx: RequestContext, input: any) => {
    const s = elbv2State(ctx.state);
    const arns = resourceArns(input);
    const tags = optTags(input.Tags) ?? [];
    if (tags.length === 0) fail("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    arns.forEach((a) => checkResource(s, a));
    for (const arn of arns) {
      const current = [...(s.tags[arn] ?? [])];
      for (const t of tags) {
        const i = current.findIndex((c) => c.Key === t.Key);
        if (i >= 0) current[i] = t;
        else current.push(t);
      }
      if (current.length > 50) fail(`The quota for the number of tags that can be assigned to a resource (50) has been reached`, 'TooManyTags');
    }
    for (const arn of arns) {
      const current = (s.tags[arn] ??= []);
      for (const t of tags) {
        const i = current.findIndex((c) => c.Key === t.Key);
        if (i >= 0) current[i] = t;
        else current.push(t);
      }
    }
    bump(s);
    return {};
  },
  RemoveTags: (ctx: RequestContext, input: any) => {
    const s = elbv2State(ctx.state);
    const arns = resourceArns(input);
    const keys = optStrList(input.TagKeys, 'TagKeys') ?? [];
    if (keys.length === 0) fail("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
    arns.forEach((a) => checkResource(s, a));
    for (const arn of arns) {
      if (s.tags[arn]) s.tags[arn] = s.tags[arn].filter((t) => !keys.includes(t.Key));
    }
    return {};
  },
  DescribeTags: (ctx: RequestContext, input: any) => {
    const s = elbv2State(ctx.state);
    const arns = resourceArns(input);
    arns.forEach((a) => checkResource(s, a));
    return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: s.tags[arn] ?? [] })) };
  },
};
