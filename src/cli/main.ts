#!/usr/bin/env node
// The `akhbar` command line: every core feature from a terminal.
import { handleStopSignals } from './shutdown.js';
import { guardStdStreams, writeStderr, writeStdout } from '../std-streams.js';
import { config as loadDotenv } from 'dotenv';
import { parseArgs } from 'node:util';
import type { Settings } from '../config.js';
import { UsageError, type CommandContext } from './command.js';

// First, before anything slow loads: a signal during start-up is handled, and a closed stdout or stderr never crashes us.
handleStopSignals();
guardStdStreams();

const USAGE = `Usage: akhbar <command> [options]

Commands:
  index                 build or update the index from the corpus (--rebuild to start over,
                        --verify to check every index file against its checksum)
  ask "question"        answer a question with cited sources (--batch FILE.jsonl)
  search "query"        show the best passages (-k N, --batch FILE.jsonl)
  sources               list the indexed articles
  add <file|url>…       add articles (.txt/.md/.html files or web pages) and index them
  feeds add <url>       follow an RSS or Atom feed (FEEDS_FILE, default data/feeds.json)
  feeds list | sync     list followed feeds | add their new items and index them
  eval FILE.jsonl       retrieval and answer figures on an evaluation set
  migrate               create or upgrade the shared Postgres tables (VECTOR_STORE=pgvector)
  bot                   run the Discord bot (npm start)
  deploy-commands       register the slash commands (--guild ID: one server, instant)
  feedback              summary of the 👍/👎 votes on the bot's answers
  help                  show this help

Options:
  --corpus DIR   corpus folder (CORPUS_DIR, default corpus)
  --index DIR    index folder (INDEX_DIR, default data/index)
  --json         machine-readable output
`;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      json: { type: 'boolean', default: false },
      batch: { type: 'string' },
      k: { type: 'string', short: 'k' },
      rebuild: { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      guild: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

export async function main(argv: string[]): Promise<number> {
  loadDotenv({ quiet: true });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    writeStderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [name, ...rest] = parsed.positionals;
  if (!name || name === 'help' || parsed.values.help) {
    writeStdout(USAGE);
    return name || parsed.values.help ? 0 : 2;
  }
  // Loaded after the help check: `akhbar help` stays instant, and each command loads only what it needs.
  // `index` skips the command table, whose answering and Discord modules would dominate a no-op re-index.
  const [command, { loadSettings }] = await Promise.all([
    name === 'index' ? import('./index-command.js').then((m) => m.indexCommand) : import('./commands.js').then((m) => m.COMMANDS[name]),
    import('../config.js'),
  ]);
  if (!command) {
    writeStderr(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  try {
    const env = { ...process.env };
    if (parsed.values.corpus) env.CORPUS_DIR = parsed.values.corpus;
    if (parsed.values.index) env.INDEX_DIR = parsed.values.index;
    const settings: Settings = loadSettings(env);
    const ctx: CommandContext = { settings, args: rest, options: parsed.values, out: (s) => writeStdout(`${s}\n`) };
    return await command(ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      writeStderr(`${error.message}\n`);
      return 2;
    }
    return (await import('./errors.js')).reportFailure(error);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error) => {
    process.exitCode = (await import('./errors.js')).reportFailure(error);
  },
);
