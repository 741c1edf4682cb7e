// Shapes shared by every stage: ingest → index → retrieve → answer → surfaces.

export type Lang = 'fr' | 'en';

export interface ArticleMeta {
  /** Stable id: the corpus file name without extension. */
  id: string;
  title: string;
  source: string;
  url: string;
  date: string;
  author: string;
  lang: Lang;
  /** Path relative to the corpus folder. */
  file: string;
}

export interface Article extends ArticleMeta {
  /** Cleaned body text; chunk offsets point into it. */
  text: string;
  /** sha256 of the raw file, for incremental indexing. */
  hash: string;
  /** The file's size and modification time when it was read (set by corpus scans). */
  stamp?: FileStamp;
  /** The text's duplicate-detection key (ingest/files.ts), once known: the index records it, so adding a file reads no other article's text. */
  textKey?: string;
}

/** While a file keeps its size and modification time, its content is taken as unchanged. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface Chunk {
  /** Unique, stable while the article is unchanged (also the vector label). */
  id: number;
  articleId: string;
  chunkNo: number;
  start: number;
  end: number;
  text: string;
}

export interface SearchHit {
  rank: number;
  score: number;
  chunk: Chunk;
  article: ArticleMeta;
}

export interface Citation {
  n: number;
  articleId: string;
  title: string;
  source: string;
  url: string;
  date: string;
  quote: string;
}

export interface Turn {
  question: string;
  answer: string;
}

export interface AnswerResult {
  question: string;
  language: Lang;
  answer: string;
  refused: boolean;
  citations: Citation[];
  notices: string[];
  timings: Record<string, number>;
}

export interface IndexReport {
  articles: number;
  chunks: number;
  added: number;
  updated: number;
  removed: number;
  ms: number;
  embedder: string;
  warnings: string[];
}
