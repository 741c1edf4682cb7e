// /reindex, /sources pagination and long answers, on a corpus that grows while the bot runs.
import { cpSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import { ROOT } from '../support/cli.js';
import { MANAGE_GUILD, type RestCall } from '../support/fake-discord.js';

const EPHEMERAL = 64;
const admin = { id: '300000000000000001', permissions: MANAGE_GUILD };
const member = { id: '300000000000000002' };
const isCallback = (c: RestCall) => c.path.endsWith('/callback');
const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest();
});
afterAll(() => t?.stop());

/** An article with long sentences and a long tracking link, so a cited answer exceeds one message. */
function writeLongArticle(dir: string): void {
  const url = `https://example.com/actualites/2025/01/ferme-quantique-zorglub-ifrane?${Array.from({ length: 45 }, (_, i) => `utm_param${i}=valeur${i}`).join('&')}`;
  const a =
    'La ferme quantique Zorglub d’Ifrane emploiera 4 321 ingénieurs spécialisés dans le refroidissement des qubits, la fabrication de puces supraconductrices, la maintenance des cryostats et la programmation des algorithmes de simulation moléculaire, selon le directeur du projet qui a présenté le calendrier de recrutement devant les élus de la région, les représentants des universités partenaires, les investisseurs étrangers et une délégation de la chambre de commerce venue spécialement de Casablanca pour l’occasion, en insistant sur la formation continue des équipes.';
  const b =
    'Le budget de la ferme Zorglub atteint 987 millions de dirhams, financés à parts égales par un fonds souverain, deux banques régionales et un consortium d’industriels de l’électronique, une enveloppe qui couvre la construction des bâtiments, l’achat des cryostats, la ligne électrique dédiée, les laboratoires de test, les logements des chercheurs invités et un programme de bourses destiné aux étudiants des écoles d’ingénieurs du Moyen Atlas qui souhaitent se spécialiser dans le calcul quantique appliqué.';
  const front = [
    '---',
    'title: "La ferme quantique Zorglub d’Ifrane, projet phare du calcul quantique au Maroc, recrutera des milliers d’ingénieurs et mobilisera un budget record"',
    'source: Le Journal des Essais',
    `url: ${url}`,
    'date: 2025-01-15',
    'lang: fr',
    '---',
  ];
  writeFileSync(path.join(dir, 'zorglub.md'), `${front.join('\n')}\n${a}\n\n${b}\n`);
}

it('refuses /reindex to a member without Manage Server, and changes nothing', async () => {
  cpSync(path.join(ROOT, 'eval/articles-dev'), t.scratch.corpus, { recursive: true });
  const reply = await t.discord.command('reindex', [], member).waitFor(isCallback);
  expect(reply.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringMatching(/réservée/) } });
  expect((await t.bot.engine.stats()).articles).toBe(5);
});

it('re-indexes for a manager, and two requests at once run one after the other', async () => {
  writeLongArticle(t.scratch.corpus);
  const first = t.discord.command('reindex', [], admin);
  const second = t.discord.command('reindex', [], { ...admin, id: '300000000000000003' });
  const [a, b] = await Promise.all([first.waitFor(isEdit, 30_000), second.waitFor(isEdit, 30_000)]);
  expect(first.calls[0].body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
  const reports = [a.body.content, b.body.content].sort();
  expect(reports[0]).toMatch(/^Index à jour : 31 articles, \d+ passages \(0 ajoutés, 0 modifiés, 0 supprimés\)/);
  expect(reports[1]).toMatch(/^Index à jour : 31 articles, \d+ passages \(26 ajoutés, 0 modifiés, 0 supprimés\)/);
});

it('pages /sources with buttons', async () => {
  const reply = await t.discord.command('sources', [], member).waitFor(isCallback);
  const message = reply.body.data;
  expect(message.embeds[0].footer.text).toBe('Page 1/4 · 31 articles');
  expect(message.embeds[0].description.split('\n')).toHaveLength(10);
  const [previous, next] = message.components[0].components;
  expect(previous).toMatchObject({ disabled: true, custom_id: 'sources:-1' });
  expect(next).toMatchObject({ disabled: false, custom_id: 'sources:1' });

  const shown = { id: '1', channel_id: t.discord.ids.channel, author: { id: t.discord.ids.bot, username: 'akhbar', discriminator: '0' }, content: '', timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], pinned: false, type: 20, ...message };
  const update = await t.discord.button(next.custom_id, shown, member).waitFor(isCallback);
  expect(update.body.type).toBe(7); // UPDATE_MESSAGE: the same message shows page 2
  expect(update.body.data.embeds[0].footer.text).toBe('Page 2/4 · 31 articles');
  expect(update.body.data.embeds[0].description).toMatch(/^\*\*11\.\*\* /);
  expect(update.body.data.components[0].components[0].disabled).toBe(false);
});

it('splits an answer longer than 2,000 characters, keeping citations and the sources block whole', async () => {
  const ex = t.discord.command('ask', [{ name: 'question', value: "Combien d'ingénieurs emploiera la ferme Zorglub et quel est son budget en dirhams ?" }], member);
  const followUp = await ex.waitFor((c) => c.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(c.path));
  const first = ex.calls.find(isEdit)!.body;
  const parts = [first.content, followUp.body.content];
  for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
  expect(parts.join('\n\n').length).toBeGreaterThan(2000);
  expect(first.content).toMatch(/4 321 ingénieurs[\s\S]*\[1\][\s\S]*987 millions de dirhams[\s\S]*\[1\]$/);
  expect(first.components).toEqual([]);
  // The sources block is one message, its link wrapped, and the 👍/👎 buttons go under the last part.
  expect(followUp.body.content).toMatch(/^\*\*Sources\*\*\n\[1\] \*\*La ferme quantique Zorglub.*<https:\/\/example\.com\/\S+utm_param44=valeur44>$/);
  expect(followUp.body.components[0].components.map((c: any) => c.custom_id)).toEqual(['feedback:up', 'feedback:down']);
});

it('tells a manager when the corpus folder is gone, and keeps the index it has', async () => {
  renameSync(t.scratch.corpus, `${t.scratch.corpus}.moved`);
  try {
    const reply = await t.discord.command('reindex', [], admin).waitFor(isEdit);
    expect(reply.body.content).toMatch(/^⚠️ Corpus folder not found/);
  } finally {
    renameSync(`${t.scratch.corpus}.moved`, t.scratch.corpus);
  }
  expect((await t.bot.engine.stats()).articles).toBe(31);
});

it('pinged nobody in any message', () => {
  for (const body of t.discord.messageBodies) expect(body.allowed_mentions).toEqual({ parse: [] });
});
