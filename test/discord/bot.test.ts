// The real discord.js client and the real index, against a fake Discord on loopback.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import type { RestCall } from '../support/fake-discord.js';

const INETUM = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";
const EPHEMERAL = 64;

let t: BotUnderTest;
const guildId = '424242424242424242';

beforeAll(async () => {
  t = await startBotUnderTest({ DISCORD_GUILD_ID: guildId });
});
afterAll(() => t?.stop());

const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');
const replyTo = (id: string) => (c: RestCall) => c.method === 'POST' && c.body?.message_reference?.message_id === id;
let user = 0;
/** A fresh user per test, so the rate limit of one test never touches another. */
const someone = () => ({ id: String(200000000000000000n + BigInt(++user)) });

describe('start-up', () => {
  it('logs in, registers its commands in the development server and logs one ready line', async () => {
    const put = await t.discord.waitForCall((c) => c.method === 'PUT');
    expect(put.path).toBe(`/applications/${t.discord.ids.app}/guilds/${guildId}/commands`);
    const names = put.body.map((c: any) => c.name);
    expect(names).toEqual(expect.arrayContaining(['ask', 'search', 'sources', 'article', 'reindex', 'help', 'stats']));
    for (const c of put.body) {
      expect(c.name_localizations?.fr, c.name).toBeTruthy();
      expect(c.description_localizations?.fr, c.name).toBeTruthy();
    }
    const reindex = put.body.find((c: any) => c.name === 'reindex');
    expect(reindex.default_member_permissions).toBe('32'); // Manage Server
    const ready = t.logs.filter((l) => l.includes('ready'));
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatch(/5 articles, \d+ chunks, embedder local:/);
  });
});

describe('/ask', () => {
  it('defers at once, then edits in the answer with numbered citations and a sources block', async () => {
    const ex = t.discord.command('ask', [{ name: 'question', value: INETUM }], someone());
    const edit = await ex.waitFor(isEdit);
    const [first] = ex.calls;
    expect(first.path).toMatch(/\/callback$/);
    expect(first.body).toMatchObject({ type: 5 });
    expect(first.body.data?.flags ?? 0).toBe(0); // public
    expect(edit.body.content).toMatch(/1 500 emplois[\s\S]*\[1\]/);
    expect(edit.body.content).toMatch(/\*\*Sources\*\*\n\[1\] \*\*Un accord conclu entre le groupe Inetum/);
    const buttons = edit.body.components[0].components.map((b: any) => b.custom_id);
    expect(buttons).toEqual(['feedback:up', 'feedback:down']);
  });

  it('answers privately when asked to', async () => {
    const ex = t.discord.command('ask', [{ name: 'question', value: 'Who is the CEO of Thales Holding Maroc?' }, { name: 'private', value: true }], someone());
    const edit = await ex.waitFor(isEdit);
    expect(ex.calls[0].body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect(edit.body.content).toMatch(/Hicham Alj/);
  });

  it('records a 👎 under an answer with the question, answer, citations and a hashed user id', async () => {
    const asker = someone();
    const ex = t.discord.command('ask', [{ name: 'question', value: INETUM }], asker);
    const edit = await ex.waitFor(isEdit);
    const press = t.discord.button('feedback:down', t.discord.sentMessage(edit.body.id), asker);
    const thanks = await press.waitFor((c) => c.path.endsWith('/callback'));
    expect(thanks.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    const lines = readFileSync(t.settings.FEEDBACK_FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const vote = lines.at(-1);
    expect(vote).toMatchObject({ vote: 'down', messageId: edit.body.id, question: INETUM });
    expect(vote.answer).toMatch(/1 500 emplois/);
    expect(vote.citations[0].articleId).toMatch(/^003_/);
    expect(vote.user).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(vote)).not.toContain(asker.id);
    expect(new Date(vote.time).getTime()).toBeGreaterThan(0);
  });

  it('answers a question full of @everyone and role pings without pinging anyone', async () => {
    const ex = t.discord.command('ask', [{ name: 'question', value: `@everyone @here <@&123456789012345678> ${INETUM}` }], someone());
    const edit = await ex.waitFor(isEdit);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('apologises with an incident id when something fails, logs the stack, and the next question works', async () => {
    // A real failure: Discord refuses the first edit of the answer.
    t.discord.failNext('PATCH', /\/messages\/@original$/, 400);
    const asker = someone();
    const failed = t.discord.command('ask', [{ name: 'question', value: INETUM }], asker);
    const apology = await failed.waitFor((c) => isEdit(c) && /incident/.test(c.body.content ?? ''));
    const incident = /`([0-9a-f]{8})`/.exec(apology.body.content)![1];
    expect(apology.body.content).toMatch(/^Désolé/);
    expect(apology.body.components).toEqual([]);
    const logged = t.logs.find((l) => l.includes(`incident ${incident}`))!;
    expect(logged).toMatch(/ERROR[\s\S]*DiscordAPIError[\s\S]*\n\s+at /);

    const next = t.discord.command('ask', [{ name: 'question', value: INETUM }], asker);
    expect((await next.waitFor(isEdit)).body.content).toMatch(/1 500 emplois/);
  });

  it('limits each user to RATE_LIMIT_PER_MINUTE questions, politely and privately', async () => {
    const asker = someone();
    for (let i = 0; i < t.settings.RATE_LIMIT_PER_MINUTE; i++) {
      await t.discord.command('ask', [{ name: 'question', value: INETUM }], asker).waitFor(isEdit);
    }
    const refused = t.discord.command('ask', [{ name: 'question', value: INETUM }], asker);
    const reply = await refused.waitFor((c) => c.path.endsWith('/callback'));
    expect(reply.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(reply.body.data.content).toMatch(/5 questions par minute : réessayez dans \d+ s/);
    // Someone else is not affected.
    const other = t.discord.command('ask', [{ name: 'question', value: INETUM }], someone());
    expect((await other.waitFor(isEdit)).body.content).toMatch(/1 500/);
  });
});

describe('messages', () => {
  it('answers a mention as a reply, typing while it works', async () => {
    const ex = t.discord.message({ content: INETUM, from: someone() });
    const reply = await ex.waitFor(replyTo(ex.id));
    expect(reply.path).toBe(`/channels/${t.discord.ids.channel}/messages`);
    expect(reply.body.content).toMatch(/1 500 emplois[\s\S]*Sources/);
    expect(reply.body.allowed_mentions).toEqual({ parse: [] });
    expect(ex.calls.some((c) => c.path.endsWith('/typing'))).toBe(true);
  });

  it('ignores channel messages that do not mention it', async () => {
    const ignored = t.discord.message({ content: INETUM, mentionsBot: false, from: someone() });
    const marker = t.discord.message({ content: 'Who is the CEO of Thales Holding Maroc?', from: someone() });
    await marker.waitFor(replyTo(marker.id));
    expect(ignored.calls.filter((c) => !c.path.endsWith('/typing'))).toEqual([]);
  });

  it('treats a reply to its answer as a follow-up: the earlier question informs retrieval', async () => {
    const asker = someone();
    const alone = t.discord.message({ content: "et d'ici quand ?", from: asker });
    expect((await alone.waitFor(replyTo(alone.id))).body.content).not.toMatch(/Inetum/);

    const first = t.discord.message({ content: "Combien d'emplois Inetum va-t-il créer ?", from: asker });
    const answer = await first.waitFor(replyTo(first.id));
    const followUp = t.discord.message({ content: "et d'ici quand ?", replyTo: answer.body.id, mentionsBot: false, from: asker });
    const reply = await followUp.waitFor(replyTo(followUp.id));
    expect(reply.body.content).toMatch(/2027/);
    expect(reply.body.content).toMatch(/Sources\*\*\n[\s\S]*\[\d\] \*\*Un accord conclu entre le groupe Inetum/);
  });

  it('apologises with an incident id when a reply fails, and answers the next message', async () => {
    t.discord.failNext('POST', new RegExp(`^/channels/${t.discord.ids.channel}/messages$`), 400);
    const asker = someone();
    const failed = t.discord.message({ content: INETUM, from: asker });
    const apology = await failed.waitFor((c) => replyTo(failed.id)(c) && /incident/.test(c.body.content));
    expect(apology.body.content).toMatch(/^Désolé.*`[0-9a-f]{8}`/);
    const next = t.discord.message({ content: INETUM, from: asker });
    expect((await next.waitFor(replyTo(next.id))).body.content).toMatch(/1 500/);
  });

  it('asks for a question when a mention has none', async () => {
    const ex = t.discord.message({ content: '', from: someone() });
    expect((await ex.waitFor(replyTo(ex.id))).body.content).toMatch(/^Posez-moi une question/);
  });

  it('answers a DM', async () => {
    const ex = t.discord.message({ content: 'Since when has Inetum been present in Morocco?', dm: true, from: someone() });
    const reply = await ex.waitFor(replyTo(ex.id));
    expect(reply.path).toBe(`/channels/${t.discord.ids.dm}/messages`);
    expect(reply.body.content).toMatch(/2003/);
  });

  it('answers in the thread it was asked in', async () => {
    const ex = t.discord.message({ content: INETUM, channelId: t.discord.ids.thread, from: someone() });
    const reply = await ex.waitFor(replyTo(ex.id));
    expect(reply.path).toBe(`/channels/${t.discord.ids.thread}/messages`);
  });

  it('does not ping when a question mentions @everyone', async () => {
    const ex = t.discord.message({ content: `@everyone ${INETUM}`, mentionEveryone: true, from: someone() });
    const reply = await ex.waitFor(replyTo(ex.id));
    expect(reply.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('keeps answering after the gateway connection drops and resumes', async () => {
    const before = t.discord.resumes;
    t.discord.dropGateway();
    await expect.poll(() => t.discord.resumes, { timeout: 15_000 }).toBeGreaterThan(before);
    const ex = t.discord.message({ content: INETUM, from: someone() });
    expect((await ex.waitFor(replyTo(ex.id), 15_000)).body.content).toMatch(/1 500/);
  });
});

describe('other commands', () => {
  it('/search shows passages with outlet, score and excerpt', async () => {
    const ex = t.discord.command('search', [{ name: 'query', value: 'cybersécurité Thales' }, { name: 'k', value: 3 }], someone());
    const edit = await ex.waitFor(isEdit);
    const fields = edit.body.embeds[0].fields;
    expect(fields).toHaveLength(3);
    expect(fields[0].name).toMatch(/^1\. Thales/);
    expect(fields[0].value).toMatch(/Journaleco · score \d\.\d{3}\n> /);
  });

  it('/article autocompletes titles, then shows the article', async () => {
    const choices = await t.discord.autocomplete('article', [{ name: 'title', value: 'cybersecu', focused: true }]).choices();
    expect(choices).toEqual([{ name: expect.stringMatching(/^Thales/), value: expect.stringMatching(/^004_/) }]);
    const all = await t.discord.autocomplete('article', [{ name: 'title', value: '', focused: true }]).choices();
    expect(all).toHaveLength(5);

    const ex = t.discord.command('article', [{ name: 'title', value: choices[0].value }]);
    const reply = await ex.waitFor((c) => c.path.endsWith('/callback'));
    const embed = reply.body.data.embeds[0];
    expect(embed.title).toMatch(/^Thales va ouvrir/);
    expect(embed.description).toMatch(/\S/);
    expect(embed.fields.map((f: any) => f.value)).toContain('Journaleco');
  });

  it('/stats reports the index, the embedder, the answer mode and questions answered', async () => {
    const ex = t.discord.command('stats', [], someone());
    const reply = await ex.waitFor((c) => c.path.endsWith('/callback'));
    const fields = Object.fromEntries(reply.body.data.embeds[0].fields.map((f: any) => [f.name, f.value]));
    expect(fields).toMatchObject({ Articles: '5', Réponses: 'extractive', Embeddings: expect.stringMatching(/^local:/) });
    expect(Number(fields['Questions répondues'])).toBeGreaterThan(3);
  });

  it('/help answers privately, in English for an English client', async () => {
    const ex = t.discord.command('help', [], { locale: 'en-US' });
    const reply = await ex.waitFor((c) => c.path.endsWith('/callback'));
    expect(reply.body.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/answers your questions/) });
  });
});

describe('every message the bot sent', () => {
  it('parsed no mentions', () => {
    const bodies = t.discord.messageBodies;
    expect(bodies.length).toBeGreaterThan(15);
    for (const body of bodies) expect(body.allowed_mentions, JSON.stringify(body).slice(0, 200)).toEqual({ parse: [] });
  });

  it('fit in one Discord message', () => {
    for (const body of t.discord.messageBodies) expect((body.content ?? '').length).toBeLessThanOrEqual(2000);
  });
});
