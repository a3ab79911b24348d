/**
 * The explorer over moto's server (an AWS emulator this project does not own), connected the way a
 * user connects: through the settings. A temporary AWS config (AWS_CONFIG_FILE /
 * AWS_SHARED_CREDENTIALS_FILE / HOME in a temporary directory) whose default profile is a decoy (a
 * closed port, a key moto does not know); moto checks each request's key (IAM auth on).
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { UiContext } from '../../../src/ui/ui-context';
import type { ExplorerApi } from '../../../src/ui/explorer';
import { eventually } from '../../helpers/wait';
import { backToSandbox } from './sandbox-again';
import { tempAwsEnv, type AwsEnv } from '../../helpers/aws-env';
import { startMoto, type AccessKey, type Moto } from '../../integration/helpers/moto';

const t = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);
const config = () => vscode.workspace.getConfiguration('ecsHandson');
const G = vscode.ConfigurationTarget.Global;

describe('connections over moto', function () {
  this.timeout(120_000);
  let services: UiContext;
  let explorer: ExplorerApi;
  let moto: Moto;
  let env: AwsEnv;
  let key: AccessKey;
  let deadPort: number;
  const roots = async () => explorer.provider.getChildren(undefined);
  const clusterIn = async (region: string, name: string, k: AccessKey) => {
    const ecs = new ECSClient({ endpoint: moto.endpoint, region, credentials: k });
    await ecs.send(new CreateClusterCommand({ clusterName: name }));
    ecs.destroy();
  };
  /** The explorer's top level, once it shows `label` (refreshed as the view does). */
  const shown = (label: string) =>
    eventually(`"${label}" in the explorer`, async () => {
      await explorer.refresh();
      const nodes = await roots();
      // Connected, not between two connections (each settings change above starts one).
      return services.connections.state.status === 'ready' ? nodes.find((n) => n.label === label) : undefined;
    }, 30_000, 500);
  const writeProfiles = () => {
    env.writeConfig([
      '[default]', 'region = sa-east-1', `endpoint_url = http://127.0.0.1:${deadPort}`, '',
      '[profile handson-moto]', 'region = eu-west-1', `endpoint_url = ${moto.endpoint}`, '',
    ]);
  };
  const writeKeys = (k: AccessKey) =>
    env.writeCredentials([
      '[default]', 'aws_access_key_id = AKIADEFAULTNOTINMOTO', 'aws_secret_access_key = not-a-secret', '',
      '[handson-moto]', `aws_access_key_id = ${k.accessKeyId}`, `aws_secret_access_key = ${k.secretAccessKey}`, '',
    ]);

  before(async function () {
    services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
    explorer = (await vscode.commands.executeCommand<ExplorerApi>('_ecsHandson.explorer'))!;
    moto = await startMoto(this);
    env = tempAwsEnv();
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    deadPort = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    key = moto.admin;
    writeProfiles();
    writeKeys(key);
    await clusterIn('eu-west-1', 'moto-profile-cluster', key);
    await clusterIn('sa-east-1', 'moto-endpoint-cluster', key);
  });

  after(async () => {
    env?.restore();
    await moto?.stop();
    // Back on the sandbox for the suites that follow.
    await backToSandbox(services, ['connection', 'aws.profile', 'aws.region', 'endpoint.url', 'endpoint.credentials', 'endpoint.accessKeyId', 'endpoint.secretAccessKey', 'endpoint.treatAsRealAws']);
  });

  it('a profile with endpoint_url chosen in the settings: the explorer shows that endpoint, the status bar its region; Refresh picks up a rotated key', async () => {
    await config().update('aws.profile', 'handson-moto', G);
    await config().update('aws.region', '', G);
    await config().update('connection', 'profile', G);
    const cluster = await shown('moto-profile-cluster');
    assert.match(cluster.resource ?? '', /^arn:aws:ecs:eu-west-1:/);
    const state = services.connections.state;
    assert.ok(state.status === 'ready');
    assert.equal(state.label, t('AWS profile {0} ({1})', 'handson-moto', 'eu-west-1'));
    assert.equal(services.connections.isRealAws, false, 'an endpoint on this machine is an emulator');

    // The user rotates the key (aws configure), the old one is deleted; Refresh, no window reload.
    const rotated = await moto.createKey();
    writeKeys(rotated);
    await moto.deleteKey(key.accessKeyId);
    key = rotated;
    await vscode.commands.executeCommand('ecsHandson.refresh');
    await shown('moto-profile-cluster');
  });

  it('a key rotated and no Refresh: the call refused for the old key makes the connection re-read the files, and the explorer shows the account again', async () => {
    // Signed with the key of the moment (the admin key went in the rotation above).
    const xml = await moto.iam({ Action: 'CreateAccessKey', UserName: 'handson' }, key);
    const rotated = { accessKeyId: /<AccessKeyId>([^<]*)/.exec(xml)![1], secretAccessKey: /<SecretAccessKey>([^<]*)/.exec(xml)![1] };
    writeKeys(rotated);
    await moto.iam({ Action: 'DeleteAccessKey', UserName: 'handson', AccessKeyId: key.accessKeyId }, rotated);
    key = rotated;
    // Only the explorer's own refreshes (as its timer runs them): never the Refresh command, no reload.
    await shown('moto-profile-cluster');
    assert.ok(services.connections.state.status === 'ready');
  });

  it('the custom endpoint: its own keys from the settings (not the default chain), an empty region is the profile\'s', async () => {
    await config().update('endpoint.accessKeyId', key.accessKeyId, G);
    await config().update('endpoint.secretAccessKey', key.secretAccessKey, G);
    await config().update('endpoint.url', moto.endpoint, G);
    await config().update('aws.profile', '', G);
    await config().update('aws.region', '', G);
    await config().update('connection', 'endpoint', G);
    const cluster = await shown('moto-endpoint-cluster');
    assert.match(cluster.resource ?? '', /^arn:aws:ecs:sa-east-1:/, 'the default profile\'s region');
    const state = services.connections.state;
    assert.ok(state.status === 'ready');
    assert.equal(state.label, `${new URL(moto.endpoint).host} (sa-east-1)`);
    assert.equal(services.connections.isRealAws, false);
    await config().update('endpoint.treatAsRealAws', 'always', G);
    await shown('moto-endpoint-cluster');
    assert.equal(services.connections.isRealAws, true, 'the setting overrides');
  });

  it('Switch Connection to the custom endpoint signed with a profile\'s credentials: that profile\'s keys and region', async () => {
    await config().update('endpoint.treatAsRealAws', undefined, G);
    // The endpoint's own keys are not moto's: only the profile's can list.
    await config().update('endpoint.accessKeyId', undefined, G);
    await config().update('endpoint.secretAccessKey', undefined, G);
    await vscode.commands.executeCommand('ecsHandson.connection.switch', { kind: 'endpoint', endpoint: moto.endpoint, endpointCredentials: 'profile', profile: 'handson-moto' });
    assert.equal(config().get('endpoint.credentials'), 'profile');
    const cluster = await shown('moto-profile-cluster');
    assert.match(cluster.resource ?? '', /^arn:aws:ecs:eu-west-1:/, 'the profile\'s region');
    await config().update('endpoint.credentials', undefined, G);
  });
});
