// Index stage entry point: scan → diff against the manifest → embed and analyse
// only new or changed articles → write a new generation atomically.
import type { Embedder } from '../embeddings/index.js';
import { describeEmbedder } from '../embeddings/index.js';
import { LocalHashEmbeddings } from '../embeddings/local.js';
import type { ChunkSpan } from '../ingest/chunk.js';
import { chunkArticle } from '../ingest/parse-thread.js';
import { sameStamp } from '../ingest/files.js';
import { scanCorpus, type CorpusScan } from '../ingest/index.js';
import { analyze, ANALYZER_FINGERPRINT, words } from '../text/analyze.js';
import type { Article, ArticleMeta, IndexReport } from '../types.js';
import { withIndexLock } from './lock.js';
import { chunkTerms, chunkVector, headOf } from './prepare.js';
import { PrepareThread } from './prepare-thread.js';
import type { EmbedderStamp, SearchLoad } from './corpus-store.js';
import { HnswStore, type IndexedArticles } from './store.js';
import { GRAPH_SETTINGS } from './vector.js';
import { eventLoopYielder } from './yield.js';

export { HnswStore, IndexCorruptError, IndexWriteError, verifyLiveFiles, type IndexedArticles } from './store.js';

export class EmbedderMismatchError extends Error {}
/**
 * The index was built by another version of the text analysis: not a choice
 * the operator made, so indexing rebuilds it from the corpus instead of failing.
 */
export class AnalyzerChangedError extends EmbedderMismatchError {}

/** Said in the report of an index rebuilt because the text analysis changed. */
export const ANALYZER_REBUILD_NOTE = 'The index was built by another version of the text analysis or vector graph: it was rebuilt from the corpus.';

/** Whether the index's terms, vectors and graph were made the way this version makes them. */
export function builtAlike(stamp: EmbedderStamp): boolean {
  return stamp.analyzer === ANALYZER_FINGERPRINT && stamp.graph === GRAPH_SETTINGS;
}

const EMBED_BATCH = 64;

/** What the keyword index sees of a chunk: the headline and outlet travel with every chunk. */
export function keywordTerms(text: string, meta: Pick<ArticleMeta, 'title' | 'source' | 'lang'>): string[] {
  return analyze(`${meta.title}\n${meta.source}\n${text}`, meta.lang);
}

/** What the embedder sees of a chunk. */
export function embeddingText(text: string, meta: Pick<ArticleMeta, 'title'>): string {
  return `${meta.title}\n${text}`;
}

export function assertSameEmbedder(stamp: EmbedderStamp, embedder: Embedder, indexDir: string): void {
  if (!builtAlike(stamp)) {
    throw new AnalyzerChangedError(
      `The index in ${indexDir} was built by ${stamp.analyzer ? `text analyzer ${stamp.analyzer}` : 'an older text analyzer'}${stamp.graph ? ` with a ${stamp.graph} graph` : ''}; ` +
        `this version of akhbar analyses text with ${ANALYZER_FINGERPRINT} and builds a ${GRAPH_SETTINGS} graph. Run \`akhbar index --rebuild\` to rebuild it from the corpus.`,
    );
  }
  if (stamp.provider !== embedder.info.provider || stamp.model !== embedder.info.model) {
    throw new EmbedderMismatchError(
      `The index in ${indexDir} was built with ${describeEmbedder(stamp)}, but the configured embedder is ` +
        `${describeEmbedder(embedder.info)}. Run \`akhbar index --rebuild\` to re-embed the corpus, or set EMBEDDINGS_PROVIDER/EMBEDDINGS_MODEL back.`,
    );
  }
}

export interface UpdateOptions {
  indexDir: string;
  scan: CorpusScan;
  embedder: Embedder;
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** How the returned store will be searched (default many: the graph is built). */
  searches?: SearchLoad;
  /** The live generation's articles as the caller read them: not read again while that generation is live. */
  indexed?: IndexedArticles;
}

export async function stampOf(embedder: Embedder): Promise<EmbedderStamp> {
  const probe = await embedder.embeddings.embedQuery('dimension probe');
  return { ...embedder.info, dimension: probe.length, analyzer: ANALYZER_FINGERPRINT, graph: GRAPH_SETTINGS };
}

/** Milliseconds spent in each stage of an index update (for `npm run bench`). */
export interface IndexPhases {
  chunkMs: number;
  embedMs: number;
  analyzeMs: number;
  insertMs: number;
  saveMs: number;
}

const noPhases = (): IndexPhases => ({ chunkMs: 0, embedMs: 0, analyzeMs: 0, insertMs: 0, saveMs: 0 });

/** One chunk ready for the index: its span in the article's text, vector and BM25 terms. */
export interface PreparedChunk {
  start: number;
  end: number;
  vector: number[];
  terms: string[];
}

/**
 * Below this many chunks a build prepares them on the main thread: the thread's
 * first batch comes back after 0.4–0.7 s (loading the bundle, stemmers and
 * glossary), about what preparing 2,000 chunks takes on the main thread.
 */
const THREAD_MIN_CHUNKS = 2_000;
/** Batches the preparation thread works on ahead of the one being inserted (it never waits on the main thread). */
const THREAD_BATCHES_AHEAD = 2;

/**
 * Chunks, embeds and analyses articles, handing each article's chunks over as
 * soon as its batch is embedded: a build inserts vectors as they come instead
 * of holding all of them (at 113k chunks, 384 numbers each, about 350 MB).
 * With the local embedder and `offThread` (by default: at least THREAD_MIN_CHUNKS
 * chunks), batches are analysed and embedded on a worker thread, ahead of the
 * caller's inserts; `phases` then counts the thread's time.
 */
export async function* preparedArticles(
  articles: Article[],
  embedder: Embedder,
  onProgress?: (done: number, total: number) => void,
  phases: IndexPhases = noPhases(),
  offThread?: boolean,
): AsyncGenerator<{ article: Article; chunks: PreparedChunk[] }> {
  const pause = eventLoopYielder();
  const t = performance.now();
  const spans: ChunkSpan[][] = [];
  for (const a of articles) {
    spans.push(await chunkArticle(a));
    await pause();
  }
  const total = spans.reduce((sum, s) => sum + s.length, 0);
  phases.chunkMs += performance.now() - t;
  const local = embedder.embeddings instanceof LocalHashEmbeddings ? embedder.embeddings : undefined;
  const thread = local && (offThread ?? total >= THREAD_MIN_CHUNKS) ? PrepareThread.start(local.dimensions) : undefined;
  const batches = batchRanges(spans);
  const prepare = ({ from, to }: BatchRange) =>
    thread ? prepareOffThread(thread, articles.slice(from, to), spans.slice(from, to), phases) : prepareBatch(articles.slice(from, to), spans.slice(from, to), embedder, phases);
  const queue: Array<Promise<PreparedChunk[][]>> = [];
  let next = 0;
  let done = 0;
  try {
    for (const { from, to, chunks } of batches) {
      while (next < batches.length && queue.length <= (thread ? THREAD_BATCHES_AHEAD : 0)) {
        const batch = prepare(batches[next++]!);
        batch.catch(() => undefined); // awaited in turn below, where a failure is thrown
        queue.push(batch);
      }
      const prepared = await queue.shift()!;
      done += chunks;
      onProgress?.(done, total);
      for (let i = from; i < to; i++) {
        // Handed over for good: a large build lets each article's spans go (at 113k chunks, about 7 MB held to the end).
        spans[i] = [];
        yield { article: articles[i]!, chunks: prepared[i - from]! };
      }
    }
  } finally {
    await thread?.stop();
  }
}

interface BatchRange {
  from: number;
  to: number;
  chunks: number;
}

/** Runs of whole articles of at least EMBED_BATCH chunks (the last one may be shorter). */
function batchRanges(spans: ChunkSpan[][]): BatchRange[] {
  const out: BatchRange[] = [];
  let from = 0;
  let chunks = 0;
  spans.forEach((s, i) => {
    chunks += s.length;
    if (chunks < EMBED_BATCH && i < spans.length - 1) return;
    out.push({ from, to: i + 1, chunks });
    from = i + 1;
    chunks = 0;
  });
  return out;
}

/** Every article's prepared chunks at once (the shared store writes them in one transaction). */
export async function prepareChunks(articles: Article[], embedder: Embedder, onProgress?: (done: number, total: number) => void): Promise<PreparedChunk[][]> {
  const out: PreparedChunk[][] = [];
  for await (const { chunks } of preparedArticles(articles, embedder, onProgress)) out.push(chunks);
  return out;
}

/** Embeds and analyses a batch of articles' chunks on this thread. */
async function prepareBatch(articles: Article[], spans: ChunkSpan[][], embedder: Embedder, phases: IndexPhases): Promise<PreparedChunk[][]> {
  const pause = eventLoopYielder();
  const local = embedder.embeddings instanceof LocalHashEmbeddings ? embedder.embeddings : undefined;
  const prepared: PreparedChunk[][] = [];
  for (const [i, a] of articles.entries()) {
    const head = headOf(a);
    const chunks: PreparedChunk[] = [];
    // Read once: an article's text may be decoded from bytes on every read (withUtf8Text).
    const whole = a.text;
    // A pause per chunk: one long article has thousands of them.
    for (const { start, end } of spans[i]!) {
      let t = performance.now();
      const text = words(whole.slice(start, end));
      const terms = chunkTerms(head, text);
      phases.analyzeMs += performance.now() - t;
      t = performance.now();
      const vector = local ? chunkVector(head, text, local) : [];
      phases.embedMs += performance.now() - t;
      chunks.push({ start, end, vector, terms });
      await pause();
    }
    prepared.push(chunks);
  }
  if (!local) await embedElsewhere(articles, prepared, embedder, phases);
  return prepared;
}

/** The same as prepareBatch with the local embedder, on the preparation thread. */
async function prepareOffThread(thread: PrepareThread, articles: Article[], spans: ChunkSpan[][], phases: IndexPhases): Promise<PreparedChunk[][]> {
  const { terms, vectors, analyzeMs, embedMs } = await thread.prepare(articles, spans);
  phases.analyzeMs += analyzeMs!;
  phases.embedMs += embedMs!;
  const count = spans.reduce((sum, s) => sum + s.length, 0);
  const dimension = count ? vectors!.length / count : 0;
  let row = 0;
  return spans.map((list, i) =>
    list.map(({ start, end }, j) => ({ start, end, terms: terms![i]![j]!, vector: Array.from(vectors!.subarray(row * dimension, ++row * dimension)) })),
  );
}

/** Fills in the vectors of a batch through an embedder that takes text (a model, a service). */
async function embedElsewhere(articles: Article[], prepared: PreparedChunk[][], embedder: Embedder, phases: IndexPhases): Promise<void> {
  const t = performance.now();
  const chunks = prepared.flatMap((list, i) => {
    const text = articles[i]!.text;
    return list.map((c) => ({ chunk: c, text: embeddingText(text.slice(c.start, c.end), articles[i]!) }));
  });
  const vectors = await embedder.embeddings.embedDocuments(chunks.map((c) => c.text));
  chunks.forEach((c, i) => (c.chunk.vector = vectors[i]!));
  phases.embedMs += performance.now() - t;
}

/** Brings the index in `indexDir` in line with the scanned corpus. Returns the report and the live store. */
export async function updateIndex(options: UpdateOptions): Promise<{ report: IndexReport; store: HnswStore; phases: IndexPhases }> {
  const { indexDir, scan, embedder, rebuild = false } = options;
  const started = performance.now();
  return withIndexLock(indexDir, async () => {
    let store: HnswStore | undefined;
    let analyzerChanged = false;
    if (!rebuild) {
      // Not the graph: an update of a few articles adds to the delta beside it (see prepareToAdd).
      store = await HnswStore.load(indexDir, { searches: 'none', indexed: options.indexed });
      analyzerChanged = store !== undefined && !builtAlike(store.manifest.embedder);
      if (analyzerChanged) store = undefined;
      else if (store) assertSameEmbedder(store.manifest.embedder, embedder, indexDir);
    }
    const wasEmpty = !store;
    store ??= HnswStore.empty(await stampOf(embedder));
    const existing = new Map(store.articles().map((a) => [a.id, a]));
    const incoming = new Map(scan.articles.map((a) => [a.id, a]));
    const added = scan.articles.filter((a) => !existing.has(a.id));
    const updated = scan.articles.filter((a) => existing.has(a.id) && existing.get(a.id)!.hash !== a.hash);
    const removed = [...existing.keys()].filter((id) => !incoming.has(id));
    const changed = added.length + updated.length + removed.length > 0;
    // Unchanged files whose stamp moved (a copy, `touch`, an index older than stamps) were read
    // and hashed again: recording their new stamps spares the next runs that work.
    let restamped = false;
    for (const a of scan.articles) {
      const entry = existing.get(a.id);
      if (entry?.hash !== a.hash || !a.stamp || sameStamp(entry.stamp, a.stamp)) continue;
      entry.stamp = a.stamp;
      restamped = true;
    }

    const pause = eventLoopYielder();
    store.removeArticles([...removed, ...updated.map((a) => a.id)]);
    await pause();
    const fresh = [...updated, ...added];
    const searches = options.searches ?? 'many';
    const phases = noPhases();
    // A build from scratch holds no article text in memory from insertion to the save (see text-spool.ts).
    if (wasEmpty && fresh.length > 0) store.spoolTexts(indexDir);
    let saved = false;
    try {
      for await (const { article, chunks } of preparedArticles(fresh, embedder, options.onProgress, phases)) {
        // A delta about to pass its limit: the graph is read first, and the save writes it whole.
        await store.prepareToAdd(chunks.length);
        const t = performance.now();
        store.addArticle(article, chunks);
        phases.insertMs += performance.now() - t;
        await pause();
      }
      const t = performance.now();
      if (changed || wasEmpty || restamped) await store.save(indexDir);
      phases.saveMs = performance.now() - t;
      saved = true;
    } finally {
      // Read back for a store that will be searched, or after a failure (the process may go on with these articles).
      store.settleTexts(!saved || searches !== 'none');
    }
    await store.prepareSearches(searches);

    const report: IndexReport = {
      articles: store.articles().length,
      chunks: store.manifest.chunkCount,
      added: added.length,
      updated: updated.length,
      removed: removed.length,
      ms: Math.round(performance.now() - started),
      embedder: describeEmbedder(store.manifest.embedder),
      warnings: analyzerChanged ? [ANALYZER_REBUILD_NOTE, ...scan.problems] : scan.problems,
    };
    return { report, store, phases };
  });
}

export interface RefreshOptions {
  indexDir: string;
  corpusDir: string;
  embedder: Embedder;
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Corpus files larger than this are skipped (MAX_ARTICLE_BYTES). */
  maxArticleBytes?: number;
}

/**
 * Scans the corpus and brings the index in line, for one-shot commands. Files that kept the size
 * and mtime the manifest records are not read again; when no file changed, only the manifest and
 * the passages are read, not the vectors or postings.
 */
export async function refreshIndex(options: RefreshOptions): Promise<{ scan: CorpusScan; report: IndexReport }> {
  const { indexDir, corpusDir, embedder, rebuild = false } = options;
  let indexed = rebuild ? undefined : await HnswStore.readArticles(indexDir);
  // Another text analysis: every file is read again, and updateIndex rebuilds.
  if (indexed && !builtAlike(indexed.manifest.embedder)) indexed = undefined;
  if (indexed) assertSameEmbedder(indexed.manifest.embedder, embedder, indexDir);
  const scan = await scanCorpus(corpusDir, { known: indexed?.articles, maxArticleBytes: options.maxArticleBytes });
  // A scan hands back the very article objects it was given for files whose stamp did not move.
  if (indexed && scan.articles.length === indexed.articles.size && scan.articles.every((a) => indexed.articles.get(a.file) === a)) {
    const { manifest } = indexed;
    const report: IndexReport = {
      articles: indexed.records.length,
      chunks: manifest.chunkCount,
      added: 0,
      updated: 0,
      removed: 0,
      ms: 0,
      embedder: describeEmbedder(manifest.embedder),
      warnings: scan.problems,
    };
    return { scan, report };
  }
  const { report } = await updateIndex({ indexDir, scan, embedder, rebuild, onProgress: options.onProgress, searches: 'none' });
  return { scan, report };
}

/** Loads the live index; undefined when none was built yet. */
export async function openStore(indexDir: string, embedder: Embedder, searches: SearchLoad = 'many'): Promise<HnswStore | undefined> {
  const store = await HnswStore.load(indexDir, { searches });
  if (store) assertSameEmbedder(store.manifest.embedder, embedder, indexDir);
  return store;
}
