// Importing a corpus folder into the shared store. The store is the corpus of
// record; a folder is one import source among several replicas' folders:
// - an article is written when this folder brings it first or changed its copy
//   since it last imported it (a copy changed elsewhere is not pushed back);
// - an article is deleted only when this folder imported it, its file is now
//   gone, and nobody has changed it since: an article added through another
//   replica is never deleted because this folder lacks it.
// Embedding happens before any transaction; each article's rows then change in
// one transaction, so readers see every article whole, old or new.
import { describeEmbedder, type Embedder } from '../../embeddings/index.js';
import type { CorpusScan } from '../../ingest/index.js';
import type { Article, IndexReport, Lang } from '../../types.js';
import { EmbedderMismatchError, prepareChunks, stampOf, type PreparedChunk } from '../index.js';
import type { EmbedderStamp } from '../corpus-store.js';
import type { PgDatabase } from './database.js';
import { analyzeTables, bumpVersion, createChunkTables, createVectorIndex, readEmbedder } from './schema.js';
import type { Tables } from './tables.js';
import { PgStore, vectorLiteral } from './store.js';

type Client = Parameters<Parameters<PgDatabase['transaction']>[0]>[0];

export interface PgUpdateOptions {
  scan: CorpusScan;
  embedder: Embedder;
  /** Identifies the import folder (host and path). */
  origin: string;
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
}

interface Plan {
  write: Article[];
  added: number;
  /** Articles whose stored copy this folder holds unchanged but had no import record for. */
  adopt: Article[];
  remove: string[];
  /** Import records to forget without deleting the article (changed elsewhere since). */
  forget: string[];
}

async function plan(db: PgDatabase, scan: CorpusScan, origin: string): Promise<Plan> {
  const t = db.tables;
  const stored = new Map((await db.query(`SELECT id, hash FROM ${t.articles}`)).map((r) => [r.id as string, r.hash as string]));
  const mine = new Map((await db.query(`SELECT article_id, hash FROM ${t.imports} WHERE origin = $1`, [origin])).map((r) => [r.article_id as string, r.hash as string]));
  const incoming = new Set(scan.articles.map((a) => a.id));
  const p: Plan = { write: [], added: 0, adopt: [], remove: [], forget: [] };
  for (const a of scan.articles) {
    const storedHash = stored.get(a.id);
    if (storedHash === undefined) {
      p.write.push(a);
      p.added++;
    } else if (storedHash === a.hash) {
      if (mine.get(a.id) !== a.hash) p.adopt.push(a);
    } else if (mine.get(a.id) !== a.hash) {
      p.write.push(a);
    }
  }
  for (const [id, hash] of mine) {
    if (incoming.has(id)) continue;
    if (stored.get(id) === hash) p.remove.push(id);
    else p.forget.push(id);
  }
  return p;
}

async function writeArticle(client: Client, t: Tables, a: Article, chunks: PreparedChunk[], origin: string): Promise<void> {
  await client.query(
    `INSERT INTO ${t.articles} (id, title, source, url, date, author, lang, file, hash, text, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
     ON CONFLICT (id) DO UPDATE SET title = $2, source = $3, url = $4, date = $5, author = $6, lang = $7, file = $8, hash = $9, text = $10, updated_at = now()`,
    [a.id, a.title, a.source, a.url, a.date, a.author, a.lang, a.file, a.hash, a.text],
  );
  await client.query(`DELETE FROM ${t.chunks} WHERE article_id = $1`, [a.id]);
  await insertChunks(client, t, a, chunks);
  await recordImport(client, t, origin, a);
}

async function insertChunks(client: Client, t: Tables, a: Pick<Article, 'id' | 'text'>, chunks: PreparedChunk[]): Promise<void> {
  if (!chunks.length) return;
  const { rows } = await client.query(
    `INSERT INTO ${t.chunks} (article_id, chunk_no, start_offset, end_offset, text, n_terms, embedding)
     SELECT $1, n, s, e, x, l, v::vector FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::int[], $7::text[]) AS c(n, s, e, x, l, v)
     RETURNING id, chunk_no`,
    [
      a.id,
      chunks.map((_, i) => i),
      chunks.map((c) => c.start),
      chunks.map((c) => c.end),
      chunks.map((c) => a.text.slice(c.start, c.end)),
      chunks.map((c) => c.terms.length),
      chunks.map((c) => vectorLiteral(c.vector)),
    ],
  );
  const ids = new Map(rows.map((r) => [r.chunk_no as number, r.id as string]));
  const postings: Array<[string, string, number, number]> = [];
  chunks.forEach((c, i) => {
    const tf = new Map<string, number>();
    for (const term of c.terms) tf.set(term, (tf.get(term) ?? 0) + 1);
    for (const [term, n] of tf) postings.push([term, ids.get(i)!, n, c.terms.length]);
  });
  await client.query(`INSERT INTO ${t.terms} (term, chunk_id, tf, dl) SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::int[])`, [
    postings.map((p) => p[0]),
    postings.map((p) => p[1]),
    postings.map((p) => p[2]),
    postings.map((p) => p[3]),
  ]);
}

async function recordImport(client: Client, t: Tables, origin: string, a: Pick<Article, 'id' | 'hash'>): Promise<void> {
  await client.query(
    `INSERT INTO ${t.imports} (origin, article_id, hash) VALUES ($1, $2, $3) ON CONFLICT (origin, article_id) DO UPDATE SET hash = $3`,
    [origin, a.id, a.hash],
  );
}

async function forgetImport(client: Client, t: Tables, origin: string, id: string): Promise<void> {
  await client.query(`DELETE FROM ${t.imports} WHERE origin = $1 AND article_id = $2`, [origin, id]);
}

/** Every stored article, to be re-embedded with the folder's changes applied. */
async function storedArticles(db: PgDatabase, p: Plan): Promise<Article[]> {
  const rows = await db.query(`SELECT id, title, source, url, date, author, lang, file, hash, text FROM ${db.tables.articles} ORDER BY id`);
  const replaced = new Map(p.write.map((a) => [a.id, a]));
  const removed = new Set(p.remove);
  const kept = rows.filter((r) => !removed.has(r.id) && !replaced.has(r.id)).map((r) => ({ ...r, lang: r.lang as Lang }) as Article);
  return [...kept, ...p.write];
}

/** Re-embeds the whole store in one transaction: readers see the old index until it commits. */
async function rebuild(db: PgDatabase, p: Plan, stamp: EmbedderStamp, options: PgUpdateOptions): Promise<void> {
  const t = db.tables;
  const articles = await storedArticles(db, p);
  const prepared = await prepareChunks(articles, options.embedder, options.onProgress);
  await db.transaction(async (client) => {
    await createChunkTables(client, t, stamp.dimension);
    for (const id of p.remove) await client.query(`DELETE FROM ${t.articles} WHERE id = $1`, [id]);
    for (const id of [...p.remove, ...p.forget]) await forgetImport(client, t, options.origin, id);
    for (const a of p.write) await writeArticle(client, t, a, [], options.origin);
    for (const [i, a] of articles.entries()) await insertChunks(client, t, a, prepared[i]!);
    for (const a of p.adopt) await recordImport(client, t, options.origin, a);
    await createVectorIndex(client, t);
    await analyzeTables(client, t);
    await client.query(`INSERT INTO ${t.meta} (key, value) VALUES ('embedder', $1) ON CONFLICT (key) DO UPDATE SET value = $1`, [JSON.stringify(stamp)]);
    await bumpVersion(client, t);
  });
}

/** Applies the folder's changes article by article, each in its own transaction. */
async function applyIncrementally(db: PgDatabase, p: Plan, options: PgUpdateOptions): Promise<void> {
  const t = db.tables;
  const prepared = await prepareChunks(p.write, options.embedder, options.onProgress);
  for (const [i, a] of p.write.entries()) {
    await db.transaction(async (client) => {
      await writeArticle(client, t, a, prepared[i]!, options.origin);
      await bumpVersion(client, t);
    });
  }
  for (const id of p.remove) {
    await db.transaction(async (client) => {
      await client.query(`DELETE FROM ${t.articles} WHERE id = $1`, [id]);
      await forgetImport(client, t, options.origin, id);
      await bumpVersion(client, t);
    });
  }
  if (p.write.length + p.remove.length) await db.withClient((client) => analyzeTables(client, t));
  if (p.adopt.length + p.forget.length) {
    await db.transaction(async (client) => {
      for (const a of p.adopt) await recordImport(client, t, options.origin, a);
      for (const id of p.forget) await forgetImport(client, t, options.origin, id);
    });
  }
}

/** Brings the shared store in line with this folder, holding the cluster-wide writer lock. */
export async function updatePgIndex(db: PgDatabase, options: PgUpdateOptions): Promise<{ report: IndexReport; store: PgStore }> {
  const started = performance.now();
  const { embedder } = options;
  const stamp = await stampOf(embedder);
  return db.withWriterLock(async () => {
    const stored = await readEmbedder(db, db.tables);
    if (stored && !options.rebuild && describeEmbedder(stored) !== describeEmbedder(stamp)) {
      throw new EmbedderMismatchError(
        `The shared index in the ${db.where} was built with ${describeEmbedder(stored)}, but the configured embedder is ${describeEmbedder(stamp)}. ` +
          'Run `akhbar index --rebuild` on one replica to re-embed every stored article, then give the other replicas the same EMBEDDINGS_* settings.',
      );
    }
    const p = await plan(db, options.scan, options.origin);
    if (options.rebuild || !stored) await rebuild(db, p, stamp, options);
    else await applyIncrementally(db, p, options);
    const store = new PgStore(db, stamp);
    const counts = await store.counts();
    const report: IndexReport = {
      ...counts,
      added: p.added,
      updated: p.write.length - p.added,
      removed: p.remove.length,
      ms: Math.round(performance.now() - started),
      embedder: describeEmbedder(stamp),
      warnings: options.scan.problems,
    };
    return { report, store };
  });
}
