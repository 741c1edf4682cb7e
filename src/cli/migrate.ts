// `akhbar migrate`: creates or upgrades the shared store's tables ahead of the
// first index run (replicas also do it on first use).
import { createEmbedder, describeEmbedder } from '../embeddings/index.js';
import { stampOf } from '../index/index.js';
import { migrateSharedStore } from '../index/pg/index.js';
import { SCHEMA_VERSION } from '../index/pg/schema.js';
import type { Command } from './command.js';
import { UsageError } from './command.js';

export const migrateCommand: Command = async (ctx) => {
  if (ctx.settings.VECTOR_STORE !== 'pgvector') {
    throw new UsageError('`akhbar migrate` prepares the shared Postgres store: set VECTOR_STORE=pgvector and DATABASE_URL first. The hnswlib index needs no migration.');
  }
  const stamp = await stampOf(await createEmbedder(ctx.settings));
  const result = await migrateSharedStore(ctx.settings, stamp);
  const summary = { schemaVersion: SCHEMA_VERSION, database: result.where, embedder: describeEmbedder(result.embedder), created: result.created };
  ctx.out(
    ctx.options.json
      ? JSON.stringify(summary)
      : `Schema version ${SCHEMA_VERSION} is in place in the ${result.where}; vectors: ${summary.embedder}${result.created ? ' (tables created)' : ''}.`,
  );
  return 0;
};
