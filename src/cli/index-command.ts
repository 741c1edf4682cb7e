// `akhbar index`: kept apart from the other commands so that a re-index loads
// only the indexing code, not the answering or Discord modules.
import path from 'node:path';
import { createEmbedder } from '../embeddings/index.js';
import { openIndexBackend } from '../index/backend.js';
import { HnswStore } from '../index/index.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { formatReport, progressBar } from './output.js';

export function warnAboutCorpus(problems: string[], articles: number, corpusDir: string): void {
  for (const p of problems) process.stderr.write(`warning: ${p}\n`);
  if (!articles) process.stderr.write(`warning: no articles found in ${corpusDir}\n`);
}

/** `akhbar index --verify`: every file of the live generation read and checked against its checksum, the vectors included. */
async function verifyIndex(ctx: CommandContext): Promise<number> {
  if (ctx.options.rebuild) throw new UsageError('--verify checks the index as it is: run it without --rebuild.');
  if (ctx.settings.VECTOR_STORE === 'pgvector') throw new UsageError('--verify checks the files of the embedded index (VECTOR_STORE=hnswlib); a shared store lives in Postgres.');
  const indexDir = path.resolve(ctx.settings.INDEX_DIR);
  const store = await HnswStore.load(indexDir, { verify: true });
  if (!store) throw new UsageError(`There is no index in ${indexDir} yet: \`akhbar index\` builds it.`);
  const { articles, chunks } = await store.counts();
  ctx.out(ctx.options.json ? JSON.stringify({ indexDir, intact: true, articles, chunks }) : `The index in ${indexDir} is intact: ${articles} articles, ${chunks} chunks, every file matching its checksum.`);
  return 0;
}

export const indexCommand: Command = async (ctx) => {
  if (ctx.options.verify) return verifyIndex(ctx);
  const embedder = await createEmbedder(ctx.settings);
  const backend = await openIndexBackend(ctx.settings, embedder);
  const { scan, report } = await backend
    .refresh(path.resolve(ctx.settings.CORPUS_DIR), { rebuild: ctx.options.rebuild, onProgress: progressBar('Embedding') })
    .finally(() => backend.close());
  warnAboutCorpus(scan.problems, scan.articles.length, ctx.settings.CORPUS_DIR);
  ctx.out(ctx.options.json ? JSON.stringify(report) : formatReport(report));
  return 0;
};
