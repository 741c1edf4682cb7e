// LLM answers on Discord: the real bot and discord.js against the fake Discord,
// the real OpenAI client against the SSE stub.
import { afterEach, describe, expect, it } from 'vitest';
import { messages } from '../../src/answer/messages.js';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import type { RestCall } from '../support/fake-discord.js';
import { stubEnv } from '../support/llm-engine.js';
import { answerScript, startLlmStub, type LlmStub } from '../support/llm-stubs.js';

const INETUM = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";
const REPLY = 'D’après l’accord signé avec le gouvernement, Inetum prévoit de créer 1 500 emplois au Maroc [1], principalement pour des ingénieurs, d’ici 2027 [1].';
const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');
const isFinal = (c: RestCall) => isEdit(c) && (c.body?.components?.length ?? 0) > 0;

describe('LLM answers on Discord', () => {
  let stub: LlmStub | undefined;
  let t: BotUnderTest | undefined;
  afterEach(async () => {
    await t?.stop();
    await stub?.close();
  });

  it('a streamed answer reaches Discord as successive edits', async () => {
    // About 3 s of tokens: with about one edit a second, several progressive edits come before the final one.
    stub = await startLlmStub('openai', answerScript([{ text: REPLY, tokenDelayMs: 150 }]));
    t = await startBotUnderTest(stubEnv('openai', stub));
    const ex = t.discord.command('ask', [{ name: 'question', value: INETUM }], { id: '300000000000000001' });
    const final = await ex.waitFor(isFinal, 20_000);
    const edits = ex.calls.filter(isEdit).map((c) => c.body.content as string);
    const progressive = edits.slice(0, edits.indexOf(final.body.content));
    expect(progressive.length).toBeGreaterThanOrEqual(2);
    for (const [i, content] of progressive.entries()) {
      expect(content.endsWith('…')).toBe(true);
      const text = content.replace(/ …$/, '');
      expect(REPLY.startsWith(text)).toBe(true);
      if (i > 0) expect(text.length).toBeGreaterThan(progressive[i - 1]!.replace(/ …$/, '').length);
    }
    expect(final.body.content).toContain('Inetum prévoit de créer 1 500 emplois au Maroc [1]');
    expect(final.body.content).toMatch(/\*\*Sources\*\*\n\[1\] \*\*Un accord conclu entre le groupe Inetum/);
  });

  it('never leaves an interaction thinking when the language model hangs', async () => {
    stub = await startLlmStub('openai', () => ({ hang: true }));
    t = await startBotUnderTest({ ...stubEnv('openai', stub), LLM_TIMEOUT_MS: '300', LOG_LEVEL: 'error' });
    const ex = t.discord.command('ask', [{ name: 'question', value: INETUM }], { id: '300000000000000002' });
    const final = await ex.waitFor(isFinal, 20_000);
    expect(final.body.content).toContain(messages('fr').llmUnavailable);
    expect(final.body.content).toMatch(/1 500 emplois[\s\S]*\[1\]/);
  });
});
