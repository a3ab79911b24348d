/**
 * src/core/execution-role.ts: which task definitions need a task execution role they do not name
 * (ECS refuses them at registration with a ClientException).
 */
import assert from 'node:assert/strict';
import { executionRoleNeeds, extraActions } from '../../../src/core/execution-role';

const container = (extra: Record<string, unknown>) => ({ name: 'web', image: 'uzresk/demo:ver1.0', memory: 256, ...extra });

describe('executionRoleNeeds (task definitions that need a task execution role)', () => {
  it('the hands-on task definition needs none', () => {
    assert.deepEqual(executionRoleNeeds({ family: 'demo-app-task', containerDefinitions: [container({ portMappings: [{ containerPort: 8080, hostPort: 80 }] })] }), []);
  });

  it('secrets (SSM or Secrets Manager, also a log configuration\'s secretOptions), private registry credentials and S3 environment files need one on any launch type', () => {
    const ssm = 'arn:aws:ssm:eu-west-1:123456789012:parameter/db-password';
    const asm = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-AbCdEf';
    const needs = executionRoleNeeds({
      family: 'app',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [
        container({ secrets: [{ name: 'DB_PASSWORD', valueFrom: ssm }], logConfiguration: { logDriver: 'splunk', secretOptions: [{ name: 'splunk-token', valueFrom: 'splunk-token' }] } }),
        container({ name: 'sidecar', image: 'registry.example.com/team/sidecar:1', repositoryCredentials: { credentialsParameter: asm }, environmentFiles: [{ value: 'arn:aws:s3:::bucket/app.env', type: 's3' }] }),
      ],
    });
    assert.deepEqual(needs, [
      { kind: 'secrets', container: 'web', resources: [ssm, 'splunk-token'] },
      { kind: 'repositoryCredentials', container: 'sidecar', resources: [asm] },
      { kind: 'environmentFiles', container: 'sidecar', resources: ['arn:aws:s3:::bucket/app.env'] },
    ]);
    assert.deepEqual(extraActions(needs[0]), ['ssm:GetParameters']);
    assert.deepEqual(extraActions(needs[1]), ['secretsmanager:GetSecretValue']);
    assert.deepEqual(extraActions(needs[2]), ['s3:GetObject', 's3:GetBucketLocation']);
  });

  it('ECR images and awslogs need one on Fargate; on EC2 the container instance role serves them', () => {
    const doc = (compat: string[]) => ({
      family: 'app',
      requiresCompatibilities: compat,
      containerDefinitions: [container({ image: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app' } } })],
    });
    assert.deepEqual(executionRoleNeeds(doc(['EC2'])), []);
    assert.deepEqual(executionRoleNeeds(doc([])), []);
    assert.deepEqual(executionRoleNeeds(doc(['FARGATE'])), [
      { kind: 'ecrImage', container: 'web', resources: [], launchType: 'FARGATE' },
      { kind: 'awslogs', container: 'web', resources: [], launchType: 'FARGATE' },
    ]);
    assert.deepEqual(extraActions(executionRoleNeeds(doc(['FARGATE']))[0]), [], 'AmazonECSTaskExecutionRolePolicy covers ECR and logs');
    // Docker Hub and ECR Public are not private ECR repositories.
    assert.deepEqual(executionRoleNeeds({ requiresCompatibilities: ['FARGATE'], containerDefinitions: [container({ image: 'public.ecr.aws/nginx/nginx:1' })] }), []);
  });

  it('a document that names an execution role needs nothing more; a malformed one is not a crash', () => {
    assert.deepEqual(executionRoleNeeds({ executionRoleArn: 'arn:aws:iam::123456789012:role/mine', containerDefinitions: [container({ secrets: [{ name: 'A', valueFrom: 'a' }] })] }), []);
    assert.deepEqual(executionRoleNeeds({ containerDefinitions: 'nope', requiresCompatibilities: 7 }), []);
    assert.deepEqual(executionRoleNeeds({ containerDefinitions: [null, 3, { secrets: [{}] }] }), []);
  });
});
