// The bot through the fake Discord on loopback: start-to-ready of a real bot
// process (`akhbar bot`) on a built index, and /ask latency from the moment the
// interaction is dispatched to the answer edited in, with N users at once.
import { emptyCorpus } from './corpus.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { startBot } from '../../src/discord/index.js';
import { createLogger } from '../../src/logger.js';
import { FakeDiscord, type RestCall } from '../../test/support/fake-discord.js';
import { ROOT } from './corpus.js';

const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');

/** Milliseconds from spawning `akhbar bot` to its ready line. */
export const botStartToReady = (indexDir: string) => timeToReadyLine([path.join(ROOT, 'bin/akhbar.js'), 'bot'], indexDir, /akhbar ready/);

/** The same for its floor: see bot-floor.mjs. */
export const botFloor = (indexDir: string) => timeToReadyLine([path.join(ROOT, 'scripts/bench/bot-floor.mjs'), indexDir], indexDir, /floor ready/);

/** Milliseconds from spawning `args` against a fake Discord to a line matching `ready` on its stderr. */
async function timeToReadyLine(args: string[], indexDir: string, ready: RegExp): Promise<number> {
  const discord = await FakeDiscord.start();
  try {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, INDEX_DIR: indexDir, CORPUS_DIR: emptyCorpus(indexDir), DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.api, DISCORD_GUILD_ID: '', LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const ms = await new Promise<number>((resolve, reject) => {
      child.stderr!.on('data', (d) => {
        err += d;
        if (ready.test(err)) resolve(performance.now() - started);
      });
      child.on('exit', (code) => reject(new Error(`${path.basename(args[0]!)} exited (${code}) before ready:\n${err}`)));
    });
    child.kill();
    await new Promise((r) => child.once('exit', r));
    return ms;
  } finally {
    await discord.close();
  }
}

export interface ConcurrencyResult {
  users: number;
  latencies: number[];
  sent: number;
  answered: number;
}

/** /ask from `users` distinct users at once, `rounds` times, against an in-process bot on `indexDir`. */
export async function askUnderLoad(indexDir: string, questions: string[], plan: Array<{ users: number; rounds: number }>): Promise<ConcurrencyResult[]> {
  const discord = await FakeDiscord.start();
  const settings = loadSettings({ ...process.env, INDEX_DIR: indexDir, CORPUS_DIR: emptyCorpus(indexDir), DISCORD_TOKEN: discord.token, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local', LOG_LEVEL: 'silent' });
  const engine = await Akhbar.open(settings);
  // @discordjs/rest throttles itself to 50 requests/s (NOTES); a real bot gets Discord's per-route limits instead.
  const bot = await startBot({ settings, engine, apiUrl: discord.api, logger: createLogger('silent'), rest: { globalRequestsPerSecond: 10_000 } });
  let user = 0n;
  let q = 0;
  const results: ConcurrencyResult[] = [];
  try {
    for (const { users, rounds } of plan) {
      const result: ConcurrencyResult = { users, latencies: [], sent: 0, answered: 0 };
      for (let r = 0; r < rounds; r++) {
        const round = Array.from({ length: users }, () => {
          const t = performance.now();
          const ex = discord.command('ask', [{ name: 'question', value: questions[q++ % questions.length]! }], { id: String(900000000000000000n + ++user) });
          result.sent++;
          return ex.waitFor(isEdit, 120_000).then(
            () => {
              result.answered++;
              result.latencies.push(performance.now() - t);
            },
            () => undefined,
          );
        });
        await Promise.all(round);
      }
      results.push(result);
    }
  } finally {
    await bot.stop();
    await discord.close();
  }
  return results;
}
