/**
 * What real AWS needs that the sandbox forgives, checked the way a user meets it, over moto's server
 * (an AWS emulator this project does not own; IAM auth on, AWS's managed policies loaded) on an AWS
 * profile whose config has `endpoint_url`, treated as real AWS (`endpoint.treatAsRealAws`):
 * - Create Service finds ECS's service-linked role missing and asks before creating it;
 * - Register Task Definition of a document with secrets and no execution role says so before
 *   registering and offers ecsTaskExecutionRole;
 * - Change Image (from a revision row of the explorer) and Register New Revision of a Fargate task
 *   definition to an Amazon ECR image: the same question before the revision is registered;
 * - a custom endpoint whose host does not resolve: the explorer names the host and what to check.
 *
 * Modal confirmations are answered by replacing `showWarningMessage` on the extension's API object
 * (the suite runs inside the extension, so it shares it); each question is recorded. A new
 * revision's review (a modal information message) is answered "Register", its image input box with
 * the image the test types.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateClusterCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import type { UiContext } from '../../../src/ui/ui-context';
import type { ExplorerApi } from '../../../src/ui/explorer';
import { eventually } from '../../helpers/wait';
import { backToSandbox } from './sandbox-again';
import { tempAwsEnv, type AwsEnv } from '../../helpers/aws-env';
import { startMoto, type Moto } from '../../integration/helpers/moto';

const t = (message: string, ...args: Array<string | number>) => vscode.l10n.t(message, ...args);
const config = () => vscode.workspace.getConfiguration('ecsHandson');
const G = vscode.ConfigurationTarget.Global;
const REGION = 'ap-northeast-1';
const CLUSTER = 'checks-cluster';
type Failure = { error: string; code: string };
const isFailure = (r: unknown): r is Failure => !!r && typeof r === 'object' && 'error' in r && 'code' in r;
const SLR_PATH = '/aws-service-role/ecs.amazonaws.com/';

describe('real-AWS checks over moto', function () {
  this.timeout(120_000);
  let services: UiContext;
  let moto: Moto;
  let env: AwsEnv;
  let ecs: ECSClient;
  let iam: IAMClient;
  const run = async <T>(id: string, args?: unknown): Promise<T> => await vscode.commands.executeCommand(id, args);

  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const original = { warn: win.showWarningMessage, info: win.showInformationMessage, error: win.showErrorMessage, input: win.showInputBox };
  /** The modal questions asked, with their detail. */
  const asked: Array<{ message: string; detail: string }> = [];
  /** Which questions the "user" accepts. */
  let accepts: (message: string) => boolean = () => false;
  /** The reviews of new revisions (modal information messages), each answered with its first button. */
  const reviewed: Array<{ message: string; detail: string }> = [];
  /** The error messages shown. */
  const errors: string[] = [];
  /** What the "user" types into an input box (Change Image). */
  let typed: string | undefined;
  const linkedRoles = async () => ((await iam.send(new ListRolesCommand({ PathPrefix: SLR_PATH }))).Roles ?? []).filter((r) => r.Path === SLR_PATH);

  before(async function () {
    services = (await vscode.extensions.getExtension('ecs-handson.ecs-handson')!.activate()) as UiContext;
    moto = await startMoto(this, { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' });
    env = tempAwsEnv();
    env.writeConfig(['[profile handson-checks]', `region = ${REGION}`, `endpoint_url = ${moto.endpoint}`, '']);
    env.writeCredentials(['[handson-checks]', `aws_access_key_id = ${moto.admin.accessKeyId}`, `aws_secret_access_key = ${moto.admin.secretAccessKey}`, '']);
    ecs = new ECSClient({ endpoint: moto.endpoint, region: REGION, credentials: moto.admin });
    iam = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials: moto.admin });
    // The account's own cluster and task definition, made outside the extension (no service-linked role yet).
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'checks-app', containerDefinitions: [{ name: 'app', image: 'uzresk/demo:ver1.0', memory: 128, portMappings: [{ containerPort: 8080, hostPort: 80 }] }] }));

    win.showWarningMessage = async (message: unknown, ...rest: unknown[]) => {
      const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
      if (options && typeof options === 'object' && options.modal) {
        asked.push({ message: String(message), detail: options.detail ?? '' });
        return accepts(String(message)) ? rest[1] : undefined;
      }
      return undefined;
    };
    win.showInformationMessage = async (message: unknown, ...rest: unknown[]) => {
      const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
      if (!options || typeof options !== 'object' || !options.modal) return undefined;
      reviewed.push({ message: String(message), detail: options.detail ?? '' });
      return rest[1];
    };
    win.showInputBox = async () => typed;
    win.showErrorMessage = async (message: unknown) => {
      errors.push(String(message));
      return undefined;
    };

    await config().update('aws.profile', 'handson-checks', G);
    await config().update('aws.region', '', G);
    await config().update('endpoint.treatAsRealAws', 'always', G);
    await config().update('connection', 'profile', G);
    await eventually('connected to moto as real AWS', async () => {
      await services.connections.clients();
      const st = services.connections.state;
      return st.status === 'ready' && st.resolved.profile === 'handson-checks' && services.connections.isRealAws;
    }, 30_000, 300);
  });

  after(async () => {
    win.showWarningMessage = original.warn;
    win.showInformationMessage = original.info;
    win.showErrorMessage = original.error;
    win.showInputBox = original.input;
    ecs?.destroy();
    iam?.destroy();
    env?.restore();
    await moto?.stop();
    await backToSandbox(services, ['connection', 'aws.profile', 'aws.region', 'endpoint.url', 'endpoint.credentials', 'endpoint.accessKeyId', 'endpoint.secretAccessKey', 'endpoint.treatAsRealAws']);
  });

  it('Create Service on an account without ECS\'s service-linked role asks first: declined, nothing is created; confirmed, the role and then the service', async () => {
    assert.deepEqual(await linkedRoles(), [], 'a fresh account');
    const slrQuestion = `${t('ECS needs its service-linked role {0} to manage clusters and services, and this account does not have it yet.', 'AWSServiceRoleForECS')} ${t('Create it now?')}`;
    const args = { cluster: CLUSTER, taskDefinition: 'checks-app:1', serviceName: 'checks-svc', desiredCount: 1 };
    asked.length = 0;
    accepts = (m) => m !== slrQuestion;
    const declined = await run<Failure>('ecsHandson.service.create', args);
    assert.ok(isFailure(declined), JSON.stringify(declined));
    assert.equal(declined.code, 'RoleMissing');
    assert.ok(declined.error.startsWith(t('ECS needs its service-linked role {0} to manage clusters and services, and this account does not have it yet.', 'AWSServiceRoleForECS')), declined.error);
    assert.deepEqual(asked.map((a) => a.message), [t('{0} in your AWS account? These resources cost money until you delete them.', t('Create service')), slrQuestion]);
    assert.equal(asked[1].detail, t('Service-linked role {0} for {1}', 'AWSServiceRoleForECS', 'ecs.amazonaws.com'));
    assert.deepEqual(await linkedRoles(), []);
    const none = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['checks-svc'] }))).services ?? [];
    assert.ok(none.every((s) => s.status !== 'ACTIVE'), 'no service created');

    asked.length = 0;
    accepts = () => true;
    const created = await run<{ serviceArn: string } | Failure>('ecsHandson.service.create', args);
    assert.ok(!isFailure(created), JSON.stringify(created));
    assert.equal(asked[1]?.message, slrQuestion);
    assert.equal((await linkedRoles()).length, 1, 'the service-linked role exists');
    const svc = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['checks-svc'] }))).services![0];
    assert.equal(svc.status, 'ACTIVE');
  });

  it('Register Task Definition with secrets and no execution role says so before registering and offers ecsTaskExecutionRole', async () => {
    const secret = `arn:aws:ssm:${REGION}:123456789012:parameter/checks/db-password`;
    const document = {
      family: 'secret-app',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', memory: 256, secrets: [{ name: 'DB_PASSWORD', valueFrom: secret }] }],
    };
    const need = t('container {0} reads secrets from SSM Parameter Store or Secrets Manager ({1})', 'web', secret);
    const purpose = t('This task definition needs a task execution role and names none ({0}): ECS refuses to register it without one.', need);
    const question = `${purpose} ${t('Use {0} as its task execution role?', 'ecsTaskExecutionRole')}`;
    asked.length = 0;
    accepts = () => false;
    const declined = await run<Failure>('ecsHandson.taskDefinition.register', { document });
    assert.ok(isFailure(declined), JSON.stringify(declined));
    assert.equal(declined.code, 'ExecutionRoleMissing');
    assert.ok(declined.error.startsWith(`${purpose} ${t('You declined {0}.', 'ecsTaskExecutionRole')}`), declined.error);
    assert.deepEqual(asked.map((a) => a.message), [question]);
    assert.deepEqual(asked[0].detail.split('\n'), [
      t('IAM role {0} that {1} may assume', 'ecsTaskExecutionRole', 'ecs-tasks.amazonaws.com'),
      t('AWS managed policy {0} attached to role {1}', 'AmazonECSTaskExecutionRolePolicy', 'ecsTaskExecutionRole'),
      t('{0} must also be allowed {1} on {2} (AmazonECSTaskExecutionRolePolicy does not grant it): add an inline policy to the role.', 'ecsTaskExecutionRole', 'ssm:GetParameters', secret),
    ]);
    assert.deepEqual((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'secret-app' }))).taskDefinitionArns ?? [], [], 'nothing registered');
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' })), { name: 'NoSuchEntityException' });

    asked.length = 0;
    accepts = () => true;
    const registered = await run<{ taskDefinitionArn: string } | Failure>('ecsHandson.taskDefinition.register', { document });
    assert.ok(!isFailure(registered), JSON.stringify(registered));
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }))).Role!;
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ecsTaskExecutionRole' }))).AttachedPolicies?.map((p) => p.PolicyName), ['AmazonECSTaskExecutionRolePolicy']);
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: registered.taskDefinitionArn }))).taskDefinition!;
    assert.equal(td.executionRoleArn, role.Arn);
    assert.deepEqual(td.containerDefinitions?.[0].secrets, [{ name: 'DB_PASSWORD', valueFrom: secret }]);
  });

  it('Change Image on a Fargate revision row to an ECR image, and Register New Revision: the execution role question before registering; declined, nothing is registered', async () => {
    // A Fargate task definition of the account, made outside the extension: a Docker Hub image needs no execution role.
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'fargate-app', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
      containerDefinitions: [{ name: 'web', image: 'uzresk/demo:ver1.0', portMappings: [{ containerPort: 8080, hostPort: 8080 }] }],
    }));
    // The account has ecsTaskExecutionRole: the test above made it (run alone, this one makes it first).
    await iam.send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' })).catch(() =>
      iam.send(new CreateRoleCommand({ RoleName: 'ecsTaskExecutionRole', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) })),
    );
    const ecr = `123456789012.dkr.ecr.${REGION}.amazonaws.com/demo:ver2.0`;
    const need = t('container {0} pulls an Amazon ECR image on {1}, which has no container instance role', 'web', 'FARGATE');
    const purpose = t('This task definition needs a task execution role and names none ({0}): ECS refuses to register it without one.', need);
    const question = `${purpose} ${t('Use {0} as its task execution role?', 'ecsTaskExecutionRole')}`;
    const revisions = async () => (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'fargate-app' }))).taskDefinitionArns ?? [];
    // The row the user right-clicks: Task definitions → fargate-app → fargate-app:1.
    const explorer = (await vscode.commands.executeCommand<ExplorerApi>('_ecsHandson.explorer'));
    await explorer.refresh();
    const children = (node?: Parameters<typeof explorer.provider.getChildren>[0]) => explorer.provider.getChildren(node);
    const taskDefinitions = (await children(undefined)).find((n) => n.label === t('Task definitions'));
    assert.ok(taskDefinitions, 'the Task definitions row');
    const family = (await children(taskDefinitions)).find((n) => n.label === 'fargate-app');
    assert.ok(family, 'the fargate-app row');
    const row = (await children(family)).find((n) => n.label === 'fargate-app:1');
    assert.ok(row, 'the fargate-app:1 row');

    asked.length = 0;
    reviewed.length = 0;
    typed = ecr;
    accepts = () => false;
    const declined = await vscode.commands.executeCommand<Failure>('ecsHandson.taskDefinition.changeImage', row);
    assert.ok(isFailure(declined), `${JSON.stringify(declined)}; reviewed: ${JSON.stringify(reviewed)}; errors: ${JSON.stringify(errors)}`);
    assert.equal(declined.code, 'ExecutionRoleMissing');
    assert.ok(declined.error.startsWith(`${purpose} ${t('You declined {0}.', 'ecsTaskExecutionRole')}`), declined.error);
    assert.deepEqual(reviewed.map((r) => r.message), [t('Register a new revision of {0} (from revision {1})?', 'fargate-app', 1)], 'the differences were shown first');
    assert.deepEqual(asked, [{ message: question, detail: t('The existing role {0}', 'ecsTaskExecutionRole') }]);
    assert.equal((await revisions()).length, 1, 'nothing registered');

    asked.length = 0;
    accepts = () => true;
    const registered = await vscode.commands.executeCommand<{ taskDefinitionArn: string; revision: number } | Failure>('ecsHandson.taskDefinition.changeImage', row);
    assert.ok(!isFailure(registered), JSON.stringify(registered));
    assert.equal(registered.revision, 2);
    assert.deepEqual(asked.map((a) => a.message), [question]);
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }))).Role!;
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'fargate-app:2' }))).taskDefinition!;
    assert.equal(td.executionRoleArn, role.Arn);
    assert.equal(td.containerDefinitions?.[0].image, ecr);
    assert.deepEqual(td.requiresCompatibilities, ['FARGATE']);

    // Register New Revision from revision 1 (as the walkthrough calls it): the same question; declined, nothing registered.
    asked.length = 0;
    accepts = () => false;
    const again = await run<Failure>('ecsHandson.taskDefinition.registerRevision', { taskDefinition: 'fargate-app:1', image: ecr });
    assert.ok(isFailure(again), JSON.stringify(again));
    assert.equal(again.code, 'ExecutionRoleMissing');
    assert.deepEqual(asked.map((a) => a.message), [question]);
    assert.equal((await revisions()).length, 2, 'nothing registered');
  });

  it('a custom endpoint whose host does not resolve: the explorer names the host and says what to check', async () => {
    const host = 'ecs-handson-no-such-endpoint.invalid';
    const explorer = (await vscode.commands.executeCommand<ExplorerApi>('_ecsHandson.explorer'));
    await config().update('endpoint.accessKeyId', 'AKIAENDPOINTTEST', G);
    await config().update('endpoint.secretAccessKey', 'endpoint-test-secret', G);
    await config().update('endpoint.url', `http://${host}:4566`, G);
    await config().update('aws.region', REGION, G);
    await config().update('connection', 'endpoint', G);
    const row = await eventually('the explorer\'s error row', async () => {
      await explorer.refresh();
      const nodes = await explorer.provider.getChildren(undefined);
      return nodes.find((n) => String(n.label).includes(host));
    }, 30_000, 500);
    // getaddrinfo answers ENOTFOUND (or EAI_AGAIN where no DNS server answers at all).
    const code = /\((ENOTFOUND|EAI_AGAIN)\)/.exec(String(row.label))?.[1] ?? 'ENOTFOUND';
    assert.equal(row.label, t('Cannot reach {0} ({1}).', host, code));
    assert.equal(row.description, t('The host name {0} does not resolve: check the endpoint URL and your network (DNS).', host));
  });
});
