// The shared store: articles, chunks, vectors (pgvector HNSW, cosine) and our
// own BM25 over analysed terms, all read from Postgres at question time. It
// keeps no copy of the corpus in memory, so every replica answers from the rows
// as they are now: a change committed anywhere is seen by the next question.
import type { QueryTerm } from '../../text/analyze.js';
import type { ArticleMeta, Chunk, Lang } from '../../types.js';
import type { CorpusStore, ScoredChunkId } from '../corpus-store.js';
import { describeEmbedder } from '../../embeddings/index.js';
import { EmbedderMismatchError } from '../index.js';
import { B, K1 } from '../bm25.js';
import type { EmbedderStamp } from '../corpus-store.js';
import type { PgDatabase } from './database.js';
import { readEmbedder } from './schema.js';


const META_COLUMNS = 'id, title, source, url, date, author, lang, file';

interface MetaRow {
  id: string;
  title: string;
  source: string;
  url: string;
  date: string;
  author: string;
  lang: string;
  file: string;
}

function toMeta(r: MetaRow): ArticleMeta {
  return { id: r.id, title: r.title, source: r.source, url: r.url, date: r.date, author: r.author, lang: r.lang as Lang, file: r.file };
}

/** pgvector's text form of a vector. */
export function vectorLiteral(vector: number[]): string {
  return `[${vector.join(',')}]`;
}

export class PgStore implements CorpusStore {
  constructor(
    private readonly db: PgDatabase,
    readonly embedder: EmbedderStamp,
  ) {}

  private get t() {
    return this.db.tables;
  }

  /** Corpus size and average chunk length in terms, as BM25 needs them. */
  private get statsSql(): string {
    return `SELECT count(*)::float8 AS n, coalesce(avg(n_terms), 1)::float8 AS avgdl FROM ${this.t.chunks}`;
  }

  async counts() {
    const [row] = await this.db.query(`SELECT (SELECT count(*) FROM ${this.t.articles})::int AS articles, (SELECT count(*) FROM ${this.t.chunks})::int AS chunks`);
    return { articles: row.articles as number, chunks: row.chunks as number };
  }

  async listArticles(): Promise<ArticleMeta[]> {
    return (await this.db.query<MetaRow>(`SELECT ${META_COLUMNS} FROM ${this.t.articles} ORDER BY id`)).map(toMeta);
  }

  async getArticleMetas(ids: string[]): Promise<ArticleMeta[]> {
    if (!ids.length) return [];
    const rows = await this.db.query<MetaRow>(`SELECT ${META_COLUMNS} FROM ${this.t.articles} WHERE id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, toMeta(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async getArticle(id: string) {
    const [row] = await this.db.query<MetaRow & { text: string }>(`SELECT ${META_COLUMNS}, text FROM ${this.t.articles} WHERE id = $1`, [id]);
    return row && { ...toMeta(row), text: row.text };
  }

  async getChunks(ids: number[]): Promise<Chunk[]> {
    if (!ids.length) return [];
    const rows = await this.db.query(
      `SELECT id, article_id, chunk_no, start_offset, end_offset, text FROM ${this.t.chunks} WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    const byId = new Map(
      rows.map((r) => [Number(r.id), { id: Number(r.id), articleId: r.article_id, chunkNo: r.chunk_no, start: r.start_offset, end: r.end_offset, text: r.text } as Chunk]),
    );
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async vectorSearch(vector: number[], k: number): Promise<ScoredChunkId[]> {
    // The stamp guard costs nothing when it holds and stops a replica whose
    // embedder no longer matches the store (another replica re-embedded it).
    const rows = await this.db.query(
      `SELECT id, 1 - (embedding <=> $1::vector) AS score FROM ${this.t.chunks}
       WHERE EXISTS (SELECT 1 FROM ${this.t.meta} WHERE key = 'embedder' AND value = $2::jsonb)
       ORDER BY embedding <=> $1::vector LIMIT $3`,
      [vectorLiteral(vector), JSON.stringify(this.embedder), k],
    );
    if (!rows.length) await this.assertStampCurrent();
    return rows.map((r) => ({ chunkId: Number(r.id), score: Number(r.score) }));
  }

  private async assertStampCurrent(): Promise<void> {
    const stored = await readEmbedder(this.db, this.t);
    if (stored && describeEmbedder(stored) !== describeEmbedder(this.embedder)) {
      throw new EmbedderMismatchError(
        `The shared index in the ${this.db.where} is now embedded with ${describeEmbedder(stored)} (re-embedded by another replica), ` +
          `but this replica runs ${describeEmbedder(this.embedder)}. Set EMBEDDINGS_PROVIDER/EMBEDDINGS_MODEL to match and restart it.`,
      );
    }
  }

  async keywordSearch(query: QueryTerm[], k: number): Promise<ScoredChunkId[]> {
    const terms = query.filter((q) => !q.term.includes('\0'));
    if (!terms.length) return [];
    // Postings are read once through the btree on term; each carries its
    // chunk's length, so scoring needs no join to the wide chunks table.
    const rows = await this.db.query(
      `WITH s AS (${this.statsSql}),
       p AS (SELECT term, chunk_id, tf, dl FROM ${this.t.terms} WHERE term = ANY($1::text[])),
       q AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS q(term, weight)),
       d AS (SELECT p.term, greatest(0.01, ln(1 + (s.n - count(*) + 0.5) / (count(*) + 0.5))) AS idf FROM p CROSS JOIN s GROUP BY p.term, s.n)
       SELECT p.chunk_id AS id, sum(d.idf * q.weight * p.tf * ${K1 + 1} / (p.tf + ${K1} * (${1 - B} + ${B} * p.dl / s.avgdl))) AS score
       FROM p JOIN d ON d.term = p.term JOIN q ON q.term = p.term CROSS JOIN s
       GROUP BY p.chunk_id ORDER BY score DESC, p.chunk_id LIMIT $3`,
      [terms.map((q) => q.term), terms.map((q) => q.weight), k],
    );
    return rows.map((r) => ({ chunkId: Number(r.id), score: Number(r.score) }));
  }

  async idf(terms: string[]): Promise<Map<string, number>> {
    if (!terms.length) return new Map();
    // Postgres text cannot hold NUL (callers use it in sentinel terms that are never indexed):
    // a space keeps them unmatchable, since analysed terms never contain one.
    const sqlTerms = terms.map((t) => t.replaceAll('\0', ' '));
    const original = new Map(sqlTerms.map((t, i) => [t, terms[i]!]));
    const rows = await this.db.query(
      `WITH s AS (${this.statsSql}),
       df AS (SELECT term, count(*) AS df FROM ${this.t.terms} WHERE term = ANY($1::text[]) GROUP BY term)
       SELECT q.term, greatest(0.01, ln(1 + (s.n - coalesce(df.df, 0) + 0.5) / (coalesce(df.df, 0) + 0.5))) AS idf
       FROM unnest($1::text[]) AS q(term) LEFT JOIN df ON df.term = q.term CROSS JOIN s`,
      [sqlTerms],
    );
    return new Map(rows.map((r) => [original.get(r.term as string) ?? (r.term as string), Number(r.idf)]));
  }
}
