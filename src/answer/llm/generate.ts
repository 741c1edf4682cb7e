// One model call that always ends: a deadline for the first token (retries
// included) and between two tokens, and retries with backoff on 429, 5xx and
// network errors, only while nothing has been streamed yet.
// Hand-written rather than LangChain's AsyncCaller: the three client libraries
// report HTTP statuses under different names, and retries must share the deadline.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { ChatMessage } from './prompt.js';

export class LlmTimeoutError extends Error {
  constructor(ms: number) {
    super(`the language model sent nothing for ${ms} ms`);
  }
}

export interface GenerateOptions {
  timeoutMs: number;
  maxRetries: number;
  /** Stream the reply, reporting the text so far after each token. */
  onText?: (textSoFar: string) => void;
}

const BACKOFF_MS = 500;
const MAX_RETRY_AFTER_MS = 10_000;

/** The HTTP status of a client library's error: openai says `status`, Mistral `statusCode`, Ollama `status_code`. */
function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; statusCode?: unknown; status_code?: unknown; response?: { status?: unknown } } | null;
  const status = e?.status ?? e?.statusCode ?? e?.status_code ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function retryable(error: unknown): boolean {
  if (error instanceof LlmTimeoutError) return false;
  const status = statusOf(error);
  // No status: the connection failed or was reset, worth another try.
  return status === undefined ? (error as Error)?.name !== 'AbortError' : status === 429 || status >= 500;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  const value = headers instanceof Headers ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  const seconds = Number(value);
  return value && Number.isFinite(seconds) ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}

function backoff(attempt: number, error: unknown): number {
  return retryAfterMs(error) ?? BACKOFF_MS * 2 ** attempt * (0.75 + Math.random() / 2);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part === 'string' ? part : part?.type === 'text' ? String(part.text ?? '') : '')).join('');
}

export async function generate(model: BaseChatModel, messages: ChatMessage[], options: GenerateOptions): Promise<string> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  expired.catch(() => undefined);
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new LlmTimeoutError(options.timeoutMs)), options.timeoutMs);
  };
  /** Whatever the library does with the signal, the deadline wins the race. */
  const race = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => undefined);
    return Promise.race([p, expired]);
  };
  const input = messages.map((m) => (m.role === 'system' ? new SystemMessage(m.content) : new HumanMessage(m.content)));
  let text = '';
  const once = async (): Promise<string> => {
    const callOptions = { signal: controller.signal };
    if (!options.onText) return contentText((await race(model.invoke(input, callOptions))).content);
    const stream = (await race(model.stream(input, callOptions)))[Symbol.asyncIterator]();
    for (;;) {
      const next = await race(stream.next());
      if (next.done) return text;
      const piece = contentText(next.value.content);
      if (!piece) continue;
      arm();
      text += piece;
      options.onText(text);
    }
  };
  arm();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once();
      } catch (error) {
        const reason = controller.signal.aborted ? controller.signal.reason : error;
        if (text || attempt >= options.maxRetries || !retryable(reason)) throw reason;
        await race(new Promise((resolve) => setTimeout(resolve, backoff(attempt, error))));
      }
    }
  } finally {
    clearTimeout(timer);
    // Stops whatever the client library may still be doing (a hung request, an unread stream).
    controller.abort(new Error('done'));
  }
}
