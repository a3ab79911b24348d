import * as vscode from 'vscode';

export type ConnectionKind = 'sandbox' | 'profile' | 'endpoint';

export interface ConnectionSettings {
  kind: ConnectionKind;
  profile: string;
  region: string;
  endpoint: string;
  sandboxTimeScale: number;
  sandboxRegion: string;
  /** Which credentials the custom endpoint is called with: its own keys, or a profile's. */
  endpointCredentials: 'endpointKeys' | 'profile';
  endpointAccessKeyId: string;
  endpointSecretAccessKey: string;
  /** Real AWS's confirmations and pace for an endpoint that is not AWS's own: by its host, or set. */
  treatAsRealAws: 'auto' | 'always' | 'never';
}

/** Reads the `ecsHandson.*` connection settings, with bad values replaced by their defaults. */
export function readConnectionSettings(): ConnectionSettings {
  const c = vscode.workspace.getConfiguration('ecsHandson');
  const kind = c.get<string>('connection', 'sandbox');
  const scale = c.get<number>('sandbox.timeScale', 10);
  const realAws = c.get<string>('endpoint.treatAsRealAws', 'auto');
  return {
    kind: kind === 'profile' || kind === 'endpoint' ? kind : 'sandbox',
    profile: c.get<string>('aws.profile', '').trim(),
    region: c.get<string>('aws.region', '').trim(),
    endpoint: c.get<string>('endpoint.url', '').trim(),
    sandboxTimeScale: typeof scale === 'number' && scale > 0 && scale <= 1000 ? scale : 10,
    sandboxRegion: c.get<string>('sandbox.region', 'ap-northeast-1').trim() || 'ap-northeast-1',
    endpointCredentials: c.get<string>('endpoint.credentials', 'endpointKeys') === 'profile' ? 'profile' : 'endpointKeys',
    endpointAccessKeyId: c.get<string>('endpoint.accessKeyId', 'test').trim() || 'test',
    endpointSecretAccessKey: c.get<string>('endpoint.secretAccessKey', 'test').trim() || 'test',
    treatAsRealAws: realAws === 'always' || realAws === 'never' ? realAws : 'auto',
  };
}

export async function writeConnectionKind(kind: ConnectionKind, extra: Partial<{ profile: string; region: string; endpoint: string; endpointCredentials: 'endpointKeys' | 'profile' }> = {}): Promise<void> {
  const c = vscode.workspace.getConfiguration('ecsHandson');
  const target = vscode.ConfigurationTarget.Global;
  if (extra.endpointCredentials !== undefined) await c.update('endpoint.credentials', extra.endpointCredentials, target);
  if (extra.profile !== undefined) await c.update('aws.profile', extra.profile, target);
  if (extra.region !== undefined) await c.update('aws.region', extra.region, target);
  if (extra.endpoint !== undefined) await c.update('endpoint.url', extra.endpoint, target);
  await c.update('connection', kind, target);
}
