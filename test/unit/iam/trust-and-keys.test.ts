/**
 * The sandbox's trust-policy evaluation (STS AssumeRole) and its key lookup (who signed a request,
 * and whether AWS would take the key), without a server.
 */
import assert from 'node:assert/strict';
import type { World } from '../../../src/sandbox/engine/state';
import { checkTrustPolicy, trusts } from '../../../src/sandbox/iam/trust-policy';
import { issueCredentials, lookupKey } from '../../../src/sandbox/sts/credentials';

const ACCOUNT = '123456789012';
const USER = `arn:aws:iam::${ACCOUNT}:user/ecs-handson-sandbox`;
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('sandbox IAM trust policies and STS keys', () => {
  it('trusts: principals by account, root or ARN; action wildcards; Deny wins; a service-only trust does not trust the user', () => {
    const names = [ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, USER];
    assert.equal(trusts(policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }), names), true);
    assert.equal(trusts(policy({ Effect: 'Allow', Principal: { AWS: [USER] }, Action: 'sts:*' }), names), true);
    assert.equal(trusts(policy({ Effect: 'Allow', Principal: '*', Action: ['sts:Assume*'] }), names), true);
    assert.equal(trusts(policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), names), false);
    assert.equal(trusts(policy({ Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'sts:AssumeRole' }), names), false);
    assert.equal(trusts(policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:TagSession' }), names), false);
    assert.equal(
      trusts(policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }, { Effect: 'Deny', Principal: { AWS: USER }, Action: 'sts:AssumeRole' }), names),
      false,
    );
    assert.equal(trusts('not json', names), false);
  });

  it('checkTrustPolicy refuses what IAM refuses, in its words', () => {
    const none = () => false;
    const refused = (doc: string, message: string) => assert.throws(() => checkTrustPolicy(doc, ACCOUNT, none), { code: 'MalformedPolicyDocument', message });
    refused('{', 'This policy contains invalid Json');
    refused(policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }), 'Has prohibited field Resource');
    refused(policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'Missing required field Principal');
    refused(policy({ Effect: 'Maybe', Principal: '*', Action: 'sts:AssumeRole' }), 'Invalid effect: Maybe');
    refused(policy({ Effect: 'Allow', Principal: { Service: 'not a service' }, Action: 'sts:AssumeRole' }), 'Invalid principal in policy: "SERVICE":"not a service"');
    refused(JSON.stringify({ Version: '2099-01-01', Statement: [] }), 'The policy must contain a valid version string');
    checkTrustPolicy(policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }), ACCOUNT, none);
  });

  it('lookupKey: the long-term key alone; a session key only with its own, unexpired, untampered token', () => {
    const world = { accountId: ACCOUNT, credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'x'.repeat(40) } } as World;
    const now = Date.now();
    const user = lookupKey(world, 'AKIAEXAMPLEEXAMPLE12', undefined, now) as any;
    assert.deepEqual([user.secret, user.caller.kind, user.caller.arn], ['x'.repeat(40), 'user', USER]);
    assert.match(user.caller.userId, /^AIDA[A-Z2-7]{17}$/);
    const a = issueCredentials(world, { kind: 'session' }, now + 60_000);
    const b = issueCredentials(world, { kind: 'role', roleArn: `arn:aws:iam::${ACCOUNT}:role/app/deployer`, roleId: 'AROAEXAMPLEEXAMPLE123', sessionName: 's1' }, now + 60_000);
    assert.equal((lookupKey(world, a.AccessKeyId, a.SessionToken, now) as any).secret, a.SecretAccessKey);
    const role = lookupKey(world, b.AccessKeyId, b.SessionToken, now) as any;
    assert.equal(role.caller.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/s1`);
    assert.equal(role.caller.userId, 'AROAEXAMPLEEXAMPLE123:s1');
    assert.deepEqual(lookupKey(world, a.AccessKeyId, undefined, now), { refused: 'unknown-key' });
    assert.deepEqual(lookupKey(world, a.AccessKeyId, b.SessionToken, now), { refused: 'unknown-key' });
    assert.deepEqual(lookupKey(world, 'AKIAEXAMPLEEXAMPLE12', a.SessionToken, now), { refused: 'unknown-key' });
    const [body, seal] = a.SessionToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), x: now + 10 ** 9 })).toString('base64url');
    assert.deepEqual(lookupKey(world, a.AccessKeyId, `${forged}.${seal}`, now), { refused: 'unknown-key' }, 'an extended expiry breaks the seal');
    assert.deepEqual(lookupKey(world, a.AccessKeyId, a.SessionToken, now + 60_000), { refused: 'expired-token' });
    // Another sandbox (another secret) does not take them.
    const other = { ...world, credentials: { ...world.credentials, secretAccessKey: 'y'.repeat(40) } } as World;
    assert.deepEqual(lookupKey(other, a.AccessKeyId, a.SessionToken, now), { refused: 'unknown-key' });
  });
});
