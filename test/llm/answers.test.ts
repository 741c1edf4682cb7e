import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/answer/messages.js';
import { openEngine, stubEnv } from '../support/llm-engine.js';
import { answerScript, isRewrite, passageCount, startLlmStub, type LlmStub, type StubKind } from '../support/llm-stubs.js';
import { scratchCorpus } from '../support/cli.js';

const INETUM_EN = 'How many jobs will Inetum create by 2027?';
const INETUM_FR = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";

describe('LLM answers through the real client libraries', () => {
  const dirs = scratchCorpus();
  let stub: LlmStub | undefined;
  const start = async (kind: StubKind, script: Parameters<typeof startLlmStub>[1]) => (stub = await startLlmStub(kind, script));
  const answerRequests = () => stub!.requests.filter((r) => !isRewrite(r));

  beforeAll(async () => {
    await openEngine(dirs, { LLM_PROVIDER: 'none' }); // builds the index once
  });
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  it('sends numbered passages with title, outlet and date, and asks for the question’s language', async () => {
    await start('openai', answerScript([{ text: 'Inetum will create 1,500 jobs [1].' }]));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_STREAMING: 'false' });
    await engine.ask(INETUM_EN);
    await engine.ask(INETUM_FR);
    const [en, fr] = answerRequests();
    expect(en!.system).toContain('Write the whole answer in English');
    expect(fr!.system).toContain('Write the whole answer in French');
    expect(passageCount(en!)).toBe(5);
    // Title always; outlet and date when the article has them (the seeds lack some).
    expect(en!.user).toMatch(/<passage n="1" title="[^"]*Inetum[^"]*" date="2024-04">\n/);
    expect(en!.user).toMatch(/<passage n="\d" title="Thales[^"]*" outlet="Journaleco">\n/);
    expect(en!.user).toMatch(/<passage n="5" /);
    expect(en!.user).toContain(`<question>\n${INETUM_EN}\n</question>`);
    expect(en!.user).toMatch(/1 500 emplois/);
  });

  it('removes a citation of a passage that was not given and renumbers the sources in order of use', async () => {
    await start('openai', answerScript([{ text: 'Inetum plans 1,500 jobs [7] by 2027 [3][1].' }]));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_STREAMING: 'false' });
    const result = await engine.ask(INETUM_EN, { k: 4 });
    expect(passageCount(answerRequests()[0]!)).toBe(4);
    expect(result.answer).not.toContain('[7]');
    const titles = [...answerRequests()[0]!.user.matchAll(/<passage n="\d" title="([^"]*)"/g)].map((m) => m[1]);
    expect(titles[0]).not.toBe(titles[2]); // passages 1 and 3 come from two articles
    expect(result.answer).toBe('Inetum plans 1,500 jobs by 2027 [1][2].');
    expect(result.refused).toBe(false);
    expect(result.citations.map((c) => [c.n, c.title])).toEqual([
      [1, titles[2]],
      [2, titles[0]],
    ]);
    expect(result.notices).toEqual([]);
  });

  it('drops a sentence whose only citation names a passage that was not given', async () => {
    await start('openai', answerScript([{ text: 'Inetum plans 1,500 jobs by 2027 [1]. It will also open a base on the Moon [9].' }]));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_STREAMING: 'false' });
    const result = await engine.ask(INETUM_EN, { k: 4 });
    expect(result.answer).toBe('Inetum plans 1,500 jobs by 2027 [1].');
    expect(result.citations).toHaveLength(1);
    expect(result.notices).toEqual([]);
  });

  it('falls back to the extractive answer, with a note, when no citation is valid', async () => {
    await start('openai', answerScript([{ text: 'Inetum will create a great many jobs [9].' }]));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_STREAMING: 'false' });
    const result = await engine.ask(INETUM_EN);
    expect(result.notices).toContain(messages('en').llmUngrounded);
    expect(result.answer).not.toContain('great many');
    expect(result.answer).toMatch(/1 500 emplois/);
    expect(result.citations[0]).toMatchObject({ n: 1, articleId: expect.stringMatching(/^003_/) });
  });

  it('refuses when the model says the passages do not answer, and never streams the token', async () => {
    await start('openai', answerScript([{ text: 'NO_ANSWER The articles do not give the average salary.' }]));
    const engine = await openEngine(dirs, stubEnv('openai', stub!));
    const partials: string[] = [];
    const result = await engine.ask('What is the average salary of an engineer hired by Inetum?', { onPartial: (t) => partials.push(t) });
    expect(result).toMatchObject({ refused: true, citations: [], language: 'en' });
    expect(result.answer).toMatch(/could not find/);
    expect(partials.join(' ')).not.toContain('NO_ANSWER');
  });

  it('retries after a 429 and then answers', async () => {
    await start('openai', answerScript([{ status: 429 }, { text: 'Inetum will create 1,500 jobs [1].' }]));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_STREAMING: 'false' });
    const result = await engine.ask(INETUM_EN);
    expect(answerRequests()).toHaveLength(2);
    expect(result.answer).toBe('Inetum will create 1,500 jobs [1].');
    expect(result.notices).toEqual([]);
  });

  it('gives the extractive answer after repeated 500s, trying at most LLM_MAX_RETRIES more times', async () => {
    await start('openai', () => ({ status: 500 }));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_MAX_RETRIES: '2' });
    const result = await engine.ask(INETUM_EN);
    expect(answerRequests()).toHaveLength(3);
    expect(result.notices).toContain(messages('en').llmUnavailable);
    expect(result.refused).toBe(false);
    expect(result.answer).toMatch(/1 500 emplois/);
  });

  it('gives the extractive answer when the server hangs, within the timeout', async () => {
    await start('openai', () => ({ hang: true }));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_TIMEOUT_MS: '300' });
    const result = await engine.ask(INETUM_FR);
    expect(result.notices).toContain(messages('fr').llmUnavailable);
    expect(result.answer).toMatch(/1 500 emplois/);
    // The rewrite timed out: the answer was not attempted against a hung server.
    expect(stub!.requests).toHaveLength(1);
  });

  it('gives the extractive answer when only the answer request hangs', async () => {
    await start('openai', answerScript([{ hang: true }]));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_TIMEOUT_MS: '300', LLM_STREAMING: 'false' });
    const result = await engine.ask(INETUM_EN);
    expect(result.notices).toContain(messages('en').llmUnavailable);
    expect(result.answer).toMatch(/1 500 emplois/);
    expect(answerRequests()).toHaveLength(1); // a timeout is not retried
  });

  it('gives the extractive answer when a stream stalls after a few tokens', async () => {
    await start('ollama', answerScript([{ text: 'Inetum va créer 1 500 emplois [1] au Maroc.', stallAfterTokens: 3 }]));
    const engine = await openEngine(dirs, { ...stubEnv('ollama', stub!), LLM_TIMEOUT_MS: '300' });
    const partials: string[] = [];
    const result = await engine.ask(INETUM_FR, { onPartial: (t) => partials.push(t) });
    expect(partials.at(-1)).toBe('Inetum va créer');
    expect(result.notices).toContain(messages('fr').llmUnavailable);
    expect(answerRequests()).toHaveLength(1);
  });

  it('searches with the question made standalone, and in the other language, when the rewrite works', async () => {
    const rewrite = () => ({ text: "fr: Combien d'emplois Inetum va-t-il créer au Maroc d'ici 2027 ?\nen: How many jobs will Inetum create in Morocco by 2027?" });
    await start('openai', answerScript([{ text: 'By 2027 [1].' }], rewrite));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_STREAMING: 'false' });
    const history = [{ question: 'Combien d’emplois Inetum va-t-il créer ?', answer: 'D’après les articles : « 1 500 emplois » [1]' }];
    await engine.ask('Et d’ici quand ?', { history });
    const [rewriteRequest, answerRequest] = stub!.requests;
    expect(rewriteRequest!.user).toMatch(/<conversation>\n<turn>\n<user>Combien d’emplois Inetum/);
    expect(rewriteRequest!.user).toContain('<question>\nEt d’ici quand ?\n</question>');
    expect(answerRequest!.user).toMatch(/<passage n="1" title="[^"]*Inetum/);
    expect(answerRequest!.user).toContain("<question_in_context>\nCombien d'emplois Inetum va-t-il créer au Maroc d'ici 2027 ?");
  });

  it('keeps answering with the question as asked when the rewrite fails', async () => {
    await start('openai', (request) => (isRewrite(request) ? { status: 400 } : { text: 'Inetum will create 1,500 jobs [1].' }));
    const engine = await openEngine(dirs, { ...stubEnv('openai', stub!), LLM_STREAMING: 'false' });
    const result = await engine.ask(INETUM_EN);
    expect(result.answer).toBe('Inetum will create 1,500 jobs [1].');
    expect(result.citations[0]!.articleId).toMatch(/^003_/);
  });
});
