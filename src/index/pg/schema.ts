// The shared store's tables, created on first use (or by `akhbar migrate`) and
// versioned in the meta table. Articles are the record; chunks and their terms
// are derived from them and rebuilt whenever the embedder changes.
import type pg from 'pg';
import type { EmbedderStamp } from '../corpus-store.js';
import { PgvectorMissingError, SchemaTooNewError } from './errors.js';
import type { PgDatabase } from './database.js';
import type { Tables } from './tables.js';

export const SCHEMA_VERSION = 1;
/**
 * pgvector's HNSW graph: the embedded index's M 16 / efConstruction 100
 * (src/index/vector.ts). ef_search is the embedded index's floor, 200
 * (connect.ts); it does not grow with the table.
 */
const HNSW_WITH = 'WITH (m = 16, ef_construction = 100)';

export { SchemaTooNewError } from './errors.js';

async function ensureVectorExtension(db: pg.ClientBase, where: string): Promise<void> {
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const howTo =
      code === '42501'
        ? `ask a superuser to run \`CREATE EXTENSION vector;\` in it`
        : `install pgvector 0.5 or later on the server (e.g. the postgresql-NN-pgvector package, or a managed Postgres with pgvector enabled), then run \`CREATE EXTENSION vector;\` in it`;
    throw new PgvectorMissingError(`The pgvector extension is not available in the ${where} (${(error as Error).message}): ${howTo}.`);
  }
}

/** Creates or upgrades the tables that do not depend on the embedder. Safe to run from several replicas at once. */
export async function migrate(db: pg.ClientBase, t: Tables, where: string): Promise<void> {
  await ensureVectorExtension(db, where);
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${t.lockKey}:migrate`]);
    await db.query(`CREATE TABLE IF NOT EXISTS ${t.meta} (key text PRIMARY KEY, value jsonb NOT NULL)`);
    const found = await db.query(`SELECT value FROM ${t.meta} WHERE key = 'schema_version'`);
    const version = Number(found.rows[0]?.value ?? 0);
    if (version > SCHEMA_VERSION) {
      throw new SchemaTooNewError(`The tables ${t.meta}… in the ${where} use schema version ${version}; this akhbar knows up to ${SCHEMA_VERSION}. Upgrade akhbar on this replica.`);
    }
    await db.query(`CREATE TABLE IF NOT EXISTS ${t.articles} (
      id text PRIMARY KEY, title text NOT NULL, source text NOT NULL, url text NOT NULL, date text NOT NULL,
      author text NOT NULL, lang text NOT NULL, file text NOT NULL, hash text NOT NULL, text text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Which import folder last brought which version of an article: deletions follow it.
    await db.query(`CREATE TABLE IF NOT EXISTS ${t.imports} (
      origin text NOT NULL, article_id text NOT NULL, hash text NOT NULL, PRIMARY KEY (origin, article_id))`);
    await db.query(
      `INSERT INTO ${t.meta} (key, value) VALUES ('schema_version', $1), ('version', '0')
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE ${t.meta}.key = 'schema_version'`,
      [JSON.stringify(SCHEMA_VERSION)],
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** (Re)creates the chunk and term tables for vectors of `dimension`; the HNSW index comes after bulk loading. */
export async function createChunkTables(db: pg.ClientBase, t: Tables, dimension: number): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${t.terms}`);
  await db.query(`DROP TABLE IF EXISTS ${t.chunks}`);
  await db.query(`CREATE TABLE ${t.chunks} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id text NOT NULL REFERENCES ${t.articles} (id) ON DELETE CASCADE,
    chunk_no int NOT NULL, start_offset int NOT NULL, end_offset int NOT NULL, text text NOT NULL,
    n_terms int NOT NULL, embedding vector(${dimension}) NOT NULL, UNIQUE (article_id, chunk_no))`);
  // Our own analysed terms (src/text/analyze.ts), so BM25 here matches the embedded
  // index's; dl (the chunk's length in terms) is copied in so scoring reads postings only.
  await db.query(`CREATE TABLE ${t.terms} (
    term text NOT NULL, chunk_id bigint NOT NULL REFERENCES ${t.chunks} (id) ON DELETE CASCADE,
    tf int NOT NULL, dl int NOT NULL, PRIMARY KEY (term, chunk_id))`);
  await db.query(`CREATE INDEX ${t.terms}_chunk ON ${t.terms} (chunk_id)`);
}

export async function createVectorIndex(db: pg.ClientBase, t: Tables): Promise<void> {
  await db.query(`CREATE INDEX IF NOT EXISTS ${t.chunks}_embedding ON ${t.chunks} USING hnsw (embedding vector_cosine_ops) ${HNSW_WITH}`);
}

/** Fresh planner statistics after bulk changes (autovacuum may be late or, in PGlite, absent). */
export async function analyzeTables(db: pg.ClientBase, t: Tables): Promise<void> {
  await db.query(`ANALYZE ${t.chunks}, ${t.terms}`);
}

export async function readEmbedder(db: PgDatabase, t: Tables): Promise<EmbedderStamp | undefined> {
  const rows = await db.query(`SELECT value FROM ${t.meta} WHERE key = 'embedder'`);
  return rows[0]?.value as EmbedderStamp | undefined;
}

/** Records a change; bumps the manifest version other replicas compare against. */
export async function bumpVersion(db: pg.ClientBase, t: Tables): Promise<void> {
  await db.query(`UPDATE ${t.meta} SET value = to_jsonb((value #>> '{}')::bigint + 1) WHERE key = 'version'`);
}

/** Removes every table of this store (used by the evaluation to start from nothing). */
export async function dropStore(db: PgDatabase, t: Tables): Promise<void> {
  for (const table of [t.terms, t.chunks, t.imports, t.articles, t.meta]) await db.query(`DROP TABLE IF EXISTS ${table}`);
}
