// Synthetic corpora made by re-sampling sentences of the real articles (the seed
// corpus and eval/articles-dev), so word, name and figure statistics stay those
// of real French and English news text. The real articles hold only ~300
// sentences: re-sampled as they are, each would recur ~1,500 times at 100k
// chunks, a wall of near-ties no real corpus has (it made HNSW recall look like
// 0.87 while the found neighbours scored within 4% of the true ones). So each
// sampled sentence has a share of its words swapped for words drawn from the
// same language's running text (frequency-weighted): sentences stay unique while
// word frequencies stay those of the real articles. Deterministic for a given size.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chunkArticle, scanCorpus } from '../../src/ingest/index.js';
import type { Article, Lang } from '../../src/types.js';
import { rng } from '../../test/support/rng.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Share of a sampled sentence's words replaced by words drawn from the running text. */
const WORD_SWAP = 0.3;

export interface SentencePool {
  sentences: Record<Lang, string[]>;
  /** Every word of the language's sentences, repeats included (drawing from it follows word frequency). */
  words: Record<Lang, string[]>;
  titles: Record<Lang, string[]>;
  sources: string[];
  real: Article[];
}

export async function loadPool(): Promise<SentencePool> {
  const scans = await Promise.all(['corpus', 'eval/articles-dev'].map((d) => scanCorpus(path.join(ROOT, d))));
  const real = scans.flatMap((s) => s.articles);
  const pool: SentencePool = { sentences: { fr: [], en: [] }, words: { fr: [], en: [] }, titles: { fr: [], en: [] }, sources: [], real };
  for (const a of real) {
    const seg = new Intl.Segmenter(a.lang, { granularity: 'sentence' });
    for (const s of seg.segment(a.text)) {
      const text = s.segment.trim();
      if (text.length < 25 || text.length > 500) continue;
      pool.sentences[a.lang].push(text);
      pool.words[a.lang].push(...text.split(/\s+/).filter((w) => /^[\p{L}\p{N}]+$/u.test(w)));
    }
    pool.titles[a.lang].push(a.title);
    if (a.source) pool.sources.push(a.source);
  }
  return pool;
}

export interface SyntheticCorpus {
  articles: Article[];
  chunks: number;
}

/** Articles of 2–4 paragraphs of 2–5 sampled sentences, until `targetChunks` chunks. */
export async function synthesize(pool: SentencePool, targetChunks: number, seed = 7): Promise<SyntheticCorpus> {
  const random = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const articles: Article[] = [];
  let chunks = 0;
  while (chunks < targetChunks) {
    const lang: Lang = random() < 0.6 ? 'fr' : 'en';
    const paragraphs = Array.from({ length: 2 + Math.floor(random() * 3) }, () =>
      Array.from({ length: 2 + Math.floor(random() * 4) }, () =>
        pick(pool.sentences[lang])
          .split(' ')
          .map((w, i) => (i > 0 && /^[\p{L}\p{N}]+$/u.test(w) && random() < WORD_SWAP ? pick(pool.words[lang]) : w))
          .join(' '),
      ).join(' '),
    );
    const n = articles.length;
    const id = `syn-${String(n).padStart(6, '0')}`;
    const text = paragraphs.join('\n\n');
    const article: Article = {
      id,
      title: `${pick(pool.titles[lang])} (${n})`,
      source: pick(pool.sources),
      url: `https://example.org/${id}`,
      date: `20${String(18 + (n % 8)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`,
      author: '',
      lang,
      file: `${id}.md`,
      text,
      hash: createHash('sha256').update(text).digest('hex'),
    };
    const spans = await chunkArticle(article);
    if (chunks + spans.length > targetChunks && articles.length > 0) break;
    articles.push(article);
    chunks += spans.length;
  }
  return { articles, chunks };
}

/** Questions for latency runs: the dev questions plus sampled sentences turned into queries. */
export function benchQueries(pool: SentencePool, questions: string[], count: number, seed = 11): string[] {
  const random = rng(seed);
  const out = [...questions];
  while (out.length < count) {
    const lang: Lang = random() < 0.5 ? 'fr' : 'en';
    const words = pool.sentences[lang][Math.floor(random() * pool.sentences[lang].length)]!.split(/\s+/);
    const start = Math.floor(random() * Math.max(1, words.length - 8));
    out.push(words.slice(start, start + 4 + Math.floor(random() * 6)).join(' '));
  }
  return out.slice(0, count);
}

/**
 * A corpus folder for runs on a built index: empty, beside the index. (Pointing
 * CORPUS_DIR at the index folder itself made start-up read 250 MB of index files
 * as if they were articles.)
 */
export function emptyCorpus(indexDir: string): string {
  const dir = `${indexDir}-corpus`;
  mkdirSync(dir, { recursive: true });
  return dir;
}
