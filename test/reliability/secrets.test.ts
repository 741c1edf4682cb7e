// A database password never reaches the terminal or the log, whatever shape
// DATABASE_URL has (a URL without its scheme used to print it).
import { afterEach, describe, expect, it } from 'vitest';
import { describeDatabase, explainDatabaseError } from '../../src/index/pg/connect.js';
import { createLogger } from '../../src/logger.js';
import { runCliAsync, scratchCorpus } from '../support/cli.js';

const PASSWORD = 's3cret-Pw';
const shapes = [`akhbar:${PASSWORD}@127.0.0.1:1/akhbar`, `akhbar:${PASSWORD}@db.invalid/akhbar`, `postgres://akhbar:${PASSWORD}@127.0.0.1:1/akhbar`, `akhbar:${PASSWORD}@@127.0.0.1/db`];

describe('DATABASE_URL', () => {
  const scratch = scratchCorpus();
  const saved = process.env.DATABASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  it.each(shapes)('%s: one clear line, without the password', async (url) => {
    const r = await runCliAsync(['sources', '--corpus', scratch.corpus, '--index', scratch.index], { VECTOR_STORE: 'pgvector', DATABASE_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stderr).not.toContain(PASSWORD);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('is masked in log lines and database errors, with or without a scheme', () => {
    for (const url of shapes) {
      process.env.DATABASE_URL = url;
      const lines: string[] = [];
      createLogger('info', (l) => void lines.push(l)).error(`cannot open ${url}`, new Error(`connect failed for ${url}`));
      expect(lines.join('')).toMatch(/cannot open/);
      expect(lines.join('')).not.toContain(PASSWORD);
      expect(describeDatabase(url)).not.toContain(PASSWORD);
      expect(String(explainDatabaseError(Object.assign(new Error(`timeout exceeded when trying to connect to ${url}`), { code: undefined }), url))).not.toContain(PASSWORD);
    }
  });

  it('masks the credentials of any URL in a log line, even one not in the environment', () => {
    delete process.env.DATABASE_URL;
    const lines: string[] = [];
    createLogger('info', (l) => void lines.push(l)).warn(`retrying postgres://other:${PASSWORD}@replica:5432/db`);
    expect(lines[0]).toContain('postgres://other:***@replica:5432/db');
  });
});
