// One shared Postgres as the store's home: pooled queries with failures
// explained, transactions, and the writer lock all replicas respect.
import type pg from 'pg';
import { createLogger, type Logger } from '../../logger.js';
import { IndexBusyError } from '../lock.js';
import { createPool, describeDatabase, explainDatabaseError } from './connect.js';
import { tableNames, type Tables } from './tables.js';

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_TABLE_PREFIX: string;
  LOG_LEVEL?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

const LOCK_POLL_MS = 500;

export class PgDatabase {
  readonly tables: Tables;
  /** `database "x" on host:port`, for messages. */
  readonly where: string;
  private readonly pool: pg.Pool;
  private readonly log: Logger;

  constructor(private readonly settings: DatabaseSettings) {
    const url = settings.DATABASE_URL ?? '';
    this.pool = createPool(url, settings.DATABASE_POOL_SIZE);
    this.tables = tableNames(settings.DATABASE_TABLE_PREFIX);
    this.where = describeDatabase(url);
    this.log = createLogger(settings.LOG_LEVEL ?? 'info');
  }

  private explain(error: unknown): unknown {
    return explainDatabaseError(error, this.settings.DATABASE_URL ?? '');
  }

  async query<R extends pg.QueryResultRow = any>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** Runs `work` on one pooled connection (failures explained). */
  async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.explain(error);
    }
    let broken = false;
    try {
      return await work(client);
    } catch (error) {
      broken = error instanceof Error && !('severity' in error);
      throw this.explain(error);
    } finally {
      // A connection that failed outside SQL (dropped socket) is discarded, not reused.
      client.release(broken);
    }
  }

  /** Runs `work` in one transaction: all of it is visible to other replicas, or none. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * One writer at a time across all replicas: a session advisory lock, released
   * by Postgres itself if the holder dies. Waits up to `waitMs`, then says who is busy.
   */
  withWriterLock<T>(work: () => Promise<T>, waitMs = 120_000): Promise<T> {
    const key = this.tables.lockKey;
    return this.withClient(async (client) => {
      const deadline = Date.now() + waitMs;
      let announced = false;
      while (!(await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key])).rows[0].ok) {
        if (Date.now() > deadline) {
          throw new IndexBusyError(`Another akhbar replica is updating the shared index in the ${this.where}; try again when it has finished.`);
        }
        if (!announced) this.log.info(`Another replica is updating the shared index in the ${this.where}; waiting for it to finish.`);
        announced = true;
        await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
      }
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
