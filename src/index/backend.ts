// Picks where the index lives (VECTOR_STORE) behind one interface, so nothing
// above src/index knows whether hnswlib on disk or a shared Postgres answers.
import { hostname } from 'node:os';
import path from 'node:path';
import type { Settings } from '../config.js';
import type { Embedder } from '../embeddings/index.js';
import type { CorpusScan } from '../ingest/index.js';
import type { IndexReport } from '../types.js';
import type { CorpusStore } from './corpus-store.js';
import { assertSameEmbedder, HnswStore, openStore, updateIndex } from './index.js';

export interface BackendUpdateOptions {
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface IndexBackend {
  /** The live store (refused if built by another embedder); undefined while nothing has been indexed yet. */
  openStore(): Promise<CorpusStore | undefined>;
  /** Reads the corpus for an update. Files the index read before and that kept their stamp are not read again, unless rebuilding. */
  scan(corpusDir: string, options?: { rebuild?: boolean }): Promise<CorpusScan>;
  update(scan: CorpusScan, options?: BackendUpdateOptions): Promise<{ report: IndexReport; store: CorpusStore }>;
  close(): Promise<void>;
}

// HTML parsers and YAML: loaded only when a command reads the corpus.
const scanCorpus: typeof import('../ingest/index.js').scanCorpus = async (...args) => (await import('../ingest/index.js')).scanCorpus(...args);

async function openHnswBackend(settings: Settings, embedder: Embedder): Promise<IndexBackend> {
  const indexDir = path.resolve(settings.INDEX_DIR);
  /** The store the last scan read, handed to the next update (which uses it if it is still the live generation). */
  let scanned: HnswStore | undefined;
  return {
    openStore: () => openStore(indexDir, embedder),
    async scan(corpusDir, { rebuild = false } = {}) {
      scanned = rebuild ? undefined : await HnswStore.load(indexDir);
      return scanCorpus(corpusDir, scanned?.scannedArticles());
    },
    update(scan, options = {}) {
      const loaded = scanned;
      scanned = undefined; // an update changes the store in place: never hand it out twice
      return updateIndex({ indexDir, scan, embedder, loaded, ...options });
    },
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
    scan: (corpusDir) => scanCorpus(corpusDir),
    update: (scan, options = {}) => shared.update({ scan, embedder, origin, ...options }),
    close: () => shared.db.close(),
  };
}

export function openIndexBackend(settings: Settings, embedder: Embedder): Promise<IndexBackend> {
  return settings.VECTOR_STORE === 'pgvector' ? openPgBackend(settings, embedder) : openHnswBackend(settings, embedder);
}
