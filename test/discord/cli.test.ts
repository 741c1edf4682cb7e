// `akhbar bot`, `deploy-commands` and `feedback` as separate processes, the bot
// redirected to a fake Discord with DISCORD_API_URL.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchCorpus } from '../support/cli.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { spawnCli } from '../support/process.js';

let discord: FakeDiscord;
const scratch = scratchCorpus();
let env: Record<string, string>;

beforeAll(async () => {
  discord = await FakeDiscord.start();
  env = { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.api, DISCORD_CLIENT_ID: discord.ids.app, CORPUS_DIR: scratch.corpus, INDEX_DIR: scratch.index };
});
afterAll(() => discord?.close());

describe('akhbar bot', () => {
  it('builds the missing index, connects, logs one ready line, answers, and stops cleanly on SIGTERM', async () => {
    const bot = spawnCli(['bot'], env);
    const ready = await bot.waitForStderr(/ready as akhbar: .*/);
    expect(ready).toMatch(/5 articles, \d+ chunks, embedder local:\S+ .*answers extractive/);
    const ex = discord.command('ask', [{ name: 'question', value: 'How many jobs will Inetum create by 2027?' }]);
    const edit = await ex.waitFor((c) => c.method === 'PATCH');
    expect(edit.body.content).toMatch(/1 500 emplois/);
    bot.process.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('stops with one clear line pointing at .env.example when the token is missing', async () => {
    const bot = spawnCli(['bot'], { ...env, DISCORD_TOKEN: '' });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(/DISCORD_TOKEN is not set.*\.env\.example/);
    expect(bot.stderr()).not.toMatch(/\n\s+at /);
  });

  it('stops with one clear line when Discord rejects the token', async () => {
    const bot = spawnCli(['bot'], { ...env, DISCORD_TOKEN: 'not-the-right-token' });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(/Discord rejected DISCORD_TOKEN.*\.env\.example/);
    expect(bot.stderr()).not.toMatch(/\n\s+at /);
  });

  it('runs slash-only with one warning line naming the portal switch when Discord refuses the Message Content intent', async () => {
    const strict = await FakeDiscord.start({ messageContentAllowed: false });
    const bot = spawnCli(['bot'], { ...env, DISCORD_TOKEN: strict.token, DISCORD_API_URL: strict.api });
    try {
      await bot.waitForStderr(/akhbar ready as/, 60_000);
      const warnings = bot.stderr().split('\n').filter((l) => / WARN /.test(l));
      expect(warnings).toEqual([expect.stringMatching(/Message Content intent.*Message Content Intent in the Developer Portal/)]);
      const ex = strict.command('ask', [{ name: 'question', value: 'How many jobs will Inetum create by 2027?' }]);
      expect((await ex.waitFor((c) => c.method === 'PATCH', 20_000)).body.content).toMatch(/1 500/);
      bot.process.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      bot.killGroup();
      await strict.close();
    }
  });
});

describe('akhbar deploy-commands', () => {
  it('registers the commands in one server with --guild', async () => {
    const run = spawnCli(['deploy-commands', '--guild', '777777777777777777'], env);
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/Registered 8 slash commands in server 777777777777777777/);
    const put = discord.calls.find((c) => c.method === 'PUT' && c.path.includes('/guilds/777777777777777777/'));
    expect(put?.path).toBe(`/applications/${discord.ids.app}/guilds/777777777777777777/commands`);
    expect(put?.body).toHaveLength(8); // with /add (re-indexing issue)
  });

  it('registers them globally without --guild', async () => {
    const run = spawnCli(['deploy-commands'], env);
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/global/);
    expect(discord.calls.some((c) => c.method === 'PUT' && c.path === `/applications/${discord.ids.app}/commands`)).toBe(true);
  });
});

describe('akhbar feedback', () => {
  it('summarises votes (a changed vote counts once) and lists recent 👎 questions', async () => {
    const file = path.join(scratch.dir, 'votes.jsonl');
    const vote = (user: string, messageId: string, v: string, question: string, time: string) =>
      JSON.stringify({ time, vote: v, messageId, user, question, answer: 'a', citations: [] });
    writeFileSync(
      file,
      [
        vote('u1', 'm1', 'up', 'Q1', '2026-01-01T10:00:00Z'),
        vote('u2', 'm1', 'down', 'Q1', '2026-01-01T10:01:00Z'),
        vote('u2', 'm1', 'up', 'Q1', '2026-01-01T10:02:00Z'),
        vote('u1', 'm2', 'down', 'Where is Zorglub?', '2026-01-01T10:03:00Z'),
        'not json',
      ].join('\n'),
    );
    const json = spawnCli(['feedback', '--json'], { FEEDBACK_FILE: file });
    expect(await json.exited).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ up: 2, down: 1, recentDown: [{ question: 'Where is Zorglub?' }], unreadableLines: 1 });
    const text = spawnCli(['feedback'], { FEEDBACK_FILE: file });
    expect(await text.exited).toBe(0);
    expect(text.stdout()).toMatch(/👍 2 {2}👎 1[\s\S]*Recent 👎 questions:\n.*Where is Zorglub\?/);
  });
});
