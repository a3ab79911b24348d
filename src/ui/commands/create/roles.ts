/**
 * The IAM roles a create command needs, through src/aws/iam-roles.ts `ensureRole`: checked first,
 * created when missing — asked first on real AWS (the confirmation rule: `CommandContext.confirm`),
 * at once on the sandbox — or explained exactly when the user declines or IAM refuses.
 */
import type * as vscode from 'vscode';
import type { AwsClients, EnsureRoleResult, RoleRequirement } from '../../../aws';
import { Cancelled } from '../../../core/commands/failure';
import { executionRoleNeeds, extraActions, type ExecutionRoleNeed } from '../../../core/execution-role';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { CommandContext } from '../command';

/** The host `ensureRole` / `provideExecutionRole` ask: `ctx.confirm` (asks on real AWS, yes at once on the sandbox). */
function roleHost(ctx: CommandContext, progress?: vscode.Progress<{ message?: string }>) {
  return {
    approve: async (message: string, detail: string[], button: string) => {
      try {
        await ctx.confirm({ kind: 'aws', message, detail, button });
        return true;
      } catch (e) {
        if (e instanceof Cancelled) return false;
        throw e;
      }
    },
    progress: (message: string) => progress?.report({ message }),
    log: (message: string) => ctx.services.log.info(message),
  };
}

export async function ensureRoleFor(
  ctx: CommandContext,
  clients: AwsClients,
  req: RoleRequirement,
  purpose: string,
  progress?: vscode.Progress<{ message?: string }>,
): Promise<EnsureRoleResult> {
  const result = await loadAws().ensureRole(clients.iam, req, purpose, roleHost(ctx, progress), t);
  if (result.created.length > 0) ctx.tell(t('Created in IAM: {0}.', result.created.join('; ')));
  return result;
}

/** Why the task definition needs an execution role, as a person reads it. */
function needText(n: ExecutionRoleNeed): string {
  switch (n.kind) {
    case 'secrets':
      return t('container {0} reads secrets from SSM Parameter Store or Secrets Manager ({1})', n.container, n.resources.join(', '));
    case 'repositoryCredentials':
      return t('container {0} pulls from a private registry with the credentials in {1}', n.container, n.resources.join(', '));
    case 'environmentFiles':
      return t('container {0} loads environment files from Amazon S3 ({1})', n.container, n.resources.join(', '));
    case 'ecrImage':
      return t('container {0} pulls an Amazon ECR image on {1}, which has no container instance role', n.container, n.launchType ?? '');
    case 'awslogs':
      return t('container {0} sends its logs to CloudWatch Logs (awslogs) on {1}, which has no container instance role', n.container, n.launchType ?? '');
  }
}

/**
 * A task definition that needs a task execution role (secrets, a private registry's credentials,
 * environment files; ECR images and awslogs on Fargate) and names none: ECS would refuse it. Says so
 * before registering and offers ecsTaskExecutionRole (created with AmazonECSTaskExecutionRolePolicy
 * when missing), as the console does; on yes, `input.executionRoleArn` is set. What the role must
 * read beyond that managed policy (the secrets themselves) is said in the question and after.
 */
async function provideExecutionRoleFor(ctx: CommandContext, clients: AwsClients, input: { executionRoleArn?: string }, progress?: vscode.Progress<{ message?: string }>): Promise<void> {
  const needs = executionRoleNeeds(input);
  if (needs.length === 0) return;
  const aws = loadAws();
  const role = aws.ECS_TASK_EXECUTION_ROLE.roleName;
  const purpose = t('This task definition needs a task execution role and names none ({0}): ECS refuses to register it without one.', needs.map(needText).join('; '));
  const extra = needs.filter((n) => extraActions(n).length > 0);
  const more = extra.map((n) => t('{0} must also be allowed {1} on {2} (AmazonECSTaskExecutionRolePolicy does not grant it): add an inline policy to the role.', role, extraActions(n).join(', '), n.resources.join(', ')));
  const out = await aws.provideExecutionRole(clients.iam, purpose, more, roleHost(ctx, progress), t);
  input.executionRoleArn = out.roleArn;
  ctx.services.log.info(`Task execution role ${out.roleArn} set on the task definition (${needs.map((n) => n.kind).join(', ')}).`);
  if (out.created.length > 0) ctx.tell(t('Created in IAM: {0}.', out.created.join('; ')));
  if (more.length > 0) ctx.tell(more.join(' '));
}

/**
 * Before a task definition is registered (Register Task Definition, Register New Revision, Change
 * Image): the execution role it names must exist — ECS registers it without one, and its tasks then
 * fail to start — so it is checked (and offered for creation); one it needs and does not name is
 * offered as ecsTaskExecutionRole (`provideExecutionRoleFor`, which sets `input.executionRoleArn`).
 * Asks on real AWS, goes on at once on the sandbox; declined, it throws and nothing is registered.
 */
export async function checkExecutionRoleFor(ctx: CommandContext, clients: AwsClients, input: { executionRoleArn?: string }, progress?: vscode.Progress<{ message?: string }>): Promise<void> {
  const named = input.executionRoleArn ? loadAws().taskExecutionRole(input.executionRoleArn) : undefined;
  if (named) {
    const purpose = t('The task definition names the task execution role {0}, which this account does not have: ECS could not start its tasks.', named.roleName);
    await ensureRoleFor(ctx, clients, named, purpose, progress);
  } else {
    await provideExecutionRoleFor(ctx, clients, input, progress);
  }
}
