/**
 * ECS account settings: PutAccountSetting, PutAccountSettingDefault, ListAccountSettings,
 * DeleteAccountSetting. Per region, per principal (a user, a role, or the root user whose settings
 * are the account's defaults); a principal without its own setting has the root user's, else AWS's
 * default. The sandbox acts on `containerInsights` (the default of new clusters); it always gives
 * resources the long ARN format, so the `*LongArnFormat` settings cannot be turned off; the others
 * (awsvpcTrunking and the Fargate ones, which concern features the sandbox does not serve) are kept
 * and listed but change nothing.
 */
import type {
  DeleteAccountSettingCommandInput,
  ListAccountSettingsCommandInput,
  PutAccountSettingCommandInput,
  PutAccountSettingDefaultCommandInput,
  SettingName,
} from '@aws-sdk/client-ecs';
import { ECS, ecsFields as f, paginate, type Operation } from '../kit';
import type { RequestContext } from '../service';
import { SANDBOX_USER } from '../sts/credentials';

interface SettingSpec {
  values: readonly string[];
  /** A fresh account's value. */
  default: string;
  /** Read only: AWS manages it. */
  awsManaged?: boolean;
}

const ON_OFF = ['enabled', 'disabled'] as const;

/** Every setting ECS has, in the order ListAccountSettings lists them. */
const SETTINGS: Record<SettingName, SettingSpec> = {
  serviceLongArnFormat: { values: ON_OFF, default: 'enabled' },
  taskLongArnFormat: { values: ON_OFF, default: 'enabled' },
  containerInstanceLongArnFormat: { values: ON_OFF, default: 'enabled' },
  awsvpcTrunking: { values: ON_OFF, default: 'disabled' },
  containerInsights: { values: ['enhanced', 'enabled', 'disabled'], default: 'disabled' },
  fargateFIPSMode: { values: ON_OFF, default: 'disabled' },
  tagResourceAuthorization: { values: ['on', 'off'], default: 'on' },
  fargateTaskRetirementWaitPeriod: { values: ['0', '7', '14'], default: '7' },
  guardDutyActivate: { values: ['on', 'off'], default: 'off', awsManaged: true },
  defaultLogDriverMode: { values: ['blocking', 'non-blocking'], default: 'non-blocking' },
  fargateEventWindows: { values: ON_OFF, default: 'disabled' },
};
const NAMES = Object.keys(SETTINGS) as SettingName[];

const rootArn = (ctx: RequestContext): string => `arn:aws:iam::${ctx.accountId}:root`;

/** Who the request speaks for: the signing user, or the role of an assumed-role session. */
function callerArn(ctx: RequestContext): string {
  const c = ctx.caller;
  if (c?.kind === 'role' && c.roleArn) return c.roleArn;
  return c?.arn ?? `arn:aws:iam::${ctx.accountId}:user/${SANDBOX_USER}`;
}

/** `principalArn`: a user, a role or the root user of this account; absent: the caller. */
function principalOf(ctx: RequestContext, v: string | undefined): string {
  if (v === undefined) return callerArn(ctx);
  const m = /^arn:aws:iam::(\d{12}):(root|user\/[\w+=,.@/-]{1,512}|role\/[\w+=,.@/-]{1,512})$/.exec(v);
  if (!m) return f.fail(`principalArn must be the ARN of an IAM user, an IAM role or the root user (arn:aws:iam::${ctx.accountId}:root); got '${v.slice(0, 300)}'.`);
  if (m[1] !== ctx.accountId) f.fail(`principalArn ${v} belongs to another account: account settings can be set for the principals of ${ctx.accountId} only.`);
  return v;
}

const settingName = (v: string | undefined, required: boolean): SettingName | undefined =>
  f.oneOf(v, 'name', NAMES, required ? { required: true } : {});

function checkValue(ctx: RequestContext, name: SettingName, v: string | undefined, principal: string): string {
  const value = f.str(v, 'value', { required: true });
  const spec = SETTINGS[name];
  if (spec.awsManaged) f.fail(`The ${name} account setting is managed by AWS and is read only.`);
  if (!spec.values.includes(value)) f.fail(`Invalid value '${value.slice(0, 100)}' for the account setting ${name}. Valid values are ${spec.values.join(', ')}.`);
  if (name.endsWith('LongArnFormat') && value === 'disabled') {
    f.fail(`The sandbox gives every resource the long ARN format: ${name} cannot be disabled here.`);
  }
  if (name === 'fargateTaskRetirementWaitPeriod' && principal !== rootArn(ctx)) {
    f.fail('The fargateTaskRetirementWaitPeriod account setting can be set for the root user only (use PutAccountSettingDefault).');
  }
  return value;
}

function table(ctx: RequestContext): Record<string, Record<string, string>> {
  return (ctx.state.ecs.accountSettings ??= {});
}

const own = (o: Record<string, Record<string, string>> | undefined, principal: string): Record<string, string> | undefined =>
  o && Object.hasOwn(o, principal) ? o[principal] : undefined;

/** The value `name` has for `principal`: its own, else the root user's (the account default), else AWS's. */
export function effectiveSetting(ctx: RequestContext, name: SettingName, principal = callerArn(ctx)): { value: string; principalArn: string } {
  const all = ctx.state.ecs.accountSettings;
  const mine = own(all, principal)?.[name];
  if (mine !== undefined) return { value: mine, principalArn: principal };
  return { value: own(all, rootArn(ctx))?.[name] ?? SETTINGS[name].default, principalArn: rootArn(ctx) };
}

const settingOut = (name: SettingName, value: string, principalArn: string) => ({
  name,
  value,
  principalArn,
  type: SETTINGS[name].awsManaged ? 'aws_managed' : 'user',
});

function put(ctx: RequestContext, principal: string, name: SettingName, value: string) {
  const t = table(ctx);
  (own(t, principal) ?? (t[principal] = {}))[name] = value;
  return { setting: settingOut(name, value, principal) };
}

export const putAccountSetting: Operation<PutAccountSettingCommandInput> = (ctx, input) => {
  const name = settingName(input.name, true)!;
  const principal = principalOf(ctx, f.str(input.principalArn, 'principalArn'));
  const value = checkValue(ctx, name, input.value, principal);
  return put(ctx, principal, name, value);
};

export const putAccountSettingDefault: Operation<PutAccountSettingDefaultCommandInput> = (ctx, input) => {
  const name = settingName(input.name, true)!;
  const value = checkValue(ctx, name, input.value, rootArn(ctx));
  return put(ctx, rootArn(ctx), name, value);
};

export const deleteAccountSetting: Operation<DeleteAccountSettingCommandInput> = (ctx, input) => {
  const name = settingName(input.name, true)!;
  const principal = principalOf(ctx, f.str(input.principalArn, 'principalArn'));
  if (SETTINGS[name].awsManaged) f.fail(`The ${name} account setting is managed by AWS and is read only.`);
  const all = ctx.state.ecs.accountSettings;
  const mine = own(all, principal);
  const removed = mine?.[name];
  if (mine && removed !== undefined) {
    delete mine[name];
    if (Object.keys(mine).length === 0) delete all![principal];
  }
  return { setting: settingOut(name, removed ?? effectiveSetting(ctx, name, principal).value, principal) };
};

export const listAccountSettings: Operation<ListAccountSettingsCommandInput> = (ctx, input) => {
  const name = settingName(input.name, false);
  const value = f.str(input.value, 'value');
  if (value !== undefined && name === undefined) f.fail('value can be specified only together with name.');
  const principal = principalOf(ctx, f.str(input.principalArn, 'principalArn'));
  const size = f.int(input.maxResults, 'maxResults', { min: 1, max: 10 }) ?? 10;
  const names = name ? [name] : NAMES;
  const items: ReturnType<typeof settingOut>[] = [];
  for (const n of names) {
    if (input.effectiveSettings) {
      const e = effectiveSetting(ctx, n, principal);
      items.push(settingOut(n, e.value, e.principalArn));
    } else {
      const v = own(ctx.state.ecs.accountSettings, principal)?.[n];
      if (v !== undefined) items.push(settingOut(n, v, principal));
    }
  }
  const shown = value === undefined ? items : items.filter((s) => s.value === value);
  const { page, next } = paginate(shown, { op: 'ListAccountSettings', size, token: input.nextToken, key: (s) => s.name }, ECS);
  return { settings: page, nextToken: next };
};
