// What every CLI command receives and returns (apart from the command table, which imports the commands).
import type { Settings } from '../config.js';

export interface CommandContext {
  settings: Settings;
  args: string[];
  options: { json?: boolean; batch?: string; k?: string; rebuild?: boolean; guild?: string };
  out: (line: string) => void;
}

export type Command = (ctx: CommandContext) => Promise<number>;
