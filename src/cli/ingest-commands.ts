// `akhbar add` and `akhbar feeds`: bring new articles into the corpus from files,
// URLs and RSS/Atom feeds, then index them incrementally.
import path from 'node:path';
import type { Settings } from '../config.js';
import { createEmbedder } from '../embeddings/index.js';
import { indexedArticles, openIndexBackend, type IndexBackend } from '../index/backend.js';
import type { IndexedArticles } from '../index/index.js';
import { addSources, type AddResult } from '../ingest/add.js';
import { FetchError, fetchLimits } from '../ingest/fetch-url.js';
import { FeedError } from '../ingest/errors.js';
import { chunkArticle, IngestError, type CorpusScan } from '../ingest/index.js';
import type { IndexReport } from '../types.js';
import type { Command, CommandContext } from './command.js';
import { UsageError } from './command.js';
import { writeStderr } from '../std-streams.js';
import { formatReport, progressBar } from './output.js';

async function withBackend<T>(settings: Settings, run: (backend: IndexBackend) => Promise<T>): Promise<T> {
  const backend = await openIndexBackend(settings, await createEmbedder(settings));
  try {
    return await run(backend);
  } finally {
    await backend.close();
  }
}

const indexCorpus = (settings: Settings) => withBackend(settings, async (b) => (await b.refresh(path.resolve(settings.CORPUS_DIR), { onProgress: progressBar('Embedding') })).report);

/** Indexes the corpus as `addSources` left it, without scanning it again (nor reading again what `indexed` holds). */
const indexAdded = (settings: Settings, corpus: CorpusScan, indexed?: IndexedArticles) =>
  withBackend(settings, async (b) => (await b.update(corpus, { onProgress: progressBar('Embedding'), searches: 'none', indexed })).report);

async function describe(r: AddResult) {
  const a = r.article;
  return { input: r.input, status: r.status, file: a.file, id: a.id, title: a.title, source: a.source, url: a.url, date: a.date, lang: a.lang, chunks: (await chunkArticle(a)).length };
}

function line(d: Awaited<ReturnType<typeof describe>>): string {
  const what = `"${d.title}"${d.source ? ` — ${d.source}` : ''}`;
  return d.status === 'added' ? `Added ${what} as ${d.file} (${d.chunks} chunks).` : `Already in the corpus: ${what} (${d.file}); not added again.`;
}

const add: Command = async (ctx) => {
  if (!ctx.args.length) throw new UsageError('Usage: akhbar add <file|url>… [--corpus DIR] [--index DIR] [--json]');
  const corpusDir = path.resolve(ctx.settings.CORPUS_DIR);
  const indexed = await indexedArticles(ctx.settings);
  const outcome = await addSources(corpusDir, ctx.args, fetchLimits(ctx.settings), indexed?.articles);
  const report = outcome.results.some((r) => r.status === 'added') ? await indexAdded(ctx.settings, outcome.corpus, indexed) : undefined;
  const items = await Promise.all(outcome.results.map(describe));
  if (ctx.options.json) {
    ctx.out(JSON.stringify({ items, failures: outcome.failures, index: report ?? null }));
  } else {
    items.forEach((d) => ctx.out(line(d)));
    if (report) ctx.out(formatReport(report));
  }
  for (const f of outcome.failures) writeStderr(`Not added: ${f.message}\n`);
  return outcome.failures.length ? 1 : 0;
};

/** The feed code and its XML parser (~0.15 s to load), for the feed commands only. */
const feedsModule = () => import('../ingest/feeds.js');

async function feedsAdd(ctx: CommandContext, file: string): Promise<number> {
  const url = ctx.args[1];
  if (!url) throw new UsageError('Usage: akhbar feeds add <url>');
  const { entry, items, existed } = await (await feedsModule()).addFeed(file, url, fetchLimits(ctx.settings));
  if (ctx.options.json) ctx.out(JSON.stringify({ feed: entry, items, existed }));
  else ctx.out(existed ? `Already followed: ${url}` : `Following "${entry.title ?? url}" (${items} items now); run \`akhbar feeds sync\` to add them.`);
  return 0;
}

async function feedsList(ctx: CommandContext, file: string): Promise<number> {
  const feeds = await (await feedsModule()).readFeeds(file);
  if (ctx.options.json) ctx.out(JSON.stringify({ feeds }));
  else if (!feeds.length) ctx.out(`No feeds yet (${file}); add one with \`akhbar feeds add <url>\`.`);
  else feeds.forEach((f, i) => ctx.out(`${i + 1}. ${f.title ?? f.url} <${f.url}>${f.lastSyncAt ? ` (last sync ${f.lastSyncAt})` : ''}`));
  return 0;
}

async function feedsSync(ctx: CommandContext, file: string): Promise<number> {
  const reports = await (await feedsModule()).syncFeeds(file, path.resolve(ctx.settings.CORPUS_DIR), fetchLimits(ctx.settings));
  const added = reports.flatMap((r) => r.added);
  const index = added.length ? await indexCorpus(ctx.settings) : undefined;
  const errors = reports.flatMap((r) => r.errors);
  if (ctx.options.json) {
    const feeds = await Promise.all(reports.map(async (r) => ({ feed: r.feed, added: await Promise.all(r.added.map(describe)), duplicates: r.duplicates, errors: r.errors })));
    ctx.out(JSON.stringify({ feeds, index: index ?? null }));
  } else {
    if (!reports.length) ctx.out(`No feeds yet (${file}); add one with \`akhbar feeds add <url>\`.`);
    for (const r of reports) ctx.out(`${r.feed}: ${r.added.length} added, ${r.duplicates} already in the corpus${r.errors.length ? `, ${r.errors.length} failed` : ''}.`);
    for (const d of await Promise.all(added.map(describe))) ctx.out(`  ${line(d)}`);
    if (index) ctx.out(formatReport(index));
  }
  for (const e of errors) writeStderr(`${e}\n`);
  return errors.length ? 1 : 0;
}

const feeds: Command = async (ctx) => {
  const file = path.resolve(ctx.settings.FEEDS_FILE);
  const run = { add: feedsAdd, list: feedsList, sync: feedsSync }[ctx.args[0] ?? ''];
  if (!run) throw new UsageError('Usage: akhbar feeds add <url> | feeds list | feeds sync');
  return run(ctx, file);
};

/** Known ingestion failures are one clear line and exit code 1, with nothing written. */
function guarded(command: Command): Command {
  return async (ctx) => {
    try {
      return await command(ctx);
    } catch (error) {
      if (!(error instanceof FetchError || error instanceof FeedError || error instanceof IngestError)) throw error;
      writeStderr(`${error.message}\n`);
      return 1;
    }
  };
}

export const INGEST_COMMANDS: Record<string, Command> = { add: guarded(add), feeds: guarded(feeds) };
