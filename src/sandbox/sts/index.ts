/**
 * AWS Security Token Service in the sandbox (awsQuery, Version 2011-06-15): GetCallerIdentity,
 * AssumeRole and GetSessionToken. The temporary credentials it hands out are accepted by every
 * service of the sandbox, with their session token, until they expire (credentials.ts).
 *
 * AssumeRole evaluates the role's trust policy (iam/trust-policy.ts); session policies, tags,
 * `ExternalId` and MFA conditions are accepted but not enforced (the sandbox enforces no permissions).
 */
import type * as StsApi from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput, GetCallerIdentityCommandInput, GetSessionTokenCommandInput } from '@aws-sdk/client-sts';
import { findRole } from '../iam/model';
import { trusts } from '../iam/trust-policy';
import { defineService, STS, stsFields as f, validationMessage, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { xmlDate, type Caller, type RequestContext } from '../service';
import { issueCredentials, sandboxUser, type TemporaryCredentials } from './credentials';

const callerOf = (ctx: RequestContext): Caller => ctx.caller ?? sandboxUser(ctx.world);

const credentialsOutput = (c: TemporaryCredentials) => ({
  AccessKeyId: c.AccessKeyId,
  SecretAccessKey: c.SecretAccessKey,
  SessionToken: c.SessionToken,
  Expiration: xmlDate(c.expiresAt),
});

/** The real clock (temporary credentials expire by it: see credentials.ts). */
const realNow = (): number => Date.now();

export const getCallerIdentity: Operation<GetCallerIdentityCommandInput> = (ctx) => {
  const c = callerOf(ctx);
  return { UserId: c.userId, Account: ctx.accountId, Arn: c.arn };
};

const SESSION_NAME_RE = /^[\w+=,.@-]*$/;

export const assumeRole: Operation<AssumeRoleCommandInput> = (ctx, input) => {
  const arn = f.str(input.RoleArn, 'RoleArn', { required: true, min: 20, max: 2048 });
  const sessionName = f.str(input.RoleSessionName, 'RoleSessionName', { required: true, min: 2, max: 64 });
  if (!SESSION_NAME_RE.test(sessionName)) f.fail(validationMessage('RoleSessionName', sessionName, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*'));
  const duration = f.int(input.DurationSeconds, 'DurationSeconds', { min: 900, max: 43200 }) ?? 3600;
  f.str(input.Policy, 'Policy', { min: 1, max: 2048 });
  f.list(input.PolicyArns, 'PolicyArns', { max: 10 });
  f.list(input.Tags, 'Tags', { max: 50 });
  const sourceIdentity = f.str(input.SourceIdentity, 'SourceIdentity', { min: 2, max: 64 });
  if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
    throw new AwsError('AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.', 403);
  }
  const caller = callerOf(ctx);
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) return f.fail(`${arn} is invalid`);
  const role = m[1] === ctx.accountId ? findRole(ctx.world, m[2]) : undefined;
  // Who the caller is, as a trust policy may name it.
  const names = [ctx.accountId, `arn:aws:iam::${ctx.accountId}:root`, caller.arn, ...(caller.roleArn ? [caller.roleArn] : [])];
  if (!role || role.Arn !== arn || role.ServiceLinked || !trusts(role.AssumeRolePolicyDocument, names)) {
    // As AWS answers, whether the role is missing or does not trust the caller.
    throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`, 403);
  }
  if (caller.kind === 'role' && duration > 3600) f.fail('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  if (duration > role.MaxSessionDuration) f.fail('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const creds = issueCredentials(ctx.world, { kind: 'role', roleArn: role.Arn, roleId: role.RoleId, sessionName }, realNow() + duration * 1000);
  return {
    Credentials: credentialsOutput(creds),
    AssumedRoleUser: { AssumedRoleId: `${role.RoleId}:${sessionName}`, Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.RoleName}/${sessionName}` },
    // With session policies AWS says how much of the packed size limit they use, in percent (here: of 2048 characters, an ARN counting 60).
    ...(input.Policy !== undefined || input.PolicyArns?.length
      ? { PackedPolicySize: Math.min(100, Math.ceil((((input.Policy?.length ?? 0) + 60 * (input.PolicyArns?.length ?? 0)) * 100) / 2048)) }
      : {}),
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  };
};

export const getSessionToken: Operation<GetSessionTokenCommandInput> = (ctx, input) => {
  const duration = f.int(input.DurationSeconds, 'DurationSeconds', { min: 900, max: 129600 }) ?? 43200;
  f.str(input.SerialNumber, 'SerialNumber', { min: 9, max: 256 });
  f.str(input.TokenCode, 'TokenCode', { min: 6, max: 6 });
  const caller = callerOf(ctx);
  if (caller.kind !== 'user') throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
    throw new AwsError('AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.', 403);
  }
  return { Credentials: credentialsOutput(issueCredentials(ctx.world, { kind: 'session' }, realNow() + duration * 1000)) };
};

export const stsService = defineService<typeof StsApi>(
  { signingName: 'sts', protocol: 'awsQuery', version: '2011-06-15', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/', dialect: STS },
  { GetCallerIdentity: getCallerIdentity, AssumeRole: assumeRole, GetSessionToken: getSessionToken },
);
