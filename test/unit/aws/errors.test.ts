import assert from 'node:assert/strict';
import { mapAwsError } from '../../../src/aws/errors';
import { resourceOfInput } from '../../../src/aws/access-denied';

const sdkError = (name: string, message: string, status = 400, extra: object = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'r-1' }, $fault: status >= 500 ? 'server' : 'client', ...extra });

describe('aws/errors mapAwsError', () => {
  for (const code of ['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling']) {
    it(`${code} → throttling, retryable`, () => {
      const info = mapAwsError(sdkError(code, 'Rate exceeded'));
      assert.equal(info.kind, 'throttling');
      assert.equal(info.throttled, true);
      assert.equal(info.retryable, true);
      assert.equal(info.code, code);
    });
  }

  it('HTTP 429 without a known code is throttling', () => {
    assert.equal(mapAwsError(sdkError('SomethingNew', 'slow down', 429)).kind, 'throttling');
  });

  it('ECONNREFUSED → network, naming the endpoint', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 });
    const info = mapAwsError(e, { endpoint: 'http://127.0.0.1:4566', sandbox: true });
    assert.equal(info.kind, 'network');
    assert.equal(info.message, 'Cannot reach http://127.0.0.1:4566 (ECONNREFUSED).');
    assert.match(info.hint ?? '', /sandbox/);
    assert.equal(info.retryable, true);
  });

  it('finds the code inside an AggregateError (Node happy eyeballs) and uses the address without an endpoint', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:4566'), { code: 'ECONNREFUSED', address: '::1', port: 4566 });
    const info = mapAwsError(new AggregateError([inner], ''));
    assert.equal(info.kind, 'network');
    assert.match(info.message, /::1:4566/);
  });

  it('ENOTFOUND → network, naming the host that does not resolve', () => {
    const info = mapAwsError(Object.assign(new Error('getaddrinfo ENOTFOUND ecs.xx.amazonaws.com'), { code: 'ENOTFOUND', hostname: 'ecs.xx.amazonaws.com' }));
    assert.equal(info.kind, 'network');
    assert.equal(info.message, 'Cannot reach ecs.xx.amazonaws.com (ENOTFOUND).');
    assert.match(info.hint ?? '', /ecs\.xx\.amazonaws\.com does not resolve/);
  });

  it('an answer the SDK cannot read (an emulator\'s XML error on a JSON service): HTTP 403 is a credentials problem', () => {
    const e = Object.assign(new SyntaxError('Unexpected token \'<\', "<?xml vers"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), { $metadata: { httpStatusCode: 403 } });
    const info = mapAwsError(e);
    assert.equal(info.kind, 'auth');
    assert.equal(info.code, 'HTTP 403');
    assert.match(info.message, /HTTP 403/);
    const html = mapAwsError(Object.assign(new SyntaxError('x\n  Deserialization error: to see the raw response'), { $metadata: { httpStatusCode: 500 } }));
    assert.equal(html.kind, 'other');
    assert.equal(html.retryable, true);
  });

  it('expired SSO session → auth with an `aws sso login --profile` hint', () => {
    const e = Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'), { name: 'CredentialsProviderError' });
    const info = mapAwsError(e, { profile: 'dev' });
    assert.equal(info.kind, 'auth');
    assert.equal(info.retryable, false);
    assert.equal(info.hint, 'Run `aws sso login --profile dev` and try again.');
  });

  it('ExpiredTokenException → auth with a refresh hint', () => {
    const info = mapAwsError(sdkError('ExpiredTokenException', 'The security token included in the request is expired'), { profile: 'prod' });
    assert.equal(info.kind, 'auth');
    assert.match(info.hint ?? '', /expired.*aws sso login --profile prod/);
  });

  it('AccessDeniedException → auth with a permission hint', () => {
    const info = mapAwsError(sdkError('AccessDeniedException', 'User is not authorized to perform: ecs:CreateCluster'));
    assert.equal(info.kind, 'auth');
    assert.match(info.hint ?? '', /policy allowing ecs:CreateCluster/);
    assert.match(mapAwsError(sdkError('AccessDeniedException', 'Access denied')).hint ?? '', /permission/);
  });

  it('AccessDenied names the action, the resource and the identity refused, and the managed policy that usually grants it', () => {
    const info = mapAwsError(sdkError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:eu-west-1:123456789012:service/demo-cluster/demo-service because no identity-based policy allows the ecs:UpdateService action', 400));
    assert.equal(info.kind, 'auth');
    assert.equal(info.message, 'Not allowed: ecs:UpdateService on arn:aws:ecs:eu-west-1:123456789012:service/demo-cluster/demo-service (refused for arn:aws:iam::123456789012:user/dev, AccessDeniedException).');
    assert.match(info.hint ?? '', /AmazonECS_FullAccess usually grants ecs:UpdateService/);
  });

  it('EC2 UnauthorizedOperation without an action in its message: the refused call names it (and the encoded message is pointed at)', () => {
    const e = sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: AbC123');
    Object.defineProperty(e, '$operation', { value: { service: 'EC2', operation: 'TerminateInstances', resource: 'i-0abc' } });
    const info = mapAwsError(e);
    assert.equal(info.message, 'Not allowed: ec2:TerminateInstances on i-0abc (refused for your IAM identity, UnauthorizedOperation).');
    assert.match(info.hint ?? '', /AmazonEC2FullAccess/);
    assert.match(info.hint ?? '', /aws sts decode-authorization-message/);
  });

  it('CloudWatch Logs (Show Logs) refused: the logs: action on the log group, and the read-only policy that grants it', () => {
    const e = sdkError('AccessDeniedException', 'You are not authorized to perform this operation.');
    Object.defineProperty(e, '$operation', { value: { service: 'CloudWatchLogs', operation: 'FilterLogEvents', resource: '/ecs/demo-app' } });
    const info = mapAwsError(e);
    assert.equal(info.message, 'Not allowed: logs:FilterLogEvents on /ecs/demo-app (refused for your IAM identity, AccessDeniedException).');
    assert.match(info.hint ?? '', /CloudWatchLogsReadOnlyAccess usually grants logs:FilterLogEvents/);
    assert.equal(resourceOfInput({ logGroupName: '/ecs/demo-app', logStreamNames: ['ecs/app/1'] }), '/ecs/demo-app');
  });

  it('an emulator\'s XML error on a JSON service (moto\'s ECS): the error inside is read, not "HTTP 403"', () => {
    const e = Object.assign(new SyntaxError('Unexpected token \'<\', "<?xml vers"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), { $metadata: { httpStatusCode: 403 } });
    Object.defineProperty(e, '$responseBodyText', { value: '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ro is not authorized to perform: ecs:UpdateService</Message></Error></Errors></ErrorResponse>' });
    Object.defineProperty(e, '$operation', { value: { service: 'ECS', operation: 'UpdateService', resource: 'demo-service' } });
    const info = mapAwsError(e);
    assert.equal(info.code, 'AccessDenied');
    assert.equal(info.kind, 'auth');
    assert.equal(info.message, 'Not allowed: ecs:UpdateService on demo-service (refused for arn:aws:iam::123456789012:user/ro, AccessDenied).');
  });

  it('missing credentials → auth with a configure hint', () => {
    const info = mapAwsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    assert.equal(info.kind, 'auth');
    assert.match(info.hint ?? '', /aws configure/);
  });

  it('*NotFound* and "Unable to describe task definition." → notFound', () => {
    assert.equal(mapAwsError(sdkError('ServiceNotFoundException', 'Service not found.')).kind, 'notFound');
    assert.equal(mapAwsError(sdkError('TargetGroupNotFound', 'One or more target groups not found')).kind, 'notFound');
    assert.equal(mapAwsError(sdkError('ClientException', 'Unable to describe task definition.')).kind, 'notFound');
  });

  it('InvalidParameterException / ClientException → validation, keeping the service message', () => {
    const info = mapAwsError(sdkError('InvalidParameterException', 'Creation of service was not idempotent.'));
    assert.deepEqual(
      { kind: info.kind, message: info.message, retryable: info.retryable, requestId: info.requestId, httpStatus: info.httpStatus },
      { kind: 'validation', message: 'Creation of service was not idempotent.', retryable: false, requestId: 'r-1', httpStatus: 400 },
    );
    assert.equal(mapAwsError(sdkError('ClientException', 'Container.image should not be null')).kind, 'validation');
  });

  it('server faults are other but retryable; unknown client errors are not', () => {
    const s = mapAwsError(sdkError('ServerException', 'internal', 500));
    assert.equal(s.kind, 'other');
    assert.equal(s.retryable, true);
    const c = mapAwsError(sdkError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.'));
    assert.equal(c.kind, 'other');
    assert.equal(c.retryable, false);
  });

  it('handles non-Error values', () => {
    const info = mapAwsError('weird');
    assert.equal(info.message, 'weird');
    assert.equal(info.kind, 'other');
  });
});
