import { loadSettings } from '/work/wt-llm/src/config.ts';
import { Akhbar } from '/work/wt-llm/src/core/engine.ts';
import { startLlmStub, answerScript } from '/work/wt-llm/test/support/llm-stubs.ts';
import { scratchCorpus } from '/work/wt-llm/test/support/cli.ts';
const s = scratchCorpus();
for (const kind of ['openai','mistral','ollama'] as const) for (const streaming of ['true','false']) {
  const stub = await startLlmStub(kind, answerScript([{ text: 'Inetum va créer 1 500 emplois [1] d’ici 2027 [7].', tokenDelayMs: 5 }]));
  const env: any = { CORPUS_DIR: s.corpus, INDEX_DIR: s.index, LLM_PROVIDER: kind, LLM_STREAMING: streaming, LOG_LEVEL: 'debug' };
  if (kind==='openai') { env.OPENAI_BASE_URL = stub.url; }
  if (kind==='mistral') { env.MISTRAL_BASE_URL = stub.url; env.MISTRAL_API_KEY='k'; }
  if (kind==='ollama') env.OLLAMA_BASE_URL = stub.url;
  const engine = await Akhbar.open(loadSettings(env));
  const partials: string[] = [];
  const r = await engine.ask("Combien d'emplois Inetum va-t-il créer ?", { onPartial: (t) => partials.push(t) });
  console.log(kind, streaming, JSON.stringify({answer: r.answer, n: r.citations.map(c=>c.articleId), notices: r.notices, partials: partials.length, reqs: stub.requests.map(q=>[q.path,q.stream])}));
  await stub.close();
}
