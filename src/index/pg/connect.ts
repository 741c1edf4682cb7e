// The connection pool to the shared Postgres, and the translation of its
// failures into messages a person can act on (host and database named, never
// the password).
import pg from 'pg';
import { redact } from '../../logger.js';
import { DatabaseUnavailableError } from './errors.js';

export { DatabaseUnavailableError, PgvectorMissingError } from './errors.js';

/** `host:port/database` of a connection string, without user or password. */
export function describeDatabase(url: string): string {
  // Without its scheme, `user:pass@host/db` would parse as a URL whose path holds the password.
  if (!/^postgres(ql)?:\/\//i.test(url)) return 'the database in DATABASE_URL (not a postgres:// URL)';
  try {
    const u = new URL(url);
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `database "${database}" on ${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'the database in DATABASE_URL (which is not a valid URL)';
  }
}

/** Network and server-availability failures, as opposed to mistakes in our SQL. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_TEXT = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|not queryable/i;

export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; errors?: unknown[] };
  if (e?.code && UNAVAILABLE_CODES.has(e.code)) return true;
  if (Array.isArray(e?.errors) && e.errors.some(isUnavailable)) return true;
  return UNAVAILABLE_TEXT.test(e?.message ?? '');
}

/** Rewrites connection failures as DatabaseUnavailableError; other errors pass through. */
export function explainDatabaseError(error: unknown, url: string): unknown {
  const e = error as { code?: string; message?: string };
  const where = describeDatabase(url);
  if (isUnavailable(error)) {
    return new DatabaseUnavailableError(`Cannot reach the ${where} (${e.code ?? redact(e.message ?? 'no answer')}). Check DATABASE_URL and that Postgres is running.`);
  }
  if (e?.code === '28P01' || e?.code === '28000') return new DatabaseUnavailableError(`The ${where} refused the login (${e.code}): check the user and password in DATABASE_URL.`);
  if (e?.code === '3D000') return new DatabaseUnavailableError(`The ${where} does not exist: create it (createdb) or fix DATABASE_URL.`);
  return error;
}

export function createPool(url: string, size: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    // Questions fail fast (and get the apology) while the database is down.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A CLI run ends when its work is done, without waiting for idle connections.
    allowExitOnIdle: true,
    // ef_search must cover the 50 candidates retrieval asks for (pgvector's default is 40).
    onConnect: async (client) => {
      await client.query('SET hnsw.ef_search = 200');
    },
  });
  // An idle connection dropped by the server must not crash the process: the
  // pool discards it and opens a new one on the next query.
  pool.on('error', () => undefined);
  return pool;
}
