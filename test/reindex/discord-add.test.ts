// /add url and the corpus watcher in a running bot (real discord.js against the fake Discord).
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleHtml, DEV_ARTICLES, devArticle, send, startSite } from '../support/articles.js';
import { commandDefinitions } from '../../src/discord/commands/index.js';
import { bigArticlePage } from '../support/big-page.js';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import { MANAGE_GUILD, type RestCall } from '../support/fake-discord.js';

const admin = { id: '300000000000000001', permissions: MANAGE_GUILD };
const member = { id: '300000000000000002' };
const isCallback = (c: RestCall) => c.path.endsWith('/callback');
const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');
const huawei = devArticle('013-huawei-veut-lancer-5g-maroc.md');

let t: BotUnderTest;
let site: Awaited<ReturnType<typeof startSite>>;
beforeAll(async () => {
  site = await startSite({ '/huawei': send('text/html', articleHtml(huawei)), '/pdf': send('application/pdf', 'x'), '/long': send('text/html', bigArticlePage(0, 60)) });
  t = await startBotUnderTest({ CORPUS_WATCH: 'true', CORPUS_WATCH_DEBOUNCE_MS: '200', FETCH_TIMEOUT_MS: '2000', FETCH_ALLOW_PRIVATE_HOSTS: 'true', MAX_ARTICLE_BYTES: '20000' });
});
afterAll(async () => {
  await t?.stop();
  await site?.close();
});

const addUrl = (url: string, from: object) => t.discord.command('add', [{ name: 'url', value: url }], from);

it('defines /add for server managers only, with a required url', () => {
  const add = commandDefinitions().find((c) => c.name === 'add')!;
  expect(add.default_member_permissions).toBe('32');
  expect(add.options).toEqual([expect.objectContaining({ name: 'url', required: true })]);
});

it('refuses /add to a member without Manage Server, and adds nothing', async () => {
  const files = readdirSync(t.scratch.corpus);
  const reply = await addUrl(site.url('/huawei'), member).waitFor(isCallback);
  expect(reply.body).toMatchObject({ type: 4, data: { flags: 64 } });
  expect(readdirSync(t.scratch.corpus)).toEqual(files);
});

it('adds a page for a manager and answers about it at once', async () => {
  const reply = await addUrl(site.url('/huawei'), admin).waitFor(isEdit, 30_000);
  expect(reply.body.content).toMatch(new RegExp(`^✅ .*${huawei.title.slice(0, 20)}.*\\(${huawei.source}\\).* \\d+ passages`));
  const hits = await t.bot.engine.search('Huawei 5G Maroc', 1);
  expect(hits[0]!.article.url).toBe(site.url('/huawei'));
  const again = await addUrl(site.url('/huawei'), admin).waitFor(isEdit, 30_000);
  expect(again.body.content).toMatch(/^ℹ️ /);
});

it('says why a page was not added', async () => {
  const reply = await addUrl(site.url('/pdf'), admin).waitFor(isEdit, 30_000);
  expect(reply.body.content).toMatch(/^⚠️ .*not a web page/);
});

it('refuses a page whose article is over MAX_ARTICLE_BYTES (the index would skip its file), and adds nothing', async () => {
  const files = readdirSync(t.scratch.corpus);
  const reply = await addUrl(site.url('/long'), admin).waitFor(isEdit, 30_000);
  expect(reply.body.content).toMatch(/^⚠️ .*too long to index \(\d+ bytes; the limit is MAX_ARTICLE_BYTES=20000\)/);
  expect(readdirSync(t.scratch.corpus)).toEqual(files);
});

it('takes web addresses only: a path on the bot host is not read, nor a file: URL', async () => {
  // An article file outside the corpus, which `akhbar add` would accept.
  const outside = path.join(t.scratch.dir, 'private-notes.md');
  writeFileSync(outside, '---\ntitle: Private notes\n---\n\nThe server room code is 4321. Nobody outside the team should read this paragraph.\n');
  const files = readdirSync(t.scratch.corpus);
  for (const input of [outside, `file://${outside}`]) {
    const reply = await addUrl(input, admin).waitFor(isCallback);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/^⚠️ .*\(http:\/\/ o[ur] https:\/\/\).*akhbar add/) } });
  }
  expect(readdirSync(t.scratch.corpus)).toEqual(files);
  expect((await t.bot.engine.search('server room code 4321', 3)).map((h) => h.article.title)).not.toContain('Private notes');
});

it('notices a file dropped into the corpus and indexes it', async () => {
  const file = '031-huawei-regional-logistics-hub-tanger-med.md';
  const before = (await t.bot.engine.stats()).articles;
  copyFileSync(path.join(DEV_ARTICLES, file), path.join(t.scratch.corpus, file));
  await expect.poll(async () => (await t.bot.engine.stats()).articles, { timeout: 15_000 }).toBe(before + 1);
  // The line names the file; its counts may not be this file's: under load, the re-index of an
  // event seen earlier (the page /add wrote) can run after the copy and be the one that indexes it.
  await expect.poll(() => t.logs.join(''), { timeout: 15_000 }).toMatch(/corpus changed \([^)]*added 031-huawei[^)]*\): \d+ added/);
});
