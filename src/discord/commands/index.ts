// Every slash command, in the order /help lists them.
import { add } from './add.js';
import { article } from './article.js';
import { ask } from './ask.js';
import type { SlashCommand } from './command.js';
import { help } from './help.js';
import { reindex } from './reindex.js';
import { search } from './search.js';
import { sources } from './sources.js';
import { stats } from './stats.js';

export type { SlashCommand } from './command.js';

export const COMMANDS: SlashCommand[] = [ask, search, sources, article, stats, help, reindex, add];

export function commandDefinitions() {
  return COMMANDS.map((c) => c.data.toJSON());
}
