// What the bot tells people when something is off on their side or the
// operator's: a command it does not know; an index it cannot update.
import { readFileSync, rmSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleHtml, devArticle, send, startSite } from '../support/articles.js';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import { MANAGE_GUILD, type RestCall } from '../support/fake-discord.js';

const admin = { id: '310000000000000001', permissions: MANAGE_GUILD, locale: 'en-US' };
const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');

let t: BotUnderTest;
let site: Awaited<ReturnType<typeof startSite>>;
beforeAll(async () => {
  site = await startSite({ '/huawei': send('text/html', articleHtml(devArticle('013-huawei-veut-lancer-5g-maroc.md'))) });
  t = await startBotUnderTest({ FETCH_ALLOW_PRIVATE_HOSTS: 'true' });
});
afterAll(async () => {
  await t?.stop();
  await site?.close();
});

it.each([
  ['en-US', /^I don’t know \(or no longer know\) the command `\/summarize`\. Type `\/help`/],
  ['fr', /^Je ne connais pas \(ou plus\) la commande `\/summarize`\. Tapez `\/aide`/],
])('answers a command it does not know (a stale registration) politely and privately (%s)', async (locale, expected) => {
  const reply = await t.discord.command('summarize', [], { locale }).waitFor((c) => c.path.endsWith('/callback'));
  expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(expected) } });
  expect(t.logs.join('')).not.toMatch(/incident/);
});

it('tells the manager, privately, what to do when /reindex and /add meet a damaged index', async () => {
  const generation = path.join(t.scratch.index, readFileSync(path.join(t.scratch.index, 'CURRENT'), 'utf8').trim());
  truncateSync(path.join(generation, 'vectors.hnsw'), 100);
  rmSync(path.join(generation, 'passages.bin'));
  const reindex = t.discord.command('reindex', [], admin);
  expect((await reindex.waitFor((c) => c.path.endsWith('/callback'))).body).toMatchObject({ type: 5, data: { flags: 64 } });
  expect((await reindex.waitFor(isEdit, 30_000)).body.content).toMatch(/^⚠️ The index in .* is damaged or incomplete .*Run `akhbar index --rebuild`/);
  const add = t.discord.command('add', [{ name: 'url', value: site.url('/huawei') }], admin);
  expect((await add.waitFor(isEdit, 30_000)).body.content).toMatch(/damaged or incomplete .*Run `akhbar index --rebuild`/);
  expect(t.logs.join('')).toMatch(/WARN \/reindex failed: The index .* damaged/);
  expect(t.logs.join('')).not.toMatch(/incident/);
  // The bot still answers from the index it holds in memory.
  const ask = t.discord.command('ask', [{ name: 'question', value: 'How many jobs will Inetum create by 2027?' }], { id: '310000000000000002' });
  expect((await ask.waitFor(isEdit, 20_000)).body.content).toMatch(/1 500/);
});
