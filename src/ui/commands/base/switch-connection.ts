/**
 * `ecsHandson.connection.switch`: connect the explorer to the sandbox, an AWS profile (+ region) or
 * a custom endpoint. Arguments (`SwitchConnectionArgs`, for tests and the walkthrough):
 * `{ kind, profile?, region?, endpoint?, endpointCredentials? }`. Returns the connection kind.
 */
import * as vscode from 'vscode';
import type { SwitchConnectionArgs } from '../../../core/commands/contract';
import { t } from '../../l10n';
import { writeConnectionKind } from '../../connection/settings';
import { defineCommand, type CommandContext } from '../command';

/** Palette: which kind, then its profile and region, or its endpoint. */
async function ask(ctx: CommandContext): Promise<SwitchConnectionArgs | undefined> {
  const conns = ctx.services.connections;
  const picked = await vscode.window.showQuickPick(
    [
      { label: `$(beaker) ${t('Sandbox')}`, description: t('built in, no AWS account needed'), conn: 'sandbox' as const },
      { label: `$(cloud) ${t('AWS profile…')}`, description: t('from ~/.aws/config and credentials'), conn: 'profile' as const },
      { label: `$(server) ${t('Custom endpoint…')}`, description: t('LocalStack or another emulator'), conn: 'endpoint' as const },
    ],
    { title: t('Connect the ECS explorer to'), placeHolder: conns.state.status === 'ready' ? conns.state.label : undefined },
  );
  if (!picked) return undefined;
  if (picked.conn === 'profile') {
    const profile = await vscode.window.showInputBox({ title: t('AWS profile'), prompt: t('Empty: AWS_PROFILE or the default profile'), value: conns.settings.profile });
    if (profile === undefined) return undefined;
    const region = await vscode.window.showInputBox({ title: t('AWS region'), prompt: t("Empty: AWS_REGION or the profile's region"), value: conns.settings.region, validateInput: (v) => (v === '' || /^[a-z]{2}(-[a-z]+)+-\d$/.test(v) ? undefined : t('A region looks like ap-northeast-1.')) });
    if (region === undefined) return undefined;
    return { kind: 'profile', profile, region };
  }
  if (picked.conn === 'endpoint') {
    const endpoint = await vscode.window.showInputBox({ title: t('Endpoint URL'), value: conns.settings.endpoint || 'http://localhost:4566', validateInput: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : t('Enter an http:// or https:// URL.')) });
    if (endpoint === undefined) return undefined;
    // Which credentials sign its calls: never the default chain unasked.
    const keys = await vscode.window.showQuickPick(
      [
        { label: `$(key) ${t('The endpoint\'s own keys')}`, description: t('ecsHandson.endpoint.accessKeyId / secretAccessKey (test / test by default)'), value: 'endpointKeys' as const },
        { label: `$(account) ${t('An AWS profile\'s credentials…')}`, description: t('sent to {0}', endpoint), value: 'profile' as const },
      ],
      { title: t('Credentials for {0}', endpoint) },
    );
    if (!keys) return undefined;
    if (keys.value === 'endpointKeys') return { kind: 'endpoint', endpoint, endpointCredentials: 'endpointKeys' };
    const profile = await vscode.window.showInputBox({ title: t('AWS profile'), prompt: t('Empty: AWS_PROFILE or the default profile'), value: conns.settings.profile });
    if (profile === undefined) return undefined;
    return { kind: 'endpoint', endpoint, endpointCredentials: 'profile', profile };
  }
  return { kind: 'sandbox' };
}

export const switchConnection = defineCommand({
  id: 'ecsHandson.connection.switch',
  title: () => t('Switch Connection'),
  args: (r): SwitchConnectionArgs => ({
    kind: r.oneOf('kind', ['sandbox', 'profile', 'endpoint'] as const) ?? r.fail(t('"kind" is required: sandbox, profile or endpoint.'), 'kind'),
    profile: r.string('profile'),
    region: r.string('region'),
    endpoint: r.string('endpoint'),
    endpointCredentials: r.oneOf('endpointCredentials', ['endpointKeys', 'profile'] as const),
  }),
  palette: ask,
  run: async (ctx, choice) => {
    await writeConnectionKind(choice.kind, { profile: choice.profile, region: choice.region, endpoint: choice.endpoint, endpointCredentials: choice.endpointCredentials });
    await ctx.services.connections.reset();
    ctx.services.refresh();
    return choice.kind;
  },
});
