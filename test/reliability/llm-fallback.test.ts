// The bot when its LLM fails: every /ask still gets the extractive answer, with
// the note saying so, and the bot keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/answer/messages.js';
import { startBotUnderTest, type BotUnderTest } from '../support/bot.js';
import type { RestCall } from '../support/fake-discord.js';
import { stubEnv } from '../support/llm-engine.js';
import { startLlmStub, type LlmStub } from '../support/llm-stubs.js';

const INETUM = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";
const isEdit = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith('/messages/@original');

let stub: LlmStub;
let t: BotUnderTest;
beforeAll(async () => {
  stub = await startLlmStub('openai', () => ({ status: 500 }));
  t = await startBotUnderTest({ ...stubEnv('openai', stub), LLM_MAX_RETRIES: '0', LLM_STREAMING: 'false', LOG_LEVEL: 'error' });
});
afterAll(async () => {
  await t?.stop();
  await stub?.close();
});

describe('the bot with a failing LLM', () => {
  it('answers 10 concurrent /ask extractively, with the fallback note, and the LLM was tried', async () => {
    const exchanges = Array.from({ length: 10 }, (_, i) => t.discord.command('ask', [{ name: 'question', value: INETUM }], { id: String(800000000000000000n + BigInt(i)) }));
    const edits = await Promise.all(exchanges.map((ex) => ex.waitFor(isEdit, 30_000)));
    for (const edit of edits) {
      expect(edit.body.content).toMatch(/1 500 emplois[\s\S]*\[1\]/);
      expect(edit.body.content).toContain(messages('fr').llmUnavailable);
    }
    expect(stub.requests.length).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
