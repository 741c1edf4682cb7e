// What the index keeps of a chunk, made from its words: BM25 terms and, with the
// local embedder, its vector. Each chunk's text is split into words once and both
// start from those words (splitting was a fifth of a build's time when each did
// its own). Shared by the build on the main thread and its preparation thread.
import type { LocalHashEmbeddings } from '../embeddings/local.js';
import { termsOfWords, words } from '../text/analyze.js';
import type { ArticleMeta } from '../types.js';

export type HeadSource = Pick<ArticleMeta, 'title' | 'source' | 'lang'>;

/** An article's headline and outlet as words, split once for all its chunks: both travel with every chunk. */
export interface Head {
  lang: HeadSource['lang'];
  title: string[];
  source: string[];
}

export function headOf(meta: HeadSource): Head {
  return { lang: meta.lang, title: words(meta.title), source: words(meta.source) };
}

/** The same terms as keywordTerms of the chunk's text. */
export function chunkTerms(head: Head, text: string[]): string[] {
  return termsOfWords([...head.title, ...head.source, ...text], head.lang);
}

/** The same vector as the local embedder gives embeddingText of the chunk's text. */
export function chunkVector(head: Head, text: string[], local: LocalHashEmbeddings): number[] {
  return local.embedWords([...head.title, ...text]);
}
