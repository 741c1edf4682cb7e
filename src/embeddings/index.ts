// Embeddings stage entry point: picks an embedder by EMBEDDINGS_PROVIDER (LangChain's for remote providers).
import type { Settings } from '../config.js';
import { EmbedderError } from './errors.js';
import { LOCAL_MODEL, LocalHashEmbeddings } from './local.js';
import type { TextEmbeddings } from './types.js';

export { EmbedderError };
export type { TextEmbeddings };

export interface EmbedderInfo {
  provider: Settings['EMBEDDINGS_PROVIDER'];
  model: string;
}

export interface Embedder {
  info: EmbedderInfo;
  embeddings: TextEmbeddings;
}

export function describeEmbedder(info: { provider: string; model: string; dimension?: number }): string {
  return `${info.provider}:${info.model}${info.dimension ? ` (${info.dimension}d)` : ''}`;
}

const DEFAULT_MODELS = {
  transformers: 'Xenova/multilingual-e5-small',
  openai: 'text-embedding-3-small',
  ollama: 'nomic-embed-text',
} as const;

export async function createEmbedder(settings: Settings): Promise<Embedder> {
  const provider = settings.EMBEDDINGS_PROVIDER;
  if (provider === 'local') {
    return {
      info: { provider, model: `${LOCAL_MODEL}-${settings.EMBEDDINGS_DIMENSIONS}` },
      embeddings: new LocalHashEmbeddings(settings.EMBEDDINGS_DIMENSIONS),
    };
  }
  const model = settings.EMBEDDINGS_MODEL ?? DEFAULT_MODELS[provider];
  if (provider === 'transformers') {
    const { createTransformersEmbeddings } = await import('./transformers.js');
    return { info: { provider, model }, embeddings: await createTransformersEmbeddings(model, settings) };
  }
  if (provider === 'openai') {
    if (!settings.OPENAI_API_KEY && !settings.OPENAI_BASE_URL) {
      throw new EmbedderError('EMBEDDINGS_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server); see .env.example');
    }
    const { OpenAIEmbeddings } = await import('@langchain/openai');
    return {
      info: { provider, model },
      embeddings: new OpenAIEmbeddings({
        model,
        apiKey: settings.OPENAI_API_KEY ?? 'not-needed',
        configuration: settings.OPENAI_BASE_URL ? { baseURL: settings.OPENAI_BASE_URL } : undefined,
      }),
    };
  }
  const { OllamaEmbeddings } = await import('@langchain/ollama');
  return { info: { provider, model }, embeddings: new OllamaEmbeddings({ model, baseUrl: settings.OLLAMA_BASE_URL }) };
}
