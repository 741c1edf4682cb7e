// The one interface retrieval and answers use, whatever holds the index
// (hnswlib on disk by default; Postgres + pgvector past one machine).
import type { QueryTerm } from '../text/analyze.js';
import type { Article, ArticleMeta, Chunk } from '../types.js';

/** The embedder an index was built with: querying it with another is refused. */
export interface EmbedderStamp {
  provider: string;
  model: string;
  dimension: number;
  /** The text analyzer that made the terms (and the local embedder's vectors); absent in indexes built before it was recorded. */
  analyzer?: string;
  /** The vector graph's build settings: a graph built otherwise would be searched with the wrong breadth. */
  graph?: string;
}

/**
 * How many searches a process will make of a store: `many` (a bot, a batch), `few` (one question or
 * search: the embedded store scans its vectors exactly instead of building its HNSW graph, which
 * costs as much as eight scans or more) or `none` (an update).
 */
export type SearchLoad = 'many' | 'few' | 'none';

export interface ScoredChunkId {
  chunkId: number;
  score: number;
}

export interface CorpusStore {
  readonly embedder: EmbedderStamp;
  counts(): Promise<{ articles: number; chunks: number }>;
  listArticles(): Promise<ArticleMeta[]>;
  getArticleMetas(ids: string[]): Promise<ArticleMeta[]>;
  getArticle(id: string): Promise<(ArticleMeta & { text: string }) | undefined>;
  getChunks(ids: number[]): Promise<Chunk[]>;
  vectorSearch(vector: number[], k: number): Promise<ScoredChunkId[]>;
  keywordSearch(terms: QueryTerm[], k: number): Promise<ScoredChunkId[]>;
  /** BM25 inverse document frequency of analysed terms over all chunks. */
  idf(terms: string[]): Promise<Map<string, number>>;
  /**
   * Its articles as a corpus scan reads them, by corpus file, stamps included: a re-index given
   * them reads only files that changed. Only stores that mirror this machine's corpus folder have it;
   * undefined when the store was loaded without the files' stamps (the scan then reads every file).
   */
  scannedArticles?(): ReadonlyMap<string, Article> | undefined;
}
