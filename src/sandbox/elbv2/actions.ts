/**
 * Listener / rule actions and conditions: input parsing and validation, and their API output.
 */
import { AwsError } from '../protocol/errors';
import { fail, optEnum, optInt, optList, optObj, optStr, optStrList, reqStr } from './input';
import { actionTargetGroups, arnKind, loadBalancersOfTargetGroup, type Action, type Elbv2State, type RuleCondition } from './model';

const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];

/** Parses and validates `DefaultActions` / `Actions` for a listener of `lbArn`. */
export function readActions(s: Elbv2State, v: unknown, name: string, lbArn: string): Action[] {
  const list = optList(v, name) ?? [];
  if (list.length === 0) fail(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  const actions = list.map((raw, i) => readAction(s, optObj(raw, `${name}.${i + 1}`) ?? {}, `${name}.${i + 1}`, lbArn));
  const terminal = actions.filter((a) => a.Type === 'forward' || a.Type === 'fixed-response' || a.Type === 'redirect');
  if (terminal.length !== 1) fail('Exactly one action of type forward, redirect or fixed-response must be specified', 'InvalidLoadBalancerAction');
  return actions;
}

function readAction(s: Elbv2State, o: Record<string, unknown>, name: string, lbArn: string): Action {
  const type = optEnum(o.Type, `${name}.Type`, ['forward', 'fixed-response', 'redirect', 'authenticate-oidc', 'authenticate-cognito'] as const);
  if (!type) fail(`1 validation error detected: Value null at '${name}.type' failed to satisfy constraint: Member must not be null`);
  if (type !== 'forward' && type !== 'fixed-response' && type !== 'redirect') {
    fail(`Action type '${type}' is not supported by the sandbox`, 'InvalidLoadBalancerAction');
  }
  const order = optInt(o.Order, `${name}.Order`, 1, 50000);
  const action: Action = { Type: type as Action['Type'], Order: order };
  if (type === 'forward') {
    const tgArn = optStr(o.TargetGroupArn, `${name}.TargetGroupArn`);
    const fc = optObj(o.ForwardConfig, `${name}.ForwardConfig`);
    const tuples = fc
      ? (optList(fc.TargetGroups, `${name}.ForwardConfig.TargetGroups`) ?? []).map((t, j) => {
          const to = optObj(t, `${name}.ForwardConfig.TargetGroups.${j + 1}`) ?? {};
          return { TargetGroupArn: reqStr(to.TargetGroupArn, `${name}.ForwardConfig.TargetGroups.${j + 1}.TargetGroupArn`), Weight: optInt(to.Weight, 'Weight', 0, 999) ?? 1 };
        })
      : [];
    if (!tgArn && tuples.length === 0) fail('A target group ARN must be specified for a forward action', 'InvalidLoadBalancerAction');
    if (tgArn && tuples.length && (tuples.length !== 1 || tuples[0].TargetGroupArn !== tgArn)) {
      fail('You cannot specify both a target group ARN and a forward config with different target groups', 'InvalidLoadBalancerAction');
    }
    const arns = tgArn ? [tgArn] : tuples.map((t) => t.TargetGroupArn);
    for (const arn of arns) {
      if (arnKind(arn) !== 'targetgroup') fail(`'${arn}' is not a valid target group ARN`);
      if (!s.targetGroups[arn]) throw new AwsError('TargetGroupNotFound', `Target group '${arn}' not found`);
      const lbs = loadBalancersOfTargetGroup(s, arn);
      if (lbs.some((l) => l !== lbArn)) {
        fail(`The following target groups cannot be associated with more than one load balancer: ${arn}`, 'TargetGroupAssociationLimit');
      }
    }
    action.TargetGroupArn = tgArn ?? (tuples.length === 1 ? tuples[0].TargetGroupArn : undefined);
    const sticky = optObj(fc?.TargetGroupStickinessConfig, `${name}.ForwardConfig.TargetGroupStickinessConfig`);
    action.ForwardConfig = {
      TargetGroups: tuples.length ? tuples : [{ TargetGroupArn: tgArn!, Weight: 1 }],
      TargetGroupStickinessConfig: { Enabled: sticky?.Enabled === 'true' || sticky?.Enabled === true, DurationSeconds: optInt(sticky?.DurationSeconds, 'DurationSeconds', 1, 604800) },
    };
  } else if (type === 'fixed-response') {
    const c = optObj(o.FixedResponseConfig, `${name}.FixedResponseConfig`);
    if (!c) fail('A fixed response config must be specified for a fixed-response action', 'InvalidLoadBalancerAction');
    const status = reqStr(c!.StatusCode, `${name}.FixedResponseConfig.StatusCode`);
    if (!/^(2|4|5)\d\d$/.test(status)) fail(`1 validation error detected: Value '${status}' at '${name}.fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$`);
    const ct = optStr(c!.ContentType, `${name}.FixedResponseConfig.ContentType`);
    if (ct !== undefined && !CONTENT_TYPES.includes(ct)) fail(`Content type '${ct}' is not valid. Valid content types are ${CONTENT_TYPES.join(', ')}`);
    const body = optStr(c!.MessageBody, `${name}.FixedResponseConfig.MessageBody`);
    if (body !== undefined && body.length > 1024) fail('The message body of a fixed response can be at most 1024 characters long');
    action.FixedResponseConfig = { StatusCode: status, ContentType: ct, MessageBody: body };
  } else {
    const c = optObj(o.RedirectConfig, `${name}.RedirectConfig`);
    if (!c) fail('A redirect config must be specified for a redirect action', 'InvalidLoadBalancerAction');
    const code = optEnum(c!.StatusCode, `${name}.RedirectConfig.StatusCode`, ['HTTP_301', 'HTTP_302'] as const);
    if (!code) fail(`1 validation error detected: Value null at '${name}.redirectConfig.statusCode' failed to satisfy constraint: Member must not be null`);
    action.RedirectConfig = {
      Protocol: optStr(c!.Protocol, 'Protocol'),
      Port: optStr(c!.Port, 'Port'),
      Host: optStr(c!.Host, 'Host'),
      Path: optStr(c!.Path, 'Path'),
      Query: optStr(c!.Query, 'Query'),
      StatusCode: code!,
    };
  }
  return action;
}

export const actionOutput = (a: Action): Record<string, unknown> => ({ ...a });

export const usesTargetGroups = (actions: Action[]): string[] => actions.flatMap(actionTargetGroups);

/** Parses rule conditions: path-pattern, host-header, http-request-method (Values or the *Config forms). */
export function readConditions(v: unknown): RuleCondition[] {
  const list = optList(v, 'Conditions') ?? [];
  if (list.length === 0) fail("1 validation error detected: Value null at 'conditions' failed to satisfy constraint: Member must not be null");
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const o = optObj(raw, `Conditions.${i + 1}`) ?? {};
    const field = reqStr(o.Field, `Conditions.${i + 1}.Field`);
    if (!['path-pattern', 'host-header', 'http-request-method'].includes(field)) {
      fail(`Condition field '${field}' is not supported by the sandbox; use path-pattern, host-header or http-request-method`);
    }
    if (seen.has(field)) fail(`A rule can only have one '${field}' condition`);
    seen.add(field);
    const configKey = field === 'path-pattern' ? 'PathPatternConfig' : field === 'host-header' ? 'HostHeaderConfig' : 'HttpRequestMethodConfig';
    const direct = optStrList(o.Values, `Conditions.${i + 1}.Values`);
    const viaConfig = optStrList(optObj(o[configKey], `Conditions.${i + 1}.${configKey}`)?.Values, `Conditions.${i + 1}.${configKey}.Values`);
    if (direct?.length && viaConfig?.length) fail(`You cannot specify both 'Values' and '${configKey}' for a condition`);
    const values = direct?.length ? direct : viaConfig ?? [];
    if (values.length === 0) fail(`A condition value must be specified for the '${field}' condition`);
    if (values.length > 5) fail(`A condition can have at most 5 values`);
    for (const val of values) {
      if (val.length > 128) fail(`The value '${val}' of condition '${field}' can be at most 128 characters long`);
    }
    return { Field: field as RuleCondition['Field'], Values: values };
  });
}

export function conditionOutput(c: RuleCondition): Record<string, unknown> {
  const configKey = c.Field === 'path-pattern' ? 'PathPatternConfig' : c.Field === 'host-header' ? 'HostHeaderConfig' : 'HttpRequestMethodConfig';
  return { Field: c.Field, Values: c.Values, [configKey]: { Values: c.Values } };
}
