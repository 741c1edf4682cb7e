// The Postgres + pgvector store past one machine: connect, create or upgrade
// the schema on first use, read and update the shared index.
import type { EmbedderStamp } from '../corpus-store.js';
import { PgDatabase, type DatabaseSettings } from './database.js';
import { bumpVersion, createChunkTables, createVectorIndex, dropStore, migrate, readEmbedder } from './schema.js';
import { PgStore } from './store.js';
import { updatePgIndex, type PgUpdateOptions } from './update.js';

export { DatabaseUnavailableError, PgvectorMissingError } from './connect.js';
export { SchemaTooNewError } from './schema.js';

export interface SharedStore {
  db: PgDatabase;
  storedEmbedder(): Promise<EmbedderStamp | undefined>;
  /** The store, or undefined while it holds no article. */
  openStore(): Promise<PgStore | undefined>;
  update(options: PgUpdateOptions): ReturnType<typeof updatePgIndex>;
}

/** Connects and makes sure the schema is current; fails with one clear message when the database is unreachable. */
export async function openSharedStore(settings: DatabaseSettings): Promise<SharedStore> {
  const db = new PgDatabase(settings);
  try {
    await db.withClient((client) => migrate(client, db.tables, db.where));
  } catch (error) {
    await db.close();
    throw error;
  }
  const storedEmbedder = () => readEmbedder(db, db.tables);
  return {
    db,
    storedEmbedder,
    async openStore() {
      const stamp = await storedEmbedder();
      if (!stamp) return undefined;
      const store = new PgStore(db, stamp);
      return (await store.counts()).articles > 0 ? store : undefined;
    },
    update: (options) => updatePgIndex(db, options),
  };
}

/** `akhbar migrate`: the schema, and the chunk tables for `stamp` when no embedder is recorded yet. */
export async function migrateSharedStore(settings: DatabaseSettings, stamp: EmbedderStamp): Promise<{ where: string; embedder: EmbedderStamp; created: boolean }> {
  const shared = await openSharedStore(settings);
  const { db } = shared;
  try {
    return await db.withWriterLock(async () => {
      const stored = await shared.storedEmbedder();
      if (stored) return { where: db.where, embedder: stored, created: false };
      await db.transaction(async (client) => {
        await createChunkTables(client, db.tables, stamp.dimension);
        await createVectorIndex(client, db.tables);
        await client.query(`INSERT INTO ${db.tables.meta} (key, value) VALUES ('embedder', $1) ON CONFLICT (key) DO UPDATE SET value = $1`, [JSON.stringify(stamp)]);
        await bumpVersion(client, db.tables);
      });
      return { where: db.where, embedder: stamp, created: true };
    });
  } finally {
    await db.close();
  }
}

/** Drops every table of the store named by `settings` (the evaluation starts each set from nothing). */
export async function dropSharedStore(settings: DatabaseSettings): Promise<void> {
  const db = new PgDatabase(settings);
  try {
    await dropStore(db, db.tables);
  } finally {
    await db.close();
  }
}
