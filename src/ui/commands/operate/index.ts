import type { Command } from '../types';

/** Commands that operate on what exists (update, deploy, stop, inspect, scale, load test, clean up). */
export const operateCommands: Command[] = [];
