// `akhbar bot` under discord.js's ShardingManager: two shard processes against
// the fake Discord, both answering /ask from one shared Postgres store.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, runCli, scratchCorpus } from '../support/cli.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { startTestDatabase, type TestDatabase } from '../support/pglite.js';
import { spawnCli, type Child } from '../support/process.js';

let database: TestDatabase;
let discord: FakeDiscord;
let manager: Child;
const seeds = scratchCorpus();
const store = () => ({ VECTOR_STORE: 'pgvector', DATABASE_URL: database.url });

beforeAll(async () => {
  database = await startTestDatabase();
  discord = await FakeDiscord.start({ guildCount: 4, recommendedShards: 2 });
  expect(runCli(['index', '--corpus', seeds.corpus, '--index', seeds.index], store()).code).toBe(0);
  manager = spawnCli(['bot', '--corpus', seeds.corpus, '--index', seeds.index], {
    ...store(),
    SHARD_COUNT: 'auto',
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.api,
  });
  await manager.waitForStderr(/2 shards ready/, 90_000);
}, 120_000);

afterAll(async () => {
  manager?.process.kill('SIGTERM');
  await manager?.exited;
  await discord?.close();
  await database?.stop();
});

async function askEveryGuild(question: string, expected: RegExp, round: number): Promise<void> {
  for (const [guild] of discord.guilds.entries()) {
    const ex = discord.command('ask', [{ name: 'question', value: question }], { guild, id: `6000000000000000${round}${guild}` });
    expect((await ex.waitFor((c) => c.method === 'PATCH', 20_000)).body.content).toMatch(expected);
  }
}

it('runs the recommended two shards, and each answers /ask in its own guilds', async () => {
  expect(discord.identifies).toBe(2);
  await askEveryGuild('How many jobs will Inetum create by 2027?', /1 500/, 1);
});

it('answers on every shard about an article another replica just added', async () => {
  const other = scratchCorpus();
  rmSync(other.corpus, { recursive: true });
  mkdirSync(other.corpus);
  copyFileSync(path.join(ROOT, 'eval/articles-dev/013-huawei-veut-lancer-5g-maroc.md'), path.join(other.corpus, '013-huawei.md'));
  expect(runCli(['index', '--corpus', other.corpus, '--index', other.index], store()).code).toBe(0);
  await askEveryGuild('En quelle année Huawei est-il entré sur le marché marocain ?', /1999/, 2);
});
