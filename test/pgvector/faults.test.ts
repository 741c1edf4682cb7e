// Faults of the shared store: no database, no pgvector, a database that goes
// away under a running replica and comes back.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { ROOT, runCli, scratchCorpus } from '../support/cli.js';
import { startTestDatabase, type TestDatabase } from '../support/pglite.js';

const INETUM_EN = 'How many jobs will Inetum create by 2027?';
const started: TestDatabase[] = [];

async function database(options?: { vector?: boolean }): Promise<TestDatabase> {
  const db = await startTestDatabase(options);
  started.push(db);
  return db;
}

afterAll(async () => {
  await Promise.all(started.map((db) => db.stop()));
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('the database at start', () => {
  it('names host and database, never the password, when it cannot be reached', async () => {
    const port = await closedPort();
    const s = scratchCorpus();
    const r = runCli(['ask', INETUM_EN, '--corpus', s.corpus, '--index', s.index], {
      VECTOR_STORE: 'pgvector',
      DATABASE_URL: `postgres://akhbar:hunter2-secret@127.0.0.1:${port}/newsroom`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Cannot reach the database "newsroom" on 127.0.0.1:${port}`);
    expect(r.stderr + r.stdout).not.toContain('hunter2');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('says how to enable pgvector when the server lacks it', async () => {
    const db = await database({ vector: false });
    const s = scratchCorpus();
    const r = runCli(['index', '--corpus', s.corpus, '--index', s.index], { VECTOR_STORE: 'pgvector', DATABASE_URL: db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pgvector extension is not available in the database "postgres".*install pgvector.*CREATE EXTENSION vector/);
  });

  it('asks for DATABASE_URL when pgvector is chosen without one', () => {
    const r = runCli(['sources'], { VECTOR_STORE: 'pgvector', DATABASE_URL: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/VECTOR_STORE=pgvector needs DATABASE_URL/);
  });
});

describe('a running replica', () => {
  it('fails questions clearly while the database is down and answers again once it is back', async () => {
    const db = await database();
    const s = scratchCorpus();
    const engine = await Akhbar.open(loadSettings({ VECTOR_STORE: 'pgvector', DATABASE_URL: db.url, CORPUS_DIR: s.corpus, INDEX_DIR: s.index, LOG_LEVEL: 'silent' }));
    try {
      expect((await engine.ask(INETUM_EN)).answer).toMatch(/1 500/);
      await db.stop();
      await expect(engine.ask(INETUM_EN)).rejects.toThrow(/Cannot reach the database "postgres" on 127\.0\.0\.1/);
      await db.restart();
      const again = await engine.ask(INETUM_EN);
      expect(again.refused).toBe(false);
      expect(again.citations[0].articleId).toMatch(/^003_/);
    } finally {
      await engine.close();
    }
  });

  it('answers about an article another replica added, without a restart', async () => {
    const db = await database();
    const env = { VECTOR_STORE: 'pgvector', DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
    const a = scratchCorpus();
    const engine = await Akhbar.open(loadSettings({ ...env, CORPUS_DIR: a.corpus, INDEX_DIR: a.index }));
    try {
      const question = 'En quelle année Huawei est-il entré sur le marché marocain ?';
      expect((await engine.ask(question)).refused).toBe(true);
      const b = scratchCorpus();
      rmSync(b.corpus, { recursive: true });
      mkdirSync(b.corpus);
      copyFileSync(path.join(ROOT, 'eval/articles-dev/013-huawei-veut-lancer-5g-maroc.md'), path.join(b.corpus, '013-huawei.md'));
      expect(runCli(['index', '--corpus', b.corpus, '--index', b.index], env).code).toBe(0);
      const answer = await engine.ask(question);
      expect(answer.answer).toContain('1999');
      expect(answer.citations[0].articleId).toBe('013-huawei');
      expect((await engine.stats()).articles).toBe(6);
    } finally {
      await engine.close();
    }
  });
});
