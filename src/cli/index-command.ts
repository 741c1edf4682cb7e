// `akhbar index`: kept apart from the other commands so that a re-index loads
// only the indexing code, not the answering or Discord modules.
import path from 'node:path';
import { createEmbedder } from '../embeddings/index.js';
import { openIndexBackend } from '../index/backend.js';
import type { Command } from './command.js';
import { formatReport, progressBar } from './output.js';

export function warnAboutCorpus(problems: string[], articles: number, corpusDir: string): void {
  for (const p of problems) process.stderr.write(`warning: ${p}\n`);
  if (!articles) process.stderr.write(`warning: no articles found in ${corpusDir}\n`);
}

export const indexCommand: Command = async (ctx) => {
  const embedder = await createEmbedder(ctx.settings);
  const backend = await openIndexBackend(ctx.settings, embedder);
  const { scan, report } = await backend
    .refresh(path.resolve(ctx.settings.CORPUS_DIR), { rebuild: ctx.options.rebuild, onProgress: progressBar('Embedding') })
    .finally(() => backend.close());
  warnAboutCorpus(scan.problems, scan.articles.length, ctx.settings.CORPUS_DIR);
  ctx.out(ctx.options.json ? JSON.stringify(report) : formatReport(report));
  return 0;
};
