/**
 * The AWS CLI behind every click, on the VS Code side: each command's run is recorded (the SDK
 * calls it sent, src/aws/cli-record.ts) and kept as the last action's AWS CLI text; a reporting
 * host (the walkthrough) gets it in its `HostReport`. Copying and running the text in a terminal
 * are here too, for the command and the walkthrough alike.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadAws } from '../aws-loader';
import { t } from '../l10n';
import type { UiContext } from '../ui-context';

/** The AWS CLI text of one action. */
export interface CliAction {
  /** The action ("Create load balancer"). */
  title: string;
  /** The commands, one per line (a long one continued with ` \`), IDs in shell variables. */
  script: string;
  /** How many commands. */
  count: number;
  /** Whether a command changes something (not only reads). */
  changes: boolean;
  /** Epoch ms when the action ended. */
  at: number;
}

/** The last action that sent AWS calls, per window (the "Show AWS CLI for Last Action" command). */
let last: CliAction | undefined;

export const lastCliAction = (): CliAction | undefined => last;

/**
 * Runs `work` (a command's run) with its SDK calls recorded; afterwards (also when it failed) the
 * calls become the last action's AWS CLI text, handed to `keep` too (a reporting host).
 */
export async function recorded<R>(services: UiContext, title: string, work: () => Promise<R>, keep?: (action: CliAction) => void): Promise<R> {
  const aws = loadAws();
  // Inside a walkthrough action's recording, the command's calls belong to it too.
  const recording = new aws.CallRecording(undefined, aws.currentRecording());
  try {
    return await aws.recordCalls(recording, work);
  } finally {
    const state = services.connections.state;
    if (recording.calls.length > 0 && state.status === 'ready') {
      try {
        const commands = aws.cliCommands(recording.calls, aws.cliTarget(state.resolved));
        if (commands.length > 0) {
          const action: CliAction = {
            title,
            script: commands.join('\n'),
            count: commands.length,
            changes: recording.calls.some((c) => !c.error && !aws.isReadOperation(c.operation)),
            at: Date.now(),
          };
          last = action;
          keep?.(action);
        }
      } catch (e) {
        // The AWS CLI text is a view of what was sent: it never fails the command.
        services.log.warn(`AWS CLI text of ${title}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

/** The text for a person: what it is, then the commands. */
export function cliDocument(action: CliAction): string {
  return `# ${t('AWS CLI equivalent of "{0}" ({1} commands)', action.title, action.count)}\n${action.script}\n`;
}

/** The terminal the commands run in (one, reused while it is open), and the credentials file it was given. */
let terminal: { term: vscode.Terminal; credentials?: string } | undefined;

/**
 * The sandbox's keys as the profile `ecs-handson-sandbox`, in a file of the extension's own: the
 * terminal's AWS_SHARED_CREDENTIALS_FILE. The sandbox writes the same profile into ~/.aws, but
 * another sandbox started since (another window's state, a test) may have replaced it there; the
 * terminal of this window always reaches this window's sandbox.
 */
function sandboxCredentialsFile(services: UiContext): string | undefined {
  const state = services.connections.state;
  if (state.status !== 'ready' || state.connection.kind !== 'sandbox') return undefined;
  const { accessKeyId, secretAccessKey } = state.connection.credentials;
  const dir = path.join(services.context.globalStorageUri.fsPath, 'aws-cli');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'credentials');
  fs.writeFileSync(file, `[${loadAws().SANDBOX_CLI_PROFILE}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`, { mode: 0o600 });
  return file;
}

/** Runs the commands in a terminal ("AWS CLI"), shown; on the sandbox, with its keys (above). */
export function runInTerminal(services: UiContext, script: string): vscode.Terminal {
  const credentials = sandboxCredentialsFile(services);
  if (!terminal || terminal.credentials !== credentials || terminal.term.exitStatus !== undefined || !vscode.window.terminals.includes(terminal.term)) {
    terminal?.term.dispose();
    const term = vscode.window.createTerminal({ name: t('AWS CLI'), ...(credentials ? { env: { AWS_SHARED_CREDENTIALS_FILE: credentials } } : {}) });
    terminal = { term, credentials };
  }
  terminal.term.show();
  terminal.term.sendText(script, true);
  return terminal.term;
}
