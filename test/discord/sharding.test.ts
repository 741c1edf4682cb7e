// Two bot processes' worth of shards against one fake Discord: every guild's
// questions reach exactly one shard, and each shard answers its own.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import { FakeDiscord } from '../support/fake-discord.js';

let discord: FakeDiscord;
const shards: BotUnderTest[] = [];

beforeAll(async () => {
  discord = await FakeDiscord.start({ guildCount: 4 });
  const first = await startBotUnderTest({}, { discord, start: { sharding: { shards: [0], shardCount: 2 } } });
  shards.push(first, await startBotUnderTest({}, { discord, scratch: first.scratch, start: { sharding: { shards: [1], shardCount: 2 } } }));
});
afterAll(async () => {
  for (const s of shards) await s.stop();
  await discord?.close();
});

it('answers each guild once, from the shard that owns it', async () => {
  for (const [guild] of discord.guilds.entries()) {
    const ex = discord.command('ask', [{ name: 'question', value: 'Who is the CEO of Thales Holding Maroc?' }], { guild, id: `50000000000000000${guild}` });
    expect((await ex.waitFor((c) => c.method === 'PATCH')).body.content).toMatch(/Hicham Alj/);
    await new Promise((r) => setTimeout(r, 50));
    expect(ex.calls.filter((c) => c.path.endsWith('/callback'))).toHaveLength(1);
  }
  const answered = shards.map((s) => s.bot.context.counters.questionsAnswered);
  expect(answered.reduce((a, b) => a + b)).toBe(4);
  expect(answered.every((n) => n > 0)).toBe(true);
});
