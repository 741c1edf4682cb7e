// What every CLI command receives and returns (apart from the command table, which imports the commands).
import type { Settings } from '../config.js';

/** A command used wrongly: its message and exit code 2. Defined here, not with the failure report, which loads every module that can fail. */
export class UsageError extends Error {}

export interface CommandContext {
  settings: Settings;
  args: string[];
  options: { json?: boolean; batch?: string; k?: string; rebuild?: boolean; verify?: boolean; guild?: string };
  out: (line: string) => void;
}

export type Command = (ctx: CommandContext) => Promise<number>;
