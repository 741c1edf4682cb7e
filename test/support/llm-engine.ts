// An Akhbar engine on a scratch copy of the seed corpus, answering through an LLM stub.
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import type { LlmStub, StubKind } from './llm-stubs.js';

/** The environment that points LLM_PROVIDER=kind at the stub. */
export function stubEnv(kind: StubKind, stub: LlmStub): Record<string, string> {
  if (kind === 'openai') return { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: stub.url, OPENAI_API_KEY: 'sk-test-key' };
  if (kind === 'mistral') return { LLM_PROVIDER: 'mistral', MISTRAL_BASE_URL: stub.url, MISTRAL_API_KEY: 'mistral-test-key' };
  return { LLM_PROVIDER: 'ollama', OLLAMA_BASE_URL: stub.url };
}

export function openEngine(dirs: { corpus: string; index: string }, env: Record<string, string>): Promise<Akhbar> {
  return Akhbar.open(loadSettings({ CORPUS_DIR: dirs.corpus, INDEX_DIR: dirs.index, LOG_LEVEL: 'silent', EMBEDDINGS_PROVIDER: 'local', ...env }));
}
