/**
 * Role trust policies (`AssumeRolePolicyDocument`): checked as IAM checks them when a role is
 * created (`MalformedPolicyDocument`), and read when STS is asked to assume the role.
 *
 * What `trusts` evaluates: `Allow` / `Deny` statements whose `Action` (or `NotAction`) covers
 * `sts:AssumeRole` (wildcards as IAM matches them) and whose `Principal` names the caller — `*`,
 * the account (`123456789012` or `arn:aws:iam::123456789012:root`), the caller's user or role ARN,
 * or its assumed-role session ARN. Conditions are not evaluated (the sandbox's user has every
 * permission; a condition is taken as met).
 */
import { AwsError } from '../protocol/errors';

const malformed = (message: string): AwsError => new AwsError('MalformedPolicyDocument', message);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Statement {
  Effect?: Json;
  Principal?: Json;
  NotPrincipal?: Json;
  Action?: Json;
  NotAction?: Json;
  Resource?: Json;
  NotResource?: Json;
  Condition?: Json;
  Sid?: Json;
}

const isObject = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: Json | undefined): string[] | undefined =>
  typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v) : undefined;

function statements(doc: string): Statement[] {
  let parsed: Json;
  try {
    parsed = JSON.parse(doc) as Json;
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isObject(parsed)) throw malformed('This policy contains invalid Json');
  if (parsed.Version !== undefined && parsed.Version !== '2012-10-17' && parsed.Version !== '2008-10-17') {
    throw malformed('The policy must contain a valid version string');
  }
  const st = parsed.Statement;
  const list = Array.isArray(st) ? st : isObject(st) ? [st] : undefined;
  if (!list || list.length === 0) throw malformed('Syntax errors in policy.');
  if (!list.every(isObject)) throw malformed('Syntax errors in policy.');
  return list;
}

/** An AWS principal IAM accepts: `*`, an account id, or an IAM / STS ARN. */
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws:(iam::\d{12}:(root|user\/.+|role\/.+)|sts::\d{12}:assumed-role\/.+\/.+))$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/**
 * Refuses a trust policy IAM would refuse (MalformedPolicyDocument). `exists(arn)` says whether an
 * IAM ARN of this account names something that exists (IAM refuses a principal that does not).
 */
export function checkTrustPolicy(doc: string, accountId: string, exists: (arn: string) => boolean): void {
  for (const s of statements(doc)) {
    if (s.Resource !== undefined) throw malformed('Has prohibited field Resource');
    if (s.NotResource !== undefined) throw malformed('Has prohibited field NotResource');
    if (s.Effect === undefined) throw malformed('Missing required field Effect');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(`Invalid effect: ${typeof s.Effect === 'string' ? s.Effect : JSON.stringify(s.Effect)}`);
    if (s.Action === undefined && s.NotAction === undefined) throw malformed('Missing required field Action');
    if (!strings(s.Action ?? s.NotAction)) throw malformed('Syntax errors in policy.');
    const principal = s.Principal ?? s.NotPrincipal;
    if (principal === undefined) throw malformed('Missing required field Principal');
    if (principal === '*') continue;
    if (!isObject(principal) || Object.keys(principal).length === 0) throw malformed('Syntax errors in policy.');
    for (const [kind, value] of Object.entries(principal)) {
      const values = strings(value);
      if (!values) throw malformed('Syntax errors in policy.');
      for (const v of values) {
        const bad = (): AwsError => malformed(`Invalid principal in policy: "${kind === 'Service' ? 'SERVICE' : kind}":"${v}"`);
        if (kind === 'AWS') {
          if (!AWS_PRINCIPAL.test(v)) throw bad();
          if (v.startsWith(`arn:aws:iam::${accountId}:`) && !v.endsWith(':root') && !exists(v)) throw bad();
        } else if (kind === 'Service') {
          if (!SERVICE_PRINCIPAL.test(v)) throw bad();
        } else if (kind !== 'Federated' && kind !== 'CanonicalUser') {
          throw malformed('Syntax errors in policy.');
        }
      }
    }
  }
}

/** IAM's action wildcards: `*` any run of characters, `?` one; case-insensitive. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/** Whether the trust policy lets the principals `names` (ARNs / account ids of the caller) assume the role with `action`. */
export function trusts(doc: string, names: readonly string[], action = 'sts:AssumeRole'): boolean {
  let list: Statement[];
  try {
    list = statements(doc);
  } catch {
    return false;
  }
  const covers = (s: Statement): boolean => {
    const actions = strings(s.Action);
    const notActions = strings(s.NotAction);
    const actionOk = actions ? actions.some((a) => matches(a, action)) : notActions ? !notActions.some((a) => matches(a, action)) : false;
    if (!actionOk) return false;
    const principalNames = (p: Json | undefined): string[] | undefined => (p === '*' ? ['*'] : isObject(p) ? (strings(p.AWS) ?? []) : undefined);
    const named = principalNames(s.Principal);
    if (named) return named.some((n) => n === '*' || names.includes(n));
    const notNamed = principalNames(s.NotPrincipal);
    return notNamed ? !notNamed.some((n) => n === '*' || names.includes(n)) : false;
  };
  if (list.some((s) => s.Effect === 'Deny' && covers(s))) return false;
  return list.some((s) => s.Effect === 'Allow' && covers(s));
}
