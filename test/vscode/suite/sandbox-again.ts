/**
 * For the suites that leave the sandbox (moto, other endpoints): clear the settings they set and
 * wait until the extension is connected to its sandbox again, for the suites that follow.
 */
import * as vscode from 'vscode';
import type { UiContext } from '../../../src/ui/ui-context';
import { eventually } from '../../helpers/wait';

export async function backToSandbox(services: UiContext, settings: readonly string[]): Promise<void> {
  const config = vscode.workspace.getConfiguration('ecsHandson');
  for (const k of settings) await config.update(k, undefined, vscode.ConfigurationTarget.Global);
  await eventually('the sandbox connection', async () => {
    await services.connections.clients();
    return services.connections.state.status === 'ready' && services.connections.state.connection.kind === 'sandbox';
  }, 60_000, 500);
}
