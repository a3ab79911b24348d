/**
 * The "AWS profile" connection against moto's server (an AWS emulator this project does not own),
 * with the profile chosen as in the setting `ecsHandson.aws.profile` — not AWS_PROFILE — in a
 * temporary AWS config (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, never the machine's ~/.aws).
 * The default profile points at a closed port with keys moto does not know, so a call that follows
 * AWS_PROFILE / default instead of the chosen profile fails. moto checks every request's key (IAM
 * auth on), so each test sees which key signed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { connectClients, type AwsClients } from '../../src/aws/clients';
import { mapAwsError } from '../../src/aws/errors';
import { loadRoots } from '../../src/aws/explorer';
import { tempAwsEnv, type AwsEnv } from '../helpers/aws-env';
import { emulatorFlow } from './helpers/emulator-flow';
import { startMoto, type AccessKey, type Moto } from './helpers/moto';

const REGION = 'eu-west-1';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('an AWS profile with endpoint_url, against moto', function () {
  this.timeout(60_000);
  let moto: Moto;
  let env: AwsEnv;
  let key: AccessKey;
  const opened: AwsClients[] = [];
  /** What Refresh / Switch Connection do: resolve the profile again, new clients. */
  const connect = async (profile: string, maxAttempts = 2) => {
    const clients = await connectClients({ kind: 'profile', profile }, { maxAttempts });
    opened.push(clients);
    return clients;
  };
  const config = (extra: string[] = []) =>
    env.writeConfig([
      '[default]', 'region = us-east-1', `endpoint_url = http://127.0.0.1:${deadPort}`, '',
      '[profile handson]', `region = ${REGION}`, `endpoint_url = ${moto.endpoint}`, '',
      ...extra,
    ]);
  const credentials = (k: AccessKey) =>
    env.writeCredentials([
      '[default]', 'aws_access_key_id = AKIADEFAULTNOTINMOTO', 'aws_secret_access_key = not-a-secret', '',
      '[handson]', `aws_access_key_id = ${k.accessKeyId}`, `aws_secret_access_key = ${k.secretAccessKey}`, '',
    ]);
  let deadPort: number;

  before(async function () {
    moto = await startMoto(this, { MOTO_ECS_SERVICE_RUNNING: '1' });
    env = tempAwsEnv();
    deadPort = await closedPort();
    key = moto.admin;
    config();
    credentials(key);
  });

  after(async () => {
    for (const c of opened) c.destroy();
    env?.restore();
    await moto?.stop();
  });

  it('uses the chosen profile\'s endpoint_url, region and keys (not AWS_PROFILE / default\'s); treats a loopback endpoint as an emulator', async () => {
    const clients = await connect('handson');
    assert.equal(clients.resolved.region, REGION);
    assert.equal(clients.resolved.regionSource, 'profile');
    assert.equal(clients.resolved.endpoints.ecs, moto.endpoint);
    assert.equal(clients.resolved.realAws, false);
    const roots = (await loadRoots(clients, { parentId: 'root' })).nodes;
    assert.equal(roots[0].label, 'No clusters yet');
  });

  it('list, describe, register revision, deploy revision, a refused deploy and a scale to 0, as the explorer shows them', async () => {
    await emulatorFlow(await connect('handson'), { cluster: 'profile-cluster', family: 'profile-app', service: 'profile-service' });
  });

  it('a rotated key: the old clients are refused, the next connection (Refresh) signs with the new key', async () => {
    const before = await connect('handson');
    await before.ecs.send(new ListClustersCommand({}));
    // The user rotates the key: a new one in the credentials file (aws configure), the old one deleted.
    const rotated = await moto.createKey();
    credentials(rotated);
    await moto.deleteKey(key.accessKeyId);
    key = rotated;
    const refused = await before.ecs.send(new ListClustersCommand({})).then(() => undefined, (e: unknown) => e);
    assert.ok(refused, 'the deleted key is refused');
    assert.equal(mapAwsError(refused).kind, 'auth');
    const after = await connect('handson');
    const clusters = await after.ecs.send(new ListClustersCommand({}));
    assert.ok(Array.isArray(clusters.clusterArns));
    const used = typeof after.resolved.credentials === 'function' ? await after.resolved.credentials() : after.resolved.credentials;
    assert.equal(used.accessKeyId, rotated.accessKeyId);
  });

  it('role chaining: role_arn with source_profile, the role assumed at the profile\'s endpoint', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/handson' }, Action: 'sts:AssumeRole' }] });
    await moto.iam({ Action: 'CreateRole', RoleName: 'handson-role', AssumeRolePolicyDocument: trust }, key);
    await moto.iam({ Action: 'PutRolePolicy', RoleName: 'handson-role', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }, key);
    config(['[profile handson-role]', 'role_arn = arn:aws:iam::123456789012:role/handson-role', 'source_profile = handson', `region = ${REGION}`, `endpoint_url = ${moto.endpoint}`, '']);
    const clients = await connect('handson-role');
    await clients.ecs.send(new ListClustersCommand({}));
    const used = await (clients.resolved.credentials as () => Promise<{ accessKeyId: string; sessionToken?: string }>)();
    assert.ok(used.sessionToken, 'temporary credentials from AssumeRole');
    assert.notEqual(used.accessKeyId, key.accessKeyId);
  });

  it('credential_process, and a services section with a per-service endpoint_url', async () => {
    const script = path.join(env.dir, 'creds.js');
    fs.writeFileSync(script, `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(key.accessKeyId)}, SecretAccessKey: ${JSON.stringify(key.secretAccessKey)} }));`);
    config([
      '[profile handson-process]', `credential_process = "${process.execPath}" "${script}"`, `region = ${REGION}`, 'services = emulator', '',
      '[services emulator]', 'ecs =', `  endpoint_url = ${moto.endpoint}`, '',
    ]);
    const clients = await connect('handson-process');
    assert.equal(clients.resolved.endpoints.ecs, moto.endpoint);
    assert.equal(clients.resolved.endpoints.ec2, undefined, 'only ECS is configured in the services section');
    await clients.ecs.send(new ListClustersCommand({}));
  });

  it('a host that does not resolve: the error names it', async () => {
    config(['[profile handson-nohost]', `region = ${REGION}`, 'endpoint_url = http://ecs-handson-no-such-host.invalid', '']);
    env.writeCredentials(['[handson-nohost]', `aws_access_key_id = ${key.accessKeyId}`, `aws_secret_access_key = ${key.secretAccessKey}`, '']);
    const clients = await connect('handson-nohost', 1);
    const error = await clients.ecs.send(new ListClustersCommand({})).then(() => undefined, (e: unknown) => e);
    const info = mapAwsError(error);
    assert.equal(info.kind, 'network');
    assert.equal(info.message, 'Cannot reach ecs-handson-no-such-host.invalid (ENOTFOUND).');
    assert.match(info.hint ?? '', /ecs-handson-no-such-host\.invalid does not resolve/);
  });
});
