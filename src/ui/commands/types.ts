import type { Services } from '../services';

/**
 * One command: its id (as in package.json) and what it does. `args` are what VS Code passes: a
 * tree node (`TreeNode` from src/core) from a context menu, explicit arguments from another
 * command or a test, or nothing from the palette (then the command asks).
 */
export interface Command {
  id: string;
  run(services: Services, ...args: unknown[]): unknown;
}
