// The core, as the surfaces (CLI, Discord) see it: one object that owns the
// live index and answers, searches, lists and re-indexes. Nothing here knows
// which surface is calling.
import path from 'node:path';
import type { Settings } from '../config.js';
import { refusal, extractiveAnswer } from '../answer/extractive.js';
import type { LlmAnswerer } from '../answer/llm/index.js';
import { messages } from '../answer/messages.js';
import { searchText } from '../answer/question.js';
import { createEmbedder, describeEmbedder, type Embedder } from '../embeddings/index.js';
import type { CorpusStore, SearchLoad } from '../index/corpus-store.js';
import { openIndexBackend, type IndexBackend } from '../index/backend.js';
import { ANALYZER_REBUILD_NOTE, AnalyzerChangedError, verifyLiveFiles } from '../index/index.js';
import type { AddOutcome } from '../ingest/add.js';
import { detectLanguage } from '../ingest/language.js';
import { retrieve, type RetrievalMode } from '../retrieve/index.js';
import type { AnswerResult, Article, ArticleMeta, IndexReport, Lang, SearchHit, Turn } from '../types.js';

export class EmptyQuestionError extends Error {}

// Loaded on use: the HTML parsers (readability, linkedom), YAML and feed code cost
// ~0.3 s of start-up, and asking on a built index needs none of them.
const scanCorpus = async (dir: string, maxArticleBytes: number, known?: ReadonlyMap<string, Article>) => (await import('../ingest/index.js')).scanCorpus(dir, { maxArticleBytes, known });

export interface AskOptions {
  /** Earlier turns of a conversation: they inform retrieval of a follow-up. */
  history?: Turn[];
  k?: number;
  /** Called with the answer text so far while an LLM streams it (never for extractive answers). */
  onPartial?: (text: string) => void;
}

export interface EngineStats {
  articles: number;
  chunks: number;
  embedder: string;
  answerMode: string;
}

export interface EngineOptions {
  onIndexProgress?: (done: number, total: number) => void;
  /** How many searches this process will make (default many: a bot or a batch). */
  searches?: SearchLoad;
}

export class Akhbar {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly settings: Settings,
    readonly embedder: Embedder,
    private readonly backend: IndexBackend,
    private store: CorpusStore,
    readonly lastIndexReport: IndexReport | undefined,
    /** Undefined with LLM_PROVIDER=none: answers are extractive. */
    private readonly llm: LlmAnswerer | undefined,
    private readonly searches: SearchLoad,
  ) {}

  get corpusDir(): string {
    return path.resolve(this.settings.CORPUS_DIR);
  }

  get indexDir(): string {
    return path.resolve(this.settings.INDEX_DIR);
  }

  /** Loads the index, building it from the corpus when there is none yet. */
  static async open(settings: Settings, options: EngineOptions = {}): Promise<Akhbar> {
    const embedder = await createEmbedder(settings);
    const backend = await openIndexBackend(settings, embedder);
    try {
      // LangChain's message classes cost ~0.25 s to import: only with an LLM configured.
      const llm = settings.LLM_PROVIDER === 'none' ? undefined : (await import('../answer/llm/index.js')).createLlmAnswerer(settings);
      // An index from another version of the text analysis is rebuilt (the shared store's too), as when there is none.
      let analyzerChanged = false;
      const searches = options.searches ?? 'many';
      const existing = await backend.openStore(searches).catch((error: unknown) => {
        if (!(error instanceof AnalyzerChangedError)) throw error;
        analyzerChanged = true;
        return undefined;
      });
      if (existing) return new Akhbar(settings, embedder, backend, existing, undefined, llm, searches);
      const scan = await scanCorpus(path.resolve(settings.CORPUS_DIR), settings.MAX_ARTICLE_BYTES);
      const { report: built, store } = await backend.update(scan, { rebuild: analyzerChanged, onProgress: options.onIndexProgress, searches });
      const report = analyzerChanged ? { ...built, warnings: [ANALYZER_REBUILD_NOTE, ...built.warnings] } : built;
      return new Akhbar(settings, embedder, backend, store, report, llm, searches);
    } catch (error) {
      await backend.close();
      throw error;
    }
  }

  /** Releases the store's connections (a no-op for the embedded store). */
  close(): Promise<void> {
    return this.backend.close();
  }

  /** Re-scans the corpus and updates the index. Calls are queued, never run twice at once. */
  reindex(options: { rebuild?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<IndexReport> {
    const run = this.queue.then(async () => {
      // The live store's articles: files that kept their stamp are not read again (a bot's first re-index read them all).
      const scan = await scanCorpus(this.corpusDir, this.settings.MAX_ARTICLE_BYTES, options.rebuild ? undefined : this.store.scannedArticles?.());
      const { report, store } = await this.backend.update(scan, { ...options, searches: this.searches });
      this.store = store;
      return report;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Adds files or URLs to the corpus (src/ingest/add.ts), then indexes what is new. */
  async add(inputs: string[]): Promise<AddOutcome & { report?: IndexReport }> {
    // Loaded here: the fetcher (undici) alone costs a fresh `akhbar ask` ~0.1 s.
    const [{ addSources }, { fetchLimits }] = await Promise.all([import('../ingest/add.js'), import('../ingest/fetch-url.js')]);
    const outcome = await addSources(this.corpusDir, inputs, fetchLimits(this.settings));
    const report = outcome.results.some((r) => r.status === 'added') ? await this.reindex() : undefined;
    return { ...outcome, report };
  }

  prepareQuestion(raw: string): { question: string; lang: Lang; notices: string[] } {
    const trimmed = raw.replace(/\s+/g, ' ').trim();
    if (!trimmed) throw new EmptyQuestionError('The question is empty: ask something about the articles.');
    const max = this.settings.MAX_QUESTION_CHARS;
    const question = trimmed.length > max ? trimmed.slice(0, max) : trimmed;
    const lang = detectLanguage(question);
    return { question, lang, notices: trimmed.length > max ? [messages(lang).truncated(max)] : [] };
  }

  async search(query: string, k = 5, mode: RetrievalMode = 'hybrid'): Promise<SearchHit[]> {
    const { question, lang } = this.prepareQuestion(query);
    return (await retrieve(this.store, this.embedder.embeddings, searchText(question), lang, { k, mode })).hits;
  }

  async ask(raw: string, options: AskOptions = {}): Promise<AnswerResult> {
    const started = performance.now();
    const { question, lang, notices } = this.prepareQuestion(raw);
    const plan = await this.llm?.plan(question, lang, options.history);
    const variants = (options.history ?? []).slice(-2).map((t) => `${t.question} ${t.answer}`.slice(0, 500));
    const { hits, timings } = await retrieve(this.store, this.embedder.embeddings, plan?.query ?? searchText(question), lang, {
      k: options.k ?? this.settings.RETRIEVAL_TOP_K,
      variants: plan?.variants ?? variants,
    });
    const t = performance.now();
    const extractive = () =>
      extractiveAnswer(question, lang, hits, (terms) => this.store.idf(terms), options.history?.at(-1)?.question, async (id) => (await this.store.getArticle(id))?.text);
    const result =
      // Only a question with no hits can come from an empty corpus: no count query on the usual path.
      hits.length === 0 && (await this.store.counts()).articles === 0
        ? { ...refusal(question, lang, []), answer: messages(lang).emptyCorpus }
        : plan
          ? await plan.answer(hits, options.onPartial, extractive)
          : await extractive();
    const answerMs = performance.now() - t;
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      ...result,
      notices: [...notices, ...result.notices],
      timings: {
        embedMs: round(timings.embedMs),
        vectorMs: round(timings.vectorMs),
        keywordMs: round(timings.keywordMs),
        fuseMs: round(timings.fuseMs),
        answerMs: round(answerMs),
        totalMs: round(performance.now() - started),
      },
    };
  }

  listArticles(): Promise<ArticleMeta[]> {
    return this.store.listArticles();
  }

  getArticle(id: string) {
    return this.store.getArticle(id);
  }

  /** Every byte of the embedded index checked against its checksums (a shared store lives in Postgres): the problem, if any. */
  async verifyIndex(): Promise<string | undefined> {
    if (this.settings.VECTOR_STORE === 'pgvector') return undefined;
    return (await verifyLiveFiles(this.indexDir))?.message;
  }

  async stats(): Promise<EngineStats> {
    const counts = await this.store.counts();
    return {
      ...counts,
      embedder: describeEmbedder(this.store.embedder),
      answerMode: this.settings.LLM_PROVIDER === 'none' ? 'extractive' : `llm:${this.settings.LLM_PROVIDER}`,
    };
  }
}
