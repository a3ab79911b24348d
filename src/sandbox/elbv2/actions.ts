/**
 * Listener / rule actions and conditions: input parsing and validation, and their API output.
 */
import type { Action as ActionInput, RuleCondition as ConditionInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbv2Fields as f, validationMessage } from '../kit';
import { AwsError } from '../protocol/errors';
import { arnKind, loadBalancersOfTargetGroup, type Action, type Elbv2State, type RuleCondition } from './model';
import { notNull } from './request';

const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];
const ACTION_TYPES = ['forward', 'fixed-response', 'redirect', 'authenticate-oidc', 'authenticate-cognito'] as const;

/** Parses and validates `DefaultActions` / `Actions` for a listener of `lbArn`. */
export function readActions(s: Elbv2State, list: ActionInput[] | undefined, name: 'DefaultActions' | 'Actions', lbArn: string): Action[] {
  if (!list?.length) return notNull(name);
  const actions = list.map((a, i) => readAction(s, a, [name, i], lbArn));
  const terminal = actions.filter((a) => a.Type === 'forward' || a.Type === 'fixed-response' || a.Type === 'redirect');
  if (terminal.length !== 1) f.fail('Exactly one action of type forward, redirect or fixed-response must be specified', 'InvalidLoadBalancerAction');
  return actions;
}

function readAction(s: Elbv2State, o: ActionInput, at: (string | number)[], lbArn: string): Action {
  const type = f.oneOf(o.Type, [...at, 'Type'], ACTION_TYPES, { required: true });
  if (type !== 'forward' && type !== 'fixed-response' && type !== 'redirect') {
    return f.fail(`Action type '${type}' is not supported by the sandbox`, 'InvalidLoadBalancerAction');
  }
  const action: Action = { Type: type, Order: f.int(o.Order, [...at, 'Order'], { min: 1, max: 50000 }) };
  if (type === 'forward') {
    const tgArn = o.TargetGroupArn;
    const fc = o.ForwardConfig;
    const tuples = (fc?.TargetGroups ?? []).map((t, j) => ({
      TargetGroupArn: f.str(t.TargetGroupArn, [...at, 'ForwardConfig', 'TargetGroups', j, 'TargetGroupArn'], { required: true }),
      Weight: f.int(t.Weight, [...at, 'ForwardConfig', 'TargetGroups', j, 'Weight'], { min: 0, max: 999 }) ?? 1,
    }));
    if (!tgArn && tuples.length === 0) f.fail('A target group ARN must be specified for a forward action', 'InvalidLoadBalancerAction');
    if (tgArn && tuples.length && (tuples.length !== 1 || tuples[0].TargetGroupArn !== tgArn)) {
      f.fail('You cannot specify both a target group ARN and a forward config with different target groups', 'InvalidLoadBalancerAction');
    }
    const arns = tgArn ? [tgArn] : tuples.map((t) => t.TargetGroupArn);
    for (const arn of arns) {
      if (arnKind(arn) !== 'targetgroup') f.fail(`'${arn}' is not a valid target group ARN`);
      if (!s.targetGroups[arn]) throw new AwsError('TargetGroupNotFound', `Target group '${arn}' not found`);
      const lbs = loadBalancersOfTargetGroup(s, arn);
      if (lbs.some((l) => l !== lbArn)) {
        f.fail(`The following target groups cannot be associated with more than one load balancer: ${arn}`, 'TargetGroupAssociationLimit');
      }
    }
    action.TargetGroupArn = tgArn ?? (tuples.length === 1 ? tuples[0].TargetGroupArn : undefined);
    const sticky = fc?.TargetGroupStickinessConfig;
    action.ForwardConfig = {
      TargetGroups: tuples.length ? tuples : [{ TargetGroupArn: tgArn!, Weight: 1 }],
      TargetGroupStickinessConfig: {
        Enabled: sticky?.Enabled === true,
        DurationSeconds: f.int(sticky?.DurationSeconds, [...at, 'ForwardConfig', 'TargetGroupStickinessConfig', 'DurationSeconds'], { min: 1, max: 604800 }),
      },
    };
  } else if (type === 'fixed-response') {
    const c = o.FixedResponseConfig;
    if (!c) return f.fail('A fixed response config must be specified for a fixed-response action', 'InvalidLoadBalancerAction');
    const status = f.str(c.StatusCode, [...at, 'FixedResponseConfig', 'StatusCode'], { required: true });
    if (!/^(2|4|5)\d\d$/.test(status)) {
      f.fail(validationMessage([...at, 'FixedResponseConfig', 'StatusCode'], status, 'Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$'));
    }
    const ct = c.ContentType;
    if (ct !== undefined && !CONTENT_TYPES.includes(ct)) f.fail(`Content type '${ct}' is not valid. Valid content types are ${CONTENT_TYPES.join(', ')}`);
    const body = c.MessageBody;
    if (body !== undefined && body.length > 1024) f.fail('The message body of a fixed response can be at most 1024 characters long');
    action.FixedResponseConfig = { StatusCode: status, ContentType: ct, MessageBody: body };
  } else {
    const c = o.RedirectConfig;
    if (!c) return f.fail('A redirect config must be specified for a redirect action', 'InvalidLoadBalancerAction');
    const code = f.oneOf(c.StatusCode, [...at, 'RedirectConfig', 'StatusCode'], ['HTTP_301', 'HTTP_302'] as const, { required: true });
    action.RedirectConfig = { Protocol: c.Protocol, Port: c.Port, Host: c.Host, Path: c.Path, Query: c.Query, StatusCode: code };
  }
  return action;
}

export const actionOutput = (a: Action): Record<string, unknown> => ({ ...a });

const CONFIG_KEYS = { 'path-pattern': 'PathPatternConfig', 'host-header': 'HostHeaderConfig', 'http-request-method': 'HttpRequestMethodConfig' } as const;

/** Parses rule conditions: path-pattern, host-header, http-request-method (Values or the *Config forms). */
export function readConditions(list: ConditionInput[] | undefined): RuleCondition[] {
  if (!list?.length) return notNull('Conditions');
  const seen = new Set<string>();
  return list.map((o, i) => {
    const field = f.str(o.Field, ['Conditions', i, 'Field'], { required: true });
    if (!Object.hasOwn(CONFIG_KEYS, field)) {
      f.fail(`Condition field '${field}' is not supported by the sandbox; use path-pattern, host-header or http-request-method`);
    }
    if (seen.has(field)) f.fail(`A rule can only have one '${field}' condition`);
    seen.add(field);
    const configKey = CONFIG_KEYS[field as RuleCondition['Field']];
    const direct = o.Values;
    const viaConfig = o[configKey]?.Values;
    if (direct?.length && viaConfig?.length) f.fail(`You cannot specify both 'Values' and '${configKey}' for a condition`);
    const values = direct?.length ? direct : viaConfig ?? [];
    if (values.length === 0) f.fail(`A condition value must be specified for the '${field}' condition`);
    if (values.length > 5) f.fail(`A condition can have at most 5 values`);
    for (const val of values) {
      if (val.length > 128) f.fail(`The value '${val}' of condition '${field}' can be at most 128 characters long`);
    }
    return { Field: field as RuleCondition['Field'], Values: values };
  });
}

export function conditionOutput(c: RuleCondition): Record<string, unknown> {
  return { Field: c.Field, Values: c.Values, [CONFIG_KEYS[c.Field]]: { Values: c.Values } };
}
