/**
 * The IAM roles a create command needs, through src/aws/iam-roles.ts `ensureRole`: checked first,
 * created when missing — asked first on real AWS (the confirmation rule: `CommandContext.confirm`),
 * at once on the sandbox — or explained exactly when the user declines or IAM refuses.
 */
import type * as vscode from 'vscode';
import type { AwsClients, EnsureRoleResult, RoleRequirement } from '../../../aws';
import { Cancelled } from '../../../core/commands/failure';
import { loadAws } from '../../aws-loader';
import { t } from '../../l10n';
import type { CommandContext } from '../command';

export async function ensureRoleFor(
  ctx: CommandContext,
  clients: AwsClients,
  req: RoleRequirement,
  purpose: string,
  progress?: vscode.Progress<{ message?: string }>,
): Promise<EnsureRoleResult> {
  const result = await loadAws().ensureRole(
    clients.iam,
    req,
    purpose,
    {
      approve: async (message, detail, button) => {
        try {
          await ctx.confirm({ kind: 'aws', message, detail, button });
          return true;
        } catch (e) {
          if (e instanceof Cancelled) return false;
          throw e;
        }
      },
      progress: (message) => progress?.report({ message }),
      log: (message) => ctx.services.log.info(message),
    },
    t,
  );
  if (result.created.length > 0) ctx.tell(t('Created in IAM: {0}.', result.created.join('; ')));
  return result;
}
