// The bot under load and faults, end to end: a real discord.js client and the
// real index against the fake Discord on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import type { RestCall } from '../support/fake-discord.js';

const QUESTIONS: Array<[string, RegExp]> = [
  ["Combien d'emplois Inetum va-t-il créer d'ici 2027 ?", /1 500/],
  ['Who is the CEO of Thales Holding Maroc?', /Hicham Alj/],
  ['Since when has Inetum been present in Morocco?', /2003/],
];
const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');
const isCallback = (c: RestCall) => c.path.endsWith('/callback');
let user = 0;
const someone = () => ({ id: String(700000000000000000n + BigInt(++user)) });

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest();
  await t.discord.waitForReady();
});
afterAll(() => t?.stop());

describe('the bot under load', () => {
  it('answers 50 concurrent /ask from 50 users: every one deferred once and answered once, none lost', async () => {
    const exchanges = Array.from({ length: 50 }, (_, i) => ({ ex: t.discord.command('ask', [{ name: 'question', value: QUESTIONS[i % 3]![0] }], someone()), expect: QUESTIONS[i % 3]![1] }));
    const edits = await Promise.all(exchanges.map(({ ex }) => ex.waitFor(isEdit, 60_000)));
    edits.forEach((edit, i) => expect(edit.body.content).toMatch(exchanges[i]!.expect));
    for (const { ex } of exchanges) {
      expect(ex.calls.filter(isCallback)).toHaveLength(1);
      expect(ex.calls.filter(isEdit).length).toBeGreaterThanOrEqual(1);
    }
    // Still alive and answering afterwards.
    const after = t.discord.command('ask', [{ name: 'question', value: QUESTIONS[0]![0] }], someone());
    expect((await after.waitFor(isEdit, 15_000)).body.content).toMatch(/1 500/);
  }, 90_000);

  it('re-identifies and answers again after the gateway closes a session it cannot resume', async () => {
    const before = t.discord.identifies;
    t.discord.dropGateway(4007); // invalid sequence: discord.js must start a new session
    await expect.poll(() => t.discord.identifies, { timeout: 20_000 }).toBeGreaterThan(before);
    const ex = t.discord.command('ask', [{ name: 'question', value: QUESTIONS[1]![0] }], someone());
    expect((await ex.waitFor(isEdit, 20_000)).body.content).toMatch(/Hicham Alj/);
  }, 60_000);
});
