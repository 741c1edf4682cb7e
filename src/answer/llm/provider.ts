// One LangChain chat model per LLM_PROVIDER. Retries are ours (see generate.ts),
// so every client is built with maxRetries 0. The client library is imported
// when a model is first built: together they cost ~0.5 s and ~110 MB at start-up,
// which a bot or `akhbar ask` without an LLM (or with another provider) never needs.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Settings } from '../../config.js';

export const DEFAULT_MODELS = { openai: 'gpt-4o-mini', mistral: 'mistral-small-latest', ollama: 'llama3.1' } as const;

/** Local OpenAI-compatible servers and Mistral deployments often need no key, but the clients insist on one. */
const NO_KEY = 'not-needed';

export interface ModelOptions {
  maxTokens: number;
  temperature: number;
  streaming: boolean;
}

export type LlmProvider = Exclude<Settings['LLM_PROVIDER'], 'none'>;

export async function createChatModel(settings: Settings, provider: LlmProvider, options: ModelOptions): Promise<BaseChatModel> {
  const model = settings.LLM_MODEL ?? DEFAULT_MODELS[provider];
  const common = { model, temperature: options.temperature, maxRetries: 0 };
  switch (provider) {
    case 'openai': {
      const { ChatOpenAI } = await import('@langchain/openai');
      return new ChatOpenAI({
        ...common,
        maxTokens: options.maxTokens,
        streaming: options.streaming,
        apiKey: settings.OPENAI_API_KEY ?? NO_KEY,
        configuration: settings.OPENAI_BASE_URL ? { baseURL: settings.OPENAI_BASE_URL } : undefined,
      });
    }
    case 'mistral': {
      const { ChatMistralAI } = await import('@langchain/mistralai');
      return new ChatMistralAI({
        ...common,
        maxTokens: options.maxTokens,
        streaming: options.streaming,
        apiKey: settings.MISTRAL_API_KEY ?? NO_KEY,
        serverURL: settings.MISTRAL_BASE_URL,
      });
    }
    case 'ollama': {
      const { ChatOllama } = await import('@langchain/ollama');
      return new ChatOllama({ ...common, numPredict: options.maxTokens, streaming: options.streaming, baseUrl: settings.OLLAMA_BASE_URL });
    }
  }
}
