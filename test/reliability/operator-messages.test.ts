// What the bot tells people when something is off on their side or the
// operator's: a command it does not know.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest();
});
afterAll(() => t?.stop());

it.each([
  ['en-US', /^I don’t know \(or no longer know\) the command `\/summarize`\. Type `\/help`/],
  ['fr', /^Je ne connais pas \(ou plus\) la commande `\/summarize`\. Tapez `\/aide`/],
])('answers a command it does not know (a stale registration) politely and privately (%s)', async (locale, expected) => {
  const reply = await t.discord.command('summarize', [], { locale }).waitFor((c) => c.path.endsWith('/callback'));
  expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(expected) } });
  expect(t.logs.join('')).not.toMatch(/incident/);
});
