// Row 8 of issue 13: the bot keeps answering while it indexes. Extracting the
// article from a page of several megabytes takes seconds of CPU, so it runs on
// a worker thread; a re-index of hundreds of articles yields to the event loop
// between units of work. Real discord.js client against the fake Discord, real
// page served on loopback, real corpus and index.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { writeSyntheticArticles } from '../support/synthetic.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSite } from '../support/articles.js';
import { bigArticlePage } from '../support/big-page.js';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import { MANAGE_GUILD, type RestCall } from '../support/fake-discord.js';

const admin = { id: '310000000000000001', permissions: MANAGE_GUILD };
const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');
const isCallback = (c: RestCall) => c.path.endsWith('/callback');
const inetum = [{ name: 'question', value: "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?" }];

let t: BotUnderTest;
let site: Awaited<ReturnType<typeof startSite>>;
let served!: () => void;
const pageSent = new Promise<void>((resolve) => (served = resolve));
beforeAll(async () => {
  const page = bigArticlePage(4_750_000);
  site = await startSite({ '/big': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(page, served) });
  t = await startBotUnderTest({ FETCH_ALLOW_PRIVATE_HOSTS: 'true', FETCH_TIMEOUT_MS: '60000' });
});
afterAll(async () => {
  await t?.stop();
  await site?.close();
});

it('answers a question while a 4.75 MB page given to /add is still being parsed', async () => {
  const corpus = readdirSync(t.scratch.corpus);
  const add = t.discord.command('add', [{ name: 'url', value: site.url('/big') }], admin);
  await pageSent;
  // The whole page is on its way to the bot: from here until the article file appears in the
  // corpus, the bot is reading or parsing it. A parse on the main thread would hold this
  // question until the parse is over; the file is written right after it.
  const ask = t.discord.command('ask', inetum);
  expect((await ask.waitFor(isEdit, 60_000)).body.content).toMatch(/1 500/);
  expect(readdirSync(t.scratch.corpus)).toEqual(corpus);
  expect((await add.waitFor(isEdit, 120_000)).body.content).toMatch(/^✅ .*Le grand dossier du numérique.*\(Le Quotidien\).* \d+ passages/);
  expect(readdirSync(t.scratch.corpus)).toHaveLength(corpus.length + 1);
}, 180_000);

it('answers a question while /reindex writes 300 new articles into the index', async () => {
  writeSyntheticArticles(t.scratch.corpus, 300);
  const reindex = t.discord.command('reindex', [], admin);
  // The index lock is taken once the corpus is read: the update (chunking, embedding, inserting,
  // writing) has begun. It lasts seconds; a question takes milliseconds of work.
  await expect.poll(() => existsSync(path.join(t.scratch.index, '.lock')), { timeout: 60_000, interval: 5 }).toBe(true);
  const answer = await t.discord.command('ask', inetum).waitFor(isEdit, 60_000);
  expect(answer.body.content).toMatch(/1 500/);
  const report = await reindex.waitFor(isEdit, 120_000);
  expect(report.body.content).toMatch(/\(300 (added|ajoutés)/);
  // Answered between two slices of the update, not queued behind all of it.
  expect(t.discord.calls.indexOf(answer)).toBeLessThan(t.discord.calls.indexOf(report));
}, 180_000);
