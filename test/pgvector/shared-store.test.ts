// The shared Postgres + pgvector store, end to end: the real CLI and the real
// `pg` client against a PGlite wire server on 127.0.0.1.
import { appendFileSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkArticle, scanCorpus } from '../../src/ingest/index.js';
import { ROOT, runCli, scratchCorpus } from '../support/cli.js';
import { startTestDatabase, type TestDatabase } from '../support/pglite.js';
import { spawnCli } from '../support/process.js';

const INETUM_FR = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";
const HUAWEI = 'En quelle année Huawei est-il entré sur le marché marocain ?';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await startTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.stop();
});

/** Settings of one replica: its own store tables (prefix) in the shared database. */
function shared(prefix: string) {
  return { VECTOR_STORE: 'pgvector', DATABASE_URL: database.url, DATABASE_TABLE_PREFIX: prefix };
}

function folders(s: { corpus: string; index: string }) {
  return ['--corpus', s.corpus, '--index', s.index];
}

describe('answers through pgvector', () => {
  it('gives the same cited Inetum answer as the embedded hnswlib index', () => {
    const s = scratchCorpus();
    const embedded = runCli(['ask', '--json', INETUM_FR, ...folders(s)]);
    const replicaIndex = path.join(s.dir, 'replica-index');
    const viaPostgres = runCli(['ask', '--json', INETUM_FR, '--corpus', s.corpus, '--index', replicaIndex], shared('same_'));
    expect(viaPostgres.code, viaPostgres.stderr).toBe(0);
    const a = embedded.json();
    const b = viaPostgres.json();
    expect(b.answer).toMatch(/1 500 emplois/);
    expect(b.citations[0]).toMatchObject({ n: 1, articleId: expect.stringMatching(/^003_/) });
    expect(b.answer).toBe(a.answer);
    expect(b.citations).toEqual(a.citations);
    // Nothing was written to the replica's index folder: the store lives in Postgres.
    expect(readdirSync(s.dir)).not.toContain('replica-index');
  });

  it('refuses to mix embedders in one store', () => {
    const s = scratchCorpus();
    expect(runCli(['index', ...folders(s)], shared('mix_')).code).toBe(0);
    const r = runCli(['ask', INETUM_FR, ...folders(s)], { ...shared('mix_'), EMBEDDINGS_DIMENSIONS: '256' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was built with local:akhbar-hash-v1-384.*--rebuild/);
  });
});

describe('a store built by another version of the text analysis', () => {
  it('is rebuilt by the next start, with one warning line, and then used as is', async () => {
    const s = scratchCorpus();
    expect(runCli(['index', ...folders(s)], shared('anl_')).code).toBe(0);
    await client.query(`UPDATE anl_meta SET value = jsonb_set(value, '{analyzer}', '"0123456789abcdef"') WHERE key = 'embedder'`);
    const first = runCli(['ask', '--json', INETUM_FR, ...folders(s)], shared('anl_'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/another version of the text analysis or vector graph: it was rebuilt/);
    expect(first.json().answer).toMatch(/1 500 emplois/);
    const next = runCli(['ask', '--json', INETUM_FR, ...folders(s)], shared('anl_'));
    expect(next.stderr).not.toMatch(/text analysis/);
    expect(next.json().answer).toBe(first.json().answer);
  });
});

describe('replicas sharing one database', () => {
  it('answers at once about an article another replica added, and never deletes it for lacking the file', () => {
    const a = scratchCorpus();
    const b = scratchCorpus();
    rmSync(b.corpus, { recursive: true });
    mkdirSync(b.corpus);
    copyFileSync(path.join(ROOT, 'eval/articles-dev/013-huawei-veut-lancer-5g-maroc.md'), path.join(b.corpus, '013-huawei.md'));
    const env = shared('replicas_');

    expect(runCli(['index', '--json', ...folders(a)], env).json()).toMatchObject({ articles: 5, added: 5 });
    expect(runCli(['index', '--json', ...folders(b)], env).json()).toMatchObject({ articles: 6, added: 1, removed: 0 });

    const answer = runCli(['ask', '--json', HUAWEI, ...folders(a)], env).json();
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain('1999');
    expect(answer.citations[0].articleId).toBe('013-huawei');

    // Replica A's folder lacks the Huawei article: re-indexing there keeps it.
    expect(runCli(['index', '--json', ...folders(a)], env).json()).toMatchObject({ articles: 6, removed: 0 });
    // The replica that imported it may remove it.
    rmSync(path.join(b.corpus, '013-huawei.md'));
    expect(runCli(['index', '--json', ...folders(b)], env).json()).toMatchObject({ articles: 5, removed: 1 });
    expect(runCli(['sources', '--json', ...folders(a)], env).json().articles).toHaveLength(5);
  });

  it('two concurrent rebuilds duplicate nothing', async () => {
    const a = scratchCorpus();
    const b = scratchCorpus();
    const env = shared('rebuilds_');
    const single = runCli(['index', '--json', ...folders(a)], env).json();
    const runs = [a, b].map((s) => spawnCli(['index', '--rebuild', '--json', ...folders(s)], env));
    const codes = await Promise.all(runs.map((r) => r.exited));
    expect(codes, runs.map((r) => r.stderr()).join('\n')).toEqual([0, 0]);
    const { rows } = await client.query(
      `SELECT count(*)::int AS chunks, count(DISTINCT (article_id, chunk_no))::int AS distinct_chunks, count(DISTINCT article_id)::int AS articles FROM rebuilds_chunks`,
    );
    expect(rows[0]).toEqual({ chunks: single.chunks, distinct_chunks: single.chunks, articles: 5 });
    const terms = await client.query('SELECT count(*)::int AS orphans FROM rebuilds_terms t LEFT JOIN rebuilds_chunks c ON c.id = t.chunk_id WHERE c.id IS NULL');
    expect(terms.rows[0].orphans).toBe(0);
  });
});

describe('a writer killed mid-update', () => {
  it('leaves every article whole, either its old or its new version', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-kill-'));
    const corpus = path.join(dir, 'corpus');
    cpSync(path.join(ROOT, 'corpus'), corpus, { recursive: true });
    cpSync(path.join(ROOT, 'eval/articles-dev'), corpus, { recursive: true });
    const s = { corpus, index: path.join(dir, 'index') };
    const env = shared('killed_');
    expect(runCli(['index', ...folders(s)], env).code).toBe(0);
    const before = await scanCorpus(corpus);
    for (const f of readdirSync(corpus)) appendFileSync(path.join(corpus, f), '\n\nMise à jour : le rédacteur a ajouté ce paragraphe de vérification.\n');
    const after = await scanCorpus(corpus);
    const version = async () => Number((await client.query(`SELECT value #>> '{}' AS v FROM killed_meta WHERE key = 'version'`)).rows[0].v);
    const start = await version();

    const run = spawnCli(['index', ...folders(s)], env);
    while ((await version()) === start && run.process.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    run.process.kill('SIGKILL');
    await run.exited;

    const versions = (list: typeof before.articles) => new Map(list.map((a) => [a.id, a]));
    const [old, fresh] = [versions(before.articles), versions(after.articles)];
    const stored = (await client.query('SELECT id, hash, text FROM killed_articles')).rows;
    expect(stored).toHaveLength(before.articles.length);
    let updated = 0;
    for (const row of stored) {
      const expected = [old.get(row.id)!, fresh.get(row.id)!].find((v) => v.hash === row.hash);
      expect(expected, `${row.id} has an unknown version`).toBeDefined();
      expect(row.text).toBe(expected!.text);
      if (expected === fresh.get(row.id)) updated++;
      const chunks = (await client.query('SELECT chunk_no, text FROM killed_chunks WHERE article_id = $1 ORDER BY chunk_no', [row.id])).rows;
      const spans = await chunkArticle(expected!);
      expect(chunks.map((c) => c.text)).toEqual(spans.map((sp) => expected!.text.slice(sp.start, sp.end)));
    }
    expect(updated).toBeGreaterThan(0);
    // A later run finishes the job.
    const resumed = runCli(['index', '--json', ...folders(s)], env).json();
    expect(resumed.updated).toBe(before.articles.length - updated);
  });
});
