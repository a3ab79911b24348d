import assert from 'node:assert/strict';
import { isLoopbackEndpoint, resolveConnection } from '../../../src/aws/resolve';
import { tempAwsEnv, type AwsEnv } from '../../helpers/aws-env';

describe('aws/resolve', () => {
  let env: AwsEnv;
  beforeEach(() => {
    env = tempAwsEnv();
    env.writeConfig([
      '[default]', 'region = us-west-2', '',
      '[profile dev]', 'region = eu-central-1', 'endpoint_url = http://127.0.0.1:4566', 'services = local', '',
      '[services local]', 'elastic_load_balancing_v2 =', '  endpoint_url = http://127.0.0.1:5000', '',
      '[profile broken]', 'region = eu-central-1', 'services = missing', '',
    ]);
    env.writeCredentials(['[dev]', 'aws_access_key_id = AKIDDEV', 'aws_secret_access_key = x', '']);
  });
  afterEach(() => env.restore());

  it('endpoints: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the services section, the profile\'s endpoint_url', async () => {
    let r = await resolveConnection({ kind: 'profile', profile: 'dev' });
    assert.equal(r.endpoints.ecs, 'http://127.0.0.1:4566');
    assert.equal(r.endpoints.elbv2, 'http://127.0.0.1:5000', 'the services section wins for its service');
    assert.equal(r.region, 'eu-central-1');
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:7000';
    process.env.AWS_ENDPOINT_URL_ECS = 'http://127.0.0.1:7001';
    r = await resolveConnection({ kind: 'profile', profile: 'dev' });
    assert.equal(r.endpoints.ecs, 'http://127.0.0.1:7001');
    assert.equal(r.endpoints.elbv2, 'http://127.0.0.1:7000');
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    r = await resolveConnection({ kind: 'profile', profile: 'dev' });
    assert.deepEqual(r.endpoints, {}, 'ignore_configured_endpoint_urls: AWS\'s own endpoints');
    assert.equal(r.realAws, true);
  });

  it('a profile without endpoint_url is not sent to the default profile\'s endpoint', async () => {
    env.writeConfig(['[default]', 'region = us-west-2', 'endpoint_url = http://127.0.0.1:9', '', '[profile prod]', 'region = eu-west-1', '']);
    const r = await resolveConnection({ kind: 'profile', profile: 'prod' });
    assert.deepEqual(r.endpoints, {});
    assert.equal(r.realAws, true);
  });

  it('region: the setting, AWS_REGION, AWS_DEFAULT_REGION, the profile\'s', async () => {
    assert.equal((await resolveConnection({ kind: 'profile', profile: 'dev', region: 'ap-south-1' })).regionSource, 'setting');
    process.env.AWS_DEFAULT_REGION = 'ca-central-1';
    let r = await resolveConnection({ kind: 'profile', profile: 'dev' });
    assert.deepEqual([r.region, r.regionSource], ['ca-central-1', 'AWS_DEFAULT_REGION']);
    process.env.AWS_REGION = 'sa-east-1';
    r = await resolveConnection({ kind: 'profile', profile: 'dev' });
    assert.deepEqual([r.region, r.regionSource], ['sa-east-1', 'AWS_REGION']);
  });

  it('a services section that is not there is a clear error', async () => {
    await assert.rejects(resolveConnection({ kind: 'profile', profile: 'broken' }), { name: 'ConnectionConfigError', message: 'The profile broken names the services section "missing", which is not in the shared config file.' });
  });

  it('loopback endpoints are emulators; the setting overrides for endpoints that are not AWS\'s', async () => {
    for (const url of ['http://localhost:4566', 'http://127.0.0.1:5000', 'http://[::1]:4566', 'http://localhost.localstack.cloud:4566', 'http://s3.localhost:4566']) {
      assert.equal(isLoopbackEndpoint(url), true, url);
    }
    for (const url of ['http://10.0.0.5:4566', 'https://ecs.eu-west-1.amazonaws.com', 'http://localhost.example.com', 'not a url']) {
      assert.equal(isLoopbackEndpoint(url), false, url);
    }
    const keys = { source: 'keys' as const, accessKeyId: 'test', secretAccessKey: 'test' };
    assert.equal((await resolveConnection({ kind: 'endpoint', endpoint: 'http://localhost:4566', credentials: keys })).realAws, false);
    assert.equal((await resolveConnection({ kind: 'endpoint', endpoint: 'http://10.0.0.5:4566', credentials: keys })).realAws, true);
    assert.equal((await resolveConnection({ kind: 'endpoint', endpoint: 'http://localhost:4566', credentials: keys, realAws: 'always' })).realAws, true);
    assert.equal((await resolveConnection({ kind: 'endpoint', endpoint: 'http://10.0.0.5:4566', credentials: keys, realAws: 'never' })).realAws, false);
    assert.equal((await resolveConnection({ kind: 'profile', profile: 'dev', realAws: 'never' })).realAws, false);
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    assert.equal((await resolveConnection({ kind: 'profile', profile: 'dev', realAws: 'never' })).realAws, true, 'AWS itself is always real AWS');
  });
});
