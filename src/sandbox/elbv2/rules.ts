/**
 * CreateRule, DescribeRules, ModifyRule, SetRulePriorities, DeleteRule. DescribeRules shows the
 * listener's default actions as the `default` rule, as ELBv2 does.
 */
import type {
  CreateRuleCommandInput,
  DeleteRuleCommandInput,
  DescribeRulesCommandInput,
  ModifyRuleCommandInput,
  SetRulePrioritiesCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ELBV2, elbv2Fields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { actionOutput, conditionOutput, readActions, readConditions } from './actions';
import { findListener } from './listeners';
import { arnKind, bump, elbArns, elbv2State, type Elbv2State, type Listener, type Rule } from './model';
import { notNull, pageSize, readTags } from './request';

const ruleOutput = (r: Rule) => ({
  RuleArn: r.RuleArn,
  Priority: String(r.Priority),
  Conditions: r.Conditions.map(conditionOutput),
  Actions: r.Actions.map(actionOutput),
  IsDefault: false,
});

const defaultRuleOutput = (l: Listener) => ({
  RuleArn: l.defaultRuleArn,
  Priority: 'default',
  Conditions: [],
  Actions: l.DefaultActions.map(actionOutput),
  IsDefault: true,
});

/** The listener's rules in evaluation order (lowest priority number first), default rule excluded. */
export function rulesOf(s: Elbv2State, listenerArn: string): Rule[] {
  return Object.values(s.rules)
    .filter((r) => r.ListenerArn === listenerArn)
    .sort((a, b) => a.Priority - b.Priority);
}

function findRule(s: Elbv2State, arn: string): Rule | Listener {
  if (arnKind(arn) !== 'listener-rule') f.fail(`'${arn}' is not a valid listener rule ARN`);
  const r = s.rules[arn];
  if (r) return r;
  const l = Object.values(s.listeners).find((x) => x.defaultRuleArn === arn);
  if (l) return l;
  throw new AwsError('RuleNotFound', 'One or more rules not found');
}

const isListener = (x: Rule | Listener): x is Listener => 'DefaultActions' in x;

export const createRule: Operation<CreateRuleCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const l = findListener(s, f.str(input.ListenerArn, 'ListenerArn', { required: true }));
  const priority = f.int(input.Priority, 'Priority', { required: true, min: 1, max: 50000 });
  const conditions = readConditions(input.Conditions);
  const actions = readActions(s, input.Actions, 'Actions', l.LoadBalancerArn);
  const tags = readTags(input.Tags);
  if (rulesOf(s, l.ListenerArn).some((r) => r.Priority === priority)) f.fail(`Priority '${priority}' is currently in use`, 'PriorityInUse');
  if (rulesOf(s, l.ListenerArn).length >= 100) f.fail('The maximum number of rules for this listener (100) has been reached', 'TooManyRules');
  const rule: Rule = { RuleArn: elbArns.rule(l.ListenerArn), ListenerArn: l.ListenerArn, Priority: priority, Conditions: conditions, Actions: actions };
  s.rules[rule.RuleArn] = rule;
  if (tags.length) s.tags[rule.RuleArn] = tags;
  bump(s);
  return { Rules: [ruleOutput(rule)] };
};

export const describeRules: Operation<DescribeRulesCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const listenerArn = input.ListenerArn;
  const arns = input.RuleArns;
  if (!listenerArn && !arns?.length) f.fail('You must specify either listener rule ARNs or a listener ARN');
  if (listenerArn && arns?.length) f.fail('Listener rule ARNs and a listener ARN cannot be specified at the same time');
  let out: Record<string, unknown>[];
  if (listenerArn) {
    const l = findListener(s, listenerArn);
    out = [...rulesOf(s, l.ListenerArn).map(ruleOutput), defaultRuleOutput(l)];
  } else {
    out = arns!.map((a) => {
      const r = findRule(s, a);
      return isListener(r) ? defaultRuleOutput(r) : ruleOutput(r);
    });
  }
  const { page, next } = paginate(out, { op: 'DescribeRules', size: pageSize(input.PageSize), token: input.Marker, key: (r) => String(r.RuleArn) }, ELBV2);
  return { Rules: page, NextMarker: next };
};

export const modifyRule: Operation<ModifyRuleCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const r = findRule(s, f.str(input.RuleArn, 'RuleArn', { required: true }));
  if (input.Conditions === undefined && input.Actions === undefined) f.fail('Either conditions or actions must be specified');
  const lbArn = isListener(r) ? r.LoadBalancerArn : s.listeners[r.ListenerArn].LoadBalancerArn;
  const actions = input.Actions === undefined ? undefined : readActions(s, input.Actions, 'Actions', lbArn);
  if (isListener(r)) {
    if (input.Conditions !== undefined) f.fail(`Default rule '${r.defaultRuleArn}' cannot have conditions`, 'OperationNotPermitted');
    if (actions) r.DefaultActions = actions;
    bump(s);
    return { Rules: [defaultRuleOutput(r)] };
  }
  const conditions = input.Conditions === undefined ? undefined : readConditions(input.Conditions);
  if (conditions) r.Conditions = conditions;
  if (actions) r.Actions = actions;
  bump(s);
  return { Rules: [ruleOutput(r)] };
};

export const setRulePriorities: Operation<SetRulePrioritiesCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const list = input.RulePriorities ?? [];
  if (list.length === 0) notNull('RulePriorities');
  const changes = list.map((o, i) => {
    const r = findRule(s, f.str(o.RuleArn, ['RulePriorities', i, 'RuleArn'], { required: true }));
    if (isListener(r)) f.fail(`Default rule '${r.defaultRuleArn}' cannot be given a priority`, 'OperationNotPermitted');
    return { rule: r as Rule, priority: f.int(o.Priority, ['RulePriorities', i, 'Priority'], { required: true, min: 1, max: 50000 }) };
  });
  const seen = new Set<number>();
  for (const c of changes) {
    if (seen.has(c.priority)) f.fail(`Priority '${c.priority}' was provided multiple times`);
    seen.add(c.priority);
    const moving = new Set(changes.map((x) => x.rule.RuleArn));
    if (rulesOf(s, c.rule.ListenerArn).some((r) => r.Priority === c.priority && !moving.has(r.RuleArn))) {
      f.fail(`Priority '${c.priority}' is currently in use`, 'PriorityInUse');
    }
  }
  for (const c of changes) c.rule.Priority = c.priority;
  bump(s);
  return { Rules: changes.map((c) => ruleOutput(c.rule)) };
};

export const deleteRule: Operation<DeleteRuleCommandInput> = (ctx, input) => {
  const s = elbv2State(ctx.state);
  const r = findRule(s, f.str(input.RuleArn, 'RuleArn', { required: true }));
  if (isListener(r)) f.fail(`Default rule '${r.defaultRuleArn}' cannot be deleted`, 'OperationNotPermitted');
  const rule = r as Rule;
  delete s.rules[rule.RuleArn];
  delete s.tags[rule.RuleArn];
  bump(s);
  return {};
};
