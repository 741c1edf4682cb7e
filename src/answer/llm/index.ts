// LLM answers, as the engine sees them: first search queries (a follow-up made
// standalone, and the question in the other language), then a grounded answer
// whose citations are verified. Whatever goes wrong, the extractive answer
// stands in, with a note saying why.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Settings } from '../../config.js';
import { createLogger, type Logger } from '../../logger.js';
import type { AnswerResult, Lang, SearchHit, Turn } from '../../types.js';
import { refusal } from '../compose.js';
import { messages } from '../messages.js';
import { isNoAnswer, NO_ANSWER, mayBecomeNoAnswer, partialText, verifyCitations } from './citations.js';
import { generate, LlmTimeoutError } from './generate.js';
import { answerMessages, parseRewrite, rewriteMessages } from './prompt.js';
import { createChatModel, type LlmProvider } from './provider.js';

type Answer = Omit<AnswerResult, 'timings'>;

export interface AnswerPlan {
  /** The main search query (the standalone question for a follow-up). */
  query: string;
  /** Extra queries fused with it: the other language's version (undefined: the engine's usual ones). */
  variants: string[] | undefined;
  /** Generates and verifies the answer from the retrieved passages. */
  answer(hits: SearchHit[], onPartial: ((text: string) => void) | undefined, extractive: () => Promise<Answer>): Promise<Answer>;
}

const REWRITE_MAX_TOKENS = 200;
/** The no-answer token where the model put it anyway (mid-reply, after a sentence). */
const NO_ANSWER_ANYWHERE = new RegExp(`\\b${NO_ANSWER}\\b[:.]?\\s*`, 'gi');

export class LlmAnswerer {
  private readonly answerModel: Promise<BaseChatModel>;
  private readonly rewriteModel: Promise<BaseChatModel>;
  private readonly log: Logger;

  constructor(private readonly settings: Settings, provider: LlmProvider) {
    const streaming = settings.LLM_STREAMING;
    this.answerModel = createChatModel(settings, provider, { maxTokens: settings.LLM_MAX_TOKENS, temperature: settings.LLM_TEMPERATURE, streaming });
    this.rewriteModel = createChatModel(settings, provider, { maxTokens: REWRITE_MAX_TOKENS, temperature: 0, streaming: false });
    // Awaited at first use; marked handled here so a failed import is reported there, not as an unhandled rejection.
    for (const model of [this.answerModel, this.rewriteModel]) model.catch(() => undefined);
    this.log = createLogger(settings.LOG_LEVEL);
  }

  /** Rewrites the question for search; without a usable rewrite, searches with the question as asked. */
  async plan(question: string, lang: Lang, history: Turn[] = []): Promise<AnswerPlan> {
    let rewrite: Record<Lang, string> | undefined;
    let providerDown = false;
    try {
      const reply = await generate(await this.rewriteModel, rewriteMessages(question, history), { timeoutMs: this.settings.LLM_TIMEOUT_MS, maxRetries: 0 });
      rewrite = parseRewrite(reply);
      if (!rewrite) this.log.debug('query rewrite: unreadable reply, searching with the question as asked');
    } catch (error) {
      // A provider that let the rewrite time out would make the answer wait as long again.
      providerDown = error instanceof LlmTimeoutError;
      this.log.warn(`query rewrite failed (${(error as Error).message}); searching with the question as asked`);
    }
    const other: Lang = lang === 'fr' ? 'en' : 'fr';
    const standalone = history.length && rewrite ? rewrite[lang] : question;
    return {
      query: standalone,
      variants: rewrite ? [rewrite[other]] : undefined,
      answer: (hits, onPartial, extractive) =>
        providerDown ? this.fallback(extractive, lang, 'llmUnavailable') : this.answer(question, lang, standalone, hits, onPartial, extractive),
    };
  }

  private async answer(
    question: string,
    lang: Lang,
    standalone: string,
    hits: SearchHit[],
    onPartial: ((text: string) => void) | undefined,
    extractive: () => Promise<Answer>,
  ): Promise<Answer> {
    if (!hits.length) return refusal(question, lang, hits);
    let reply: string;
    try {
      reply = await generate(await this.answerModel, answerMessages(question, lang, hits, standalone), {
        timeoutMs: this.settings.LLM_TIMEOUT_MS,
        maxRetries: this.settings.LLM_MAX_RETRIES,
        onText: this.settings.LLM_STREAMING ? (text) => this.showPartial(text, hits, onPartial) : undefined,
      });
    } catch (error) {
      this.log.warn(`language model unavailable (${(error as Error).message}); answering extractively`);
      return this.fallback(extractive, lang, 'llmUnavailable');
    }
    const verified = verifyCitations(reply.replace(NO_ANSWER_ANYWHERE, '').trim(), hits);
    if (isNoAnswer(reply) || (!verified.citations.length && reply.toUpperCase().includes(NO_ANSWER))) return refusal(question, lang, hits);
    if (!verified.citations.length) {
      this.log.warn('the generated answer cited no given passage; answering extractively');
      return this.fallback(extractive, lang, 'llmUngrounded');
    }
    return { question, language: lang, answer: verified.text, refused: false, citations: verified.citations, notices: [] };
  }

  private showPartial(text: string, hits: SearchHit[], onPartial: ((text: string) => void) | undefined): void {
    if (!onPartial || mayBecomeNoAnswer(text)) return;
    const shown = partialText(text, hits);
    if (!shown) return;
    try {
      onPartial(shown);
    } catch (error) {
      // A surface that fails to show progress must not cost the answer.
      this.log.warn(`showing a partial answer failed: ${(error as Error).message}`);
    }
  }

  private async fallback(extractive: () => Promise<Answer>, lang: Lang, why: 'llmUnavailable' | 'llmUngrounded'): Promise<Answer> {
    const result = await extractive();
    return { ...result, notices: [messages(lang)[why], ...result.notices] };
  }
}

export function createLlmAnswerer(settings: Settings): LlmAnswerer | undefined {
  return settings.LLM_PROVIDER === 'none' ? undefined : new LlmAnswerer(settings, settings.LLM_PROVIDER);
}
