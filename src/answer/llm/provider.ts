// One LangChain chat model per LLM_PROVIDER. Retries are ours (see generate.ts),
// so every client is built with maxRetries 0.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatMistralAI } from '@langchain/mistralai';
import { ChatOllama } from '@langchain/ollama';
import { ChatOpenAI } from '@langchain/openai';
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

export function createChatModel(settings: Settings, provider: LlmProvider, options: ModelOptions): BaseChatModel {
  const model = settings.LLM_MODEL ?? DEFAULT_MODELS[provider];
  const common = { model, temperature: options.temperature, maxRetries: 0 };
  switch (provider) {
    case 'openai':
      return new ChatOpenAI({
        ...common,
        maxTokens: options.maxTokens,
        streaming: options.streaming,
        apiKey: settings.OPENAI_API_KEY ?? NO_KEY,
        configuration: settings.OPENAI_BASE_URL ? { baseURL: settings.OPENAI_BASE_URL } : undefined,
      });
    case 'mistral':
      return new ChatMistralAI({
        ...common,
        maxTokens: options.maxTokens,
        streaming: options.streaming,
        apiKey: settings.MISTRAL_API_KEY ?? NO_KEY,
        serverURL: settings.MISTRAL_BASE_URL,
      });
    case 'ollama':
      return new ChatOllama({ ...common, numPredict: options.maxTokens, streaming: options.streaming, baseUrl: settings.OLLAMA_BASE_URL });
  }
}
