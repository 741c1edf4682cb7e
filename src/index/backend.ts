// Picks where the index lives (VECTOR_STORE) behind one interface, so nothing
// above src/index knows whether hnswlib on disk or a shared Postgres answers.
import { hostname } from 'node:os';
import path from 'node:path';
import type { Settings } from '../config.js';
import type { Embedder } from '../embeddings/index.js';
import type { IndexReport } from '../types.js';
import type { CorpusStore, SearchLoad } from './corpus-store.js';
import { scanCorpus, type CorpusScan } from '../ingest/index.js';
import { ANALYZER_FINGERPRINT } from '../text/analyze.js';
import { assertSameEmbedder, HnswStore, IndexCorruptError, openStore, refreshIndex, updateIndex, type IndexedArticles } from './index.js';

export interface BackendUpdateOptions {
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** How the updated store will be searched (the embedded store builds its graph only for many). */
  searches?: SearchLoad;
  /** What `indexedArticles` returned earlier in this command (the embedded store does not read it again). */
  indexed?: IndexedArticles;
}

export interface IndexBackend {
  /** The live store (refused if built by another embedder); undefined while nothing has been indexed yet. */
  openStore(searches?: SearchLoad): Promise<CorpusStore | undefined>;
  /** Scans the corpus and updates the index from it, for one-shot commands (the embedded store skips files that kept their stamp). */
  refresh(corpusDir: string, options?: BackendUpdateOptions): Promise<{ scan: CorpusScan; report: IndexReport }>;
  update(scan: CorpusScan, options?: BackendUpdateOptions): Promise<{ report: IndexReport; store: CorpusStore }>;
  close(): Promise<void>;
}

async function openHnswBackend(settings: Settings, embedder: Embedder): Promise<IndexBackend> {
  const indexDir = path.resolve(settings.INDEX_DIR);
  return {
    openStore: (searches) => openStore(indexDir, embedder, searches),
    refresh: (corpusDir, options = {}) => refreshIndex({ indexDir, corpusDir, embedder, maxArticleBytes: settings.MAX_ARTICLE_BYTES, ...options }),
    update: (scan, options = {}) => updateIndex({ indexDir, scan, embedder, ...options }),
    close: async () => undefined,
  };
}

async function openPgBackend(settings: Settings, embedder: Embedder): Promise<IndexBackend> {
  const { openSharedStore } = await import('./pg/index.js');
  const shared = await openSharedStore(settings);
  // The store is the corpus of record; this replica's corpus folder is its import source.
  const origin = `${hostname()}:${path.resolve(settings.CORPUS_DIR)}`;
  return {
    async openStore() {
      const stored = await shared.storedEmbedder();
      if (stored) assertSameEmbedder(stored, embedder, `the ${shared.db.where}`);
      return shared.openStore();
    },
    async refresh(corpusDir, options = {}) {
      const scan = await scanCorpus(corpusDir, { maxArticleBytes: settings.MAX_ARTICLE_BYTES });
      return { scan, report: (await shared.update({ scan, embedder, origin, ...options })).report };
    },
    update: (scan, { searches: _s, indexed: _i, ...options } = {}) => shared.update({ scan, embedder, origin, ...options }),
    close: () => shared.db.close(),
  };
}

/**
 * The articles the embedded index read from the corpus folder, for a scan that skips unchanged files.
 * None for a shared store (it is the corpus of record), nor for a damaged index or one of another
 * text analysis (the scan reads every file, as the rebuild that follows needs).
 */
export async function indexedArticles(settings: Settings): Promise<IndexedArticles | undefined> {
  if (settings.VECTOR_STORE === 'pgvector') return undefined;
  const indexed = await HnswStore.readArticles(path.resolve(settings.INDEX_DIR)).catch((error: unknown) => {
    if (error instanceof IndexCorruptError) return undefined;
    throw error;
  });
  return indexed?.manifest.embedder.analyzer === ANALYZER_FINGERPRINT ? indexed : undefined;
}

export function openIndexBackend(settings: Settings, embedder: Embedder): Promise<IndexBackend> {
  return settings.VECTOR_STORE === 'pgvector' ? openPgBackend(settings, embedder) : openHnswBackend(settings, embedder);
}
