/**
 * The "custom endpoint" connection against moto's server (an AWS emulator this project does not
 * own). The machine's AWS identity is a decoy: AWS_ACCESS_KEY_ID and the default profile hold keys
 * moto does not know, and moto checks every request's key (IAM auth on). So the endpoint is called
 * with the credentials chosen for it — its own keys, or a profile — and never silently with the
 * default chain; and an empty region is AWS_REGION, else the profile's region.
 */
import assert from 'node:assert/strict';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { connectClients, type AwsClients } from '../../src/aws/clients';
import { mapAwsError } from '../../src/aws/errors';
import { ConnectionConfigError, type Connection } from '../../src/aws/resolve';
import { tempAwsEnv, type AwsEnv } from '../helpers/aws-env';
import { emulatorFlow } from './helpers/emulator-flow';
import { startMoto, type Moto } from './helpers/moto';

describe('the custom endpoint connection, against moto', function () {
  this.timeout(60_000);
  let moto: Moto;
  let env: AwsEnv;
  const opened: AwsClients[] = [];
  const connect = async (connection: Connection) => {
    const clients = await connectClients(connection, { maxAttempts: 1 });
    opened.push(clients);
    return clients;
  };
  const endpointKeys = (): Connection => ({ kind: 'endpoint', endpoint: moto.endpoint, region: 'ap-northeast-1', credentials: { source: 'keys', ...moto.admin } });

  before(async function () {
    moto = await startMoto(this, { MOTO_ECS_SERVICE_RUNNING: '1' });
    env = tempAwsEnv();
    env.writeConfig(['[default]', 'region = eu-west-3', '', '[profile handson]', 'region = sa-east-1', '']);
    env.writeCredentials([
      '[default]', 'aws_access_key_id = AKIADEFAULTNOTINMOTO', 'aws_secret_access_key = not-a-secret', '',
      '[handson]', `aws_access_key_id = ${moto.admin.accessKeyId}`, `aws_secret_access_key = ${moto.admin.secretAccessKey}`, '',
    ]);
    process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENTDECOY';
    process.env.AWS_SECRET_ACCESS_KEY = 'not-a-secret-either';
  });

  after(async () => {
    for (const c of opened) c.destroy();
    env?.restore();
    await moto?.stop();
  });

  it('signs with the endpoint\'s own keys, not the default chain; a loopback endpoint is an emulator', async () => {
    const clients = await connect(endpointKeys());
    assert.deepEqual((await clients.ecs.send(new ListClustersCommand({}))).clusterArns, []);
    assert.equal(clients.resolved.realAws, false);
    assert.equal(clients.resolved.credentialsLabel, `the endpoint's keys (${moto.admin.accessKeyId.slice(0, 4)}…${moto.admin.accessKeyId.slice(-4)})`);
  });

  it('or with a profile\'s keys when that is the choice (and the decoy default profile is refused)', async () => {
    const withProfile = await connect({ kind: 'endpoint', endpoint: moto.endpoint, credentials: { source: 'profile', profile: 'handson' } });
    await withProfile.ecs.send(new ListClustersCommand({}));
    const withDefault = await connect({ kind: 'endpoint', endpoint: moto.endpoint, credentials: { source: 'profile', profile: 'default' } });
    const refused = await withDefault.ecs.send(new ListClustersCommand({})).then(() => undefined, (e: unknown) => e);
    assert.equal(mapAwsError(refused).kind, 'auth', 'the default profile\'s key is unknown to moto');
  });

  it('an empty region is AWS_REGION, else the profile\'s region; none at all is a clear error', async () => {
    const keys = { source: 'keys' as const, ...moto.admin };
    // No AWS_REGION: the default profile's region (the credentials come from the endpoint's keys).
    let clients = await connect({ kind: 'endpoint', endpoint: moto.endpoint, credentials: keys });
    assert.equal(clients.resolved.region, 'eu-west-3');
    assert.equal(clients.resolved.regionSource, 'profile');
    // With a profile's credentials: that profile's region.
    clients = await connect({ kind: 'endpoint', endpoint: moto.endpoint, credentials: { source: 'profile', profile: 'handson' } });
    assert.equal(clients.resolved.region, 'sa-east-1');
    process.env.AWS_REGION = 'ca-central-1';
    try {
      clients = await connect({ kind: 'endpoint', endpoint: moto.endpoint, credentials: keys });
      assert.equal(clients.resolved.region, 'ca-central-1');
      assert.equal(clients.resolved.regionSource, 'AWS_REGION');
    } finally {
      delete process.env.AWS_REGION;
    }
    env.writeConfig(['[default]', '']);
    try {
      const error = await connect({ kind: 'endpoint', endpoint: moto.endpoint, credentials: keys }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ConnectionConfigError);
      assert.equal(error.message, 'No region: set "ecsHandson.aws.region", AWS_REGION, or `region` in the profile default (aws configure set region REGION --profile default).');
    } finally {
      env.writeConfig(['[default]', 'region = eu-west-3', '', '[profile handson]', 'region = sa-east-1', '']);
    }
  });

  it('list, describe, register revision, deploy revision, a refused deploy and a scale to 0, as the explorer shows them', async () => {
    await emulatorFlow(await connect(endpointKeys()), { cluster: 'endpoint-cluster', family: 'endpoint-app', service: 'endpoint-service' });
  });

  it('a host that does not resolve: the error names it', async () => {
    const clients = await connect({ ...endpointKeys(), endpoint: 'http://ecs-handson-no-such-emulator.invalid:4566' } as Connection);
    assert.equal(clients.resolved.realAws, true, 'not on this machine: real AWS\'s confirmations');
    const error = await clients.ecs.send(new ListClustersCommand({})).then(() => undefined, (e: unknown) => e);
    assert.equal(mapAwsError(error, { endpoint: clients.resolved.endpoints.ecs }).message, 'Cannot reach ecs-handson-no-such-emulator.invalid (ENOTFOUND).');
  });
});
