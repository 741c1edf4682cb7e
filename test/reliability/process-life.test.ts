// The bot and the CLI as processes an operator runs: a closed stderr or stdout,
// stop signals at each phase of start-up, a start that fails while the login is
// in flight. Real `akhbar` child processes, the real discord.js client against
// the fake Discord (or a Discord that never answers), real index files.
import { spawn } from 'node:child_process';
import { truncateSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCliAsync, scratchCorpus } from '../support/cli.js';
import { FakeDiscord, type RestCall } from '../support/fake-discord.js';
import { spawnCli, type Child } from '../support/process.js';

const NO_STACK = /\n\s+at /;
const children: Child[] = [];
const start = (args: string[], env: Record<string, string>) => {
  const child = spawnCli(args, env);
  children.push(child);
  return child;
};
afterEach(() => {
  for (const child of children.splice(0)) child.killGroup();
});

const scratch = scratchCorpus();
const dirs = { CORPUS_DIR: scratch.corpus, INDEX_DIR: scratch.index, CORPUS_WATCH: 'false' };
let discord: FakeDiscord;

/** A Discord API that takes requests and never answers: the login stays in flight. */
async function silentDiscord(): Promise<{ api: string; requested: Promise<void>; close(): void }> {
  let requested!: () => void;
  const arrived = new Promise<void>((resolve) => (requested = resolve));
  const server: Server = createServer(() => requested());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    requested: arrived,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

beforeAll(async () => {
  discord = await FakeDiscord.start();
  const built = await runCliAsync(['index'], dirs);
  expect(built.code, built.stderr).toBe(0);
});
afterAll(() => discord?.close());

const ask = (question: string, id: string) =>
  discord.command('ask', [{ name: 'question', value: question }], { id }).waitFor((c) => c.method === 'PATCH', 20_000);

describe('the bot process', () => {
  it('keeps answering after the reader of its stderr goes away, and stops on SIGTERM', async () => {
    const bot = start(['bot'], { ...dirs, DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.api, LOG_LEVEL: 'debug', SHUTDOWN_TIMEOUT_MS: '10000' });
    await bot.waitForStderr(/akhbar ready as/, 60_000);
    // As when `npm start | tee log` dies: every later log line (one per answer at debug) fails with EPIPE.
    bot.process.stderr!.destroy();
    for (const [i, question] of ['How many jobs will Inetum create by 2027?', "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?", 'Who is Thales?'].entries()) {
      expect((await ask(question, `40000000000000000${i}`)).body.content).toBeTruthy();
    }
    bot.process.kill('SIGTERM');
    // 0 means it stopped by itself; past SHUTDOWN_TIMEOUT_MS it would exit 1, and a spinning process not at all.
    expect(await bot.exited).toBe(0);
  }, 90_000);

  it('stops cleanly on SIGTERM while the login is still in flight', async () => {
    const silent = await silentDiscord();
    try {
      const bot = start(['bot'], { ...dirs, DISCORD_TOKEN: 'any-token', DISCORD_API_URL: silent.api });
      await silent.requested;
      bot.process.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.stderr()).toMatch(/SIGTERM: stopped before ready/);
      expect(bot.stderr()).not.toMatch(NO_STACK);
    } finally {
      silent.close();
    }
  }, 60_000);

  it('`npm start` signalled by a supervisor: the bot itself gets the signal and nothing is left running', async () => {
    const silent = await silentDiscord();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, ...dirs, DISCORD_TOKEN: 'any-token', DISCORD_API_URL: silent.api, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' },
    });
    let err = '';
    npm.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number>((resolve) => npm.on('close', (code) => resolve(code ?? -1)));
    const groupAlive = () => {
      try {
        process.kill(-npm.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    children.push({ process: npm, exited, stdout: () => '', stderr: () => err, killGroup: () => groupAlive() && process.kill(-npm.pid!, 'SIGKILL'), waitForStderr: () => Promise.reject(new Error('not used')) });
    try {
      await silent.requested;
      npm.kill('SIGTERM');
      await exited;
      // Before, npm's shell died and left the bot running, orphaned, with its login pending.
      await expect.poll(groupAlive, { timeout: 20_000 }).toBe(false);
      expect(err).toMatch(/SIGTERM: stopped before ready/);
    } finally {
      silent.close();
    }
  }, 60_000);

  it('exits non-zero with one clear line when the index fails to open while the login is in flight', async () => {
    const damaged = scratchCorpus();
    const built = await runCliAsync(['index'], { CORPUS_DIR: damaged.corpus, INDEX_DIR: damaged.index });
    expect(built.code, built.stderr).toBe(0);
    const generation = path.join(damaged.index, readFileSync(path.join(damaged.index, 'CURRENT'), 'utf8').trim());
    truncateSync(path.join(generation, 'vectors.hnsw'), 100);
    const silent = await silentDiscord();
    try {
      const bot = start(['bot'], { CORPUS_DIR: damaged.corpus, INDEX_DIR: damaged.index, CORPUS_WATCH: 'false', DISCORD_TOKEN: 'any-token', DISCORD_API_URL: silent.api });
      // Before, the error was printed and the process stayed up with its login pending, forever.
      expect(await bot.exited).toBe(1);
      expect(bot.stderr().trim().split('\n')).toEqual([expect.stringMatching(/damaged or incomplete.*--rebuild/)]);
    } finally {
      silent.close();
    }
  }, 60_000);

  it('says in one line that Discord cannot be reached, instead of an unhandled rejection', async () => {
    // A port nothing listens on: connections are refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const bot = start(['bot'], { ...dirs, DISCORD_TOKEN: 'any-token', DISCORD_API_URL: `http://127.0.0.1:${port}/api` });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^Cannot reach Discord \(ECONNREFUSED\): check the network connection and DISCORD_API_URL\.$/)]);
  }, 60_000);

  it('says the token was rejected, in one line, on the production (sharded) start too', async () => {
    const bot = start(['bot'], { ...dirs, NODE_ENV: 'production', DISCORD_TOKEN: 'not-the-right-token', DISCORD_API_URL: discord.api });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr().trim()).toMatch(/^Discord rejected DISCORD_TOKEN: check the bot token in \.env/);
    expect(bot.stderr()).not.toMatch(/Unexpected error|401/);
  }, 60_000);
});

describe('stop signals', () => {
  /** A process that claims a graceful stop that never finishes, as a bot stuck closing would. */
  function stuckStopper(deadlineMs: number) {
    const script = `
      import { handleStopSignals, claimGracefulStop } from './src/cli/shutdown.ts';
      handleStopSignals();
      claimGracefulStop(${deadlineMs}).then((signal) => console.log('stopping on ' + signal));
      setInterval(() => undefined, 1_000);
      console.log('ready');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, detached: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    children.push({ process: child, exited, stdout: () => out, stderr: () => err, killGroup, waitForStderr: () => Promise.reject(new Error('not used')) });
    const printed = (text: string) => new Promise<void>((resolve) => {
      const check = () => out.includes(text) && resolve();
      child.stdout.on('data', check);
      check();
    });
    return { child, exited, printed, stderr: () => err };
  }

  it('a second signal exits at once, without waiting for the stop', async () => {
    const p = stuckStopper(600_000);
    await p.printed('ready');
    p.child.kill('SIGTERM');
    await p.printed('stopping on SIGTERM');
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(130);
    expect(p.stderr()).toMatch(/SIGINT again: exiting without waiting/);
  });

  it('a stop that outlives SHUTDOWN_TIMEOUT_MS ends the process with one line and exit code 1', async () => {
    const p = stuckStopper(300);
    await p.printed('ready');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/^SIGTERM: the stop did not finish within 300 ms \(SHUTDOWN_TIMEOUT_MS\); exiting anyway\n$/);
  });
});

describe('stopping with answers in flight', () => {
  const isCallback = (c: RestCall) => /^\/interactions\/\d+\/[^/]+\/callback$/.test(c.path);
  const question = [{ name: 'question', value: "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?" }];
  const startBot = async (shutdownMs: string) => {
    const bot = start(['bot'], { ...dirs, DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.api, SHUTDOWN_TIMEOUT_MS: shutdownMs });
    await bot.waitForStderr(/akhbar ready as/, 60_000);
    return bot;
  };

  it('on SIGTERM, takes no new work, finishes the answer in flight, then closes the gateway and exits 0', async () => {
    const bot = await startBot('30000');
    // The answer is in flight: Discord has not yet taken the bot's deferral.
    const release = discord.holdNext('POST', /\/callback$/);
    const answering = discord.command('ask', question, { id: '410000000000000001' });
    await answering.waitFor(isCallback);
    bot.process.kill('SIGTERM');
    await bot.waitForStderr(/stopping: finishing 1 answer\(s\) in flight first/);
    const late = discord.command('ask', question, { id: '410000000000000002' });
    const connections = discord.connections;
    release();
    const answer = await answering.waitFor((c) => c.method === 'PATCH', 20_000);
    expect(answer.body.content).toMatch(/1 500/);
    // The answer went out over a gateway session still open: it is closed after the answers, not before.
    expect(discord.connections).toBe(connections);
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).toMatch(/SIGTERM: disconnected/);
    // Arrived after the stop began: not taken, only told why.
    expect(late.calls.map((c) => c.body)).toEqual([{ type: 4, data: expect.objectContaining({ content: expect.stringMatching(/^Je redémarre/), flags: 64 }) }]);
  }, 90_000);

  it('abandons an answer still in flight when its share of SHUTDOWN_TIMEOUT_MS is spent, and still stops cleanly', async () => {
    const bot = await startBot('4000');
    discord.holdNext('POST', /\/callback$/); // never released
    await discord.command('ask', question, { id: '410000000000000003' }).waitFor(isCallback);
    bot.process.kill('SIGTERM');
    // 0: it closed the gateway and the store by itself; past the deadline it would exit 1.
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).toMatch(/stopping: 1 answer\(s\) still in flight after 2000 ms are abandoned/);
  }, 90_000);
});

describe('the CLI with its output closed', () => {
  it('`akhbar sources | head -c1`: exits 0, quietly, when the reader of stdout is gone', async () => {
    const sources = start(['sources'], dirs);
    // The reader closes before the first line is written: every write to stdout fails with EPIPE.
    sources.process.stdout!.destroy();
    expect(await sources.exited).toBe(0);
    expect(sources.stderr()).toBe('');
  });
});
