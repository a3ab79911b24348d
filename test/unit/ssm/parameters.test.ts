import { strict as assert } from 'node:assert';
import { ssmService } from '../../../src/sandbox/ssm';
import { amiId } from '../../../src/sandbox/ssm/public-parameters';
import { AwsError } from '../../../src/sandbox/protocol/errors';
import type { RequestContext } from '../../../src/sandbox/service';

const ctxFor = (region: string) => ({ region, accountId: '123456789012', now: 0, requestId: 'r' }) as unknown as RequestContext;
const call = (op: string, input: unknown, region = 'ap-northeast-1') => ssmService.operations[op](ctxFor(region), input) as any;
const fails = (op: string, input: unknown, region = 'ap-northeast-1'): AwsError => {
  try {
    call(op, input, region);
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error('expected an AwsError');
};

const AL2023 = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended';
const AL2 = '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended';

describe('SSM public parameters', () => {
  it('is wired as awsJson1_1 under AmazonSSM', () => {
    assert.equal(ssmService.protocol, 'awsJson1_1');
    assert.equal(ssmService.targetPrefix, 'AmazonSSM');
    assert.equal(ssmService.signingName, 'ssm');
  });

  it('returns the recommended AL2023 ECS AMI id: stable, per region, in the ami- + 17 hex shape', () => {
    const p = call('GetParameter', { Name: `${AL2023}/image_id` }).Parameter;
    assert.match(p.Value, /^ami-[0-9a-f]{17}$/);
    assert.equal(p.Value, amiId('ap-northeast-1', 'amazon-linux-2023'));
    assert.equal(call('GetParameter', { Name: `${AL2023}/image_id` }).Parameter.Value, p.Value, 'stable');
    assert.notEqual(call('GetParameter', { Name: `${AL2023}/image_id` }, 'us-east-1').Parameter.Value, p.Value, 'differs per region');
    assert.equal(p.Name, `${AL2023}/image_id`);
    assert.equal(p.Type, 'String');
    assert.equal(p.ARN, `arn:aws:ssm:ap-northeast-1::parameter${AL2023}/image_id`);
    assert.equal(typeof p.Version, 'number');
    assert.equal(typeof p.LastModifiedDate, 'number');
    assert.ok(p.LastModifiedDate > 1.6e9 && p.LastModifiedDate < 2e9, 'epoch seconds');
    assert.equal(p.DataType, 'text');
  });

  it('returns the JSON metadata ECS publishes, consistent with its sub-parameters', () => {
    for (const [path, os, prefix] of [[AL2023, 'Amazon Linux 2023', 'al2023-ami-ecs-hvm-'], [AL2, 'Amazon Linux 2', 'amzn2-ami-ecs-hvm-']]) {
      const meta = JSON.parse(call('GetParameter', { Name: path }).Parameter.Value);
      assert.deepEqual(Object.keys(meta), ['ecs_agent_version', 'ecs_runtime_version', 'image_id', 'image_name', 'os', 'schema_version', 'source_image_name']);
      assert.equal(meta.os, os);
      assert.ok(meta.image_name.startsWith(prefix), meta.image_name);
      assert.equal(meta.schema_version, 1);
      assert.equal(meta.image_id, call('GetParameter', { Name: `${path}/image_id` }).Parameter.Value);
      assert.equal(meta.image_name, call('GetParameter', { Name: `${path}/image_name` }).Parameter.Value);
    }
    assert.notEqual(call('GetParameter', { Name: `${AL2}/image_id` }).Parameter.Value, call('GetParameter', { Name: `${AL2023}/image_id` }).Parameter.Value);
  });

  it('accepts the parameter ARN and a matching :version selector', () => {
    const byArn = call('GetParameter', { Name: `arn:aws:ssm:ap-northeast-1::parameter${AL2023}/image_id` }).Parameter;
    assert.equal(byArn.Name, `${AL2023}/image_id`);
    const v = byArn.Version;
    assert.equal(call('GetParameter', { Name: `${AL2023}/image_id:${v}` }).Parameter.Selector, `:${v}`);
    assert.equal(fails('GetParameter', { Name: `${AL2023}/image_id:${v + 1}` }).code, 'ParameterVersionNotFound');
  });

  it('answers unknown names with ParameterNotFound and bad input with ValidationException', () => {
    const nf = fails('GetParameter', { Name: '/aws/service/ecs/optimized-ami/amazon-linux-2099/recommended' });
    assert.equal(nf.code, 'ParameterNotFound');
    assert.equal(fails('GetParameter', {}).code, 'ValidationException');
    assert.equal(fails('GetParameter', { Name: '' }).code, 'ValidationException');
  });

  it('GetParameters returns found and invalid names; more than 10 names is a ValidationException', () => {
    const out = call('GetParameters', { Names: [`${AL2023}/image_id`, '/nope', `${AL2}/image_id`] });
    assert.deepEqual(out.Parameters.map((p: any) => p.Name), [`${AL2023}/image_id`, `${AL2}/image_id`]);
    assert.deepEqual(out.InvalidParameters, ['/nope']);
    assert.equal(fails('GetParameters', { Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) }).code, 'ValidationException');
    assert.equal(fails('GetParameters', {}).code, 'ValidationException');
  });

  it('GetParametersByPath lists one level, or all levels with Recursive, in pages', () => {
    const one = call('GetParametersByPath', { Path: AL2023 });
    assert.deepEqual(one.Parameters.map((p: any) => p.Name.slice(AL2023.length + 1)).sort(), [
      'ecs_agent_version', 'ecs_runtime_version', 'image_id', 'image_name', 'os', 'schema_version', 'source_image_name',
    ]);
    assert.equal(call('GetParametersByPath', { Path: '/aws/service/ecs/optimized-ami/amazon-linux-2023' }).Parameters.length, 1, 'only the direct child');
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = call('GetParametersByPath', { Path: '/aws/service/ecs', Recursive: true, MaxResults: 10, NextToken: token });
      names.push(...page.Parameters.map((p: any) => p.Name));
      token = page.NextToken;
    } while (token);
    assert.ok(names.includes(`${AL2}/image_id`) && names.includes(AL2023));
    assert.equal(new Set(names).size, names.length);
  });

  it('serves the plain Amazon Linux AMIs tools read (/aws/service/ami-amazon-linux-latest): AL2023 and AL2, x86_64 and arm64, per region', () => {
    const LATEST = '/aws/service/ami-amazon-linux-latest';
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = call('GetParametersByPath', { Path: LATEST, MaxResults: 10, NextToken: token });
      names.push(...page.Parameters.map((p: any) => p.Name.slice(LATEST.length + 1)));
      token = page.NextToken;
    } while (token);
    for (const n of ['al2023-ami-kernel-default-x86_64', 'al2023-ami-kernel-default-arm64', 'amzn2-ami-hvm-x86_64-gp2', 'amzn2-ami-hvm-arm64-gp2']) assert.ok(names.includes(n), n);
    const p = call('GetParameter', { Name: `${LATEST}/al2023-ami-kernel-default-arm64` }).Parameter;
    assert.match(p.Value, /^ami-[0-9a-f]{17}$/);
    assert.equal(p.DataType, 'aws:ec2:image');
    assert.notEqual(p.Value, call('GetParameter', { Name: `${LATEST}/al2023-ami-kernel-default-x86_64` }).Parameter.Value, 'one AMI per architecture');
    assert.notEqual(p.Value, call('GetParameter', { Name: `${LATEST}/al2023-ami-kernel-default-arm64` }, 'us-east-1').Parameter.Value, 'differs per region');
    assert.notEqual(p.Value, call('GetParameter', { Name: `${AL2023}/image_id` }).Parameter.Value, 'not the ECS-optimized AMI');
    assert.equal(fails('GetParameter', { Name: `${LATEST}/al2023-ami-kernel-default-sparc` }).code, 'ParameterNotFound');
  });
});
