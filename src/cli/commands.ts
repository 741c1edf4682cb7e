// One function per CLI command. JSON field names are a stable contract (our
// evaluation reads them): change them only with a version bump.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Akhbar, EmptyQuestionError } from '../core/engine.js';
import { runEvaluation, formatEvaluation } from '../eval/evaluate.js';
import type { SearchLoad } from '../index/corpus-store.js';
import type { AnswerResult, SearchHit } from '../types.js';
import { BOT_COMMANDS } from './bot-commands.js';
import type { Command, CommandContext } from './command.js';
import { indexCommand, warnAboutCorpus } from './index-command.js';
import { UsageError } from './command.js';
import { formatAnswer, formatHits, progressBar } from './output.js';

export function searchJson(query: string, hits: SearchHit[], id?: unknown) {
  return {
    ...(id !== undefined ? { id } : {}),
    query,
    results: hits.map((h) => ({
      rank: h.rank,
      score: h.score,
      articleId: h.article.id,
      title: h.article.title,
      source: h.article.source,
      url: h.article.url,
      date: h.article.date,
      lang: h.article.lang,
      chunkId: h.chunk.id,
      text: h.chunk.text,
    })),
  };
}

export function askJson(result: AnswerResult, id?: unknown) {
  return { ...(id !== undefined ? { id } : {}), ...result };
}

function topK(ctx: CommandContext): number {
  if (ctx.options.k === undefined) return ctx.settings.RETRIEVAL_TOP_K;
  const k = Number(ctx.options.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new UsageError('-k must be a whole number between 1 and 50.');
  return k;
}

/**
 * Opens the index, building it first when there is none (and saying what went wrong with files).
 * `searches`: how many searches the command makes (one question needs no HNSW graph on a small index).
 */
async function openEngine(ctx: CommandContext, searches: SearchLoad): Promise<Akhbar> {
  const engine = await Akhbar.open(ctx.settings, { onIndexProgress: progressBar('Indexing'), searches });
  const built = engine.lastIndexReport;
  if (built) warnAboutCorpus(built.warnings, built.articles, ctx.settings.CORPUS_DIR);
  return engine;
}

/** Runs `handle` on each `{"id","question"}` line of a JSONL file, writing one JSON line per input. */
async function runBatch(ctx: CommandContext, handle: (text: string, id: unknown) => Promise<object>): Promise<number> {
  let content: string;
  try {
    content = await readFile(ctx.options.batch!, 'utf8');
  } catch {
    throw new UsageError(`Cannot read the batch file ${ctx.options.batch}.`);
  }
  let failures = 0;
  for (const [i, line] of content.split('\n').entries()) {
    if (!line.trim()) continue;
    let input: { id?: unknown; question?: unknown; query?: unknown };
    try {
      input = JSON.parse(line);
    } catch {
      ctx.out(JSON.stringify({ line: i + 1, error: 'not valid JSON' }));
      failures++;
      continue;
    }
    const text = input.question ?? input.query;
    try {
      if (typeof text !== 'string') throw new EmptyQuestionError('missing "question"');
      ctx.out(JSON.stringify(await handle(text, input.id)));
    } catch (error) {
      if (!(error instanceof EmptyQuestionError)) throw error;
      ctx.out(JSON.stringify({ ...(input.id !== undefined ? { id: input.id } : {}), error: error.message }));
      failures++;
    }
  }
  return failures ? 1 : 0;
}

function requireText(ctx: CommandContext, what: string): string {
  const text = ctx.args.join(' ');
  if (!text.trim()) throw new EmptyQuestionError(`The ${what} is empty. Example: akhbar ${what === 'query' ? 'search' : 'ask'} "Combien d'emplois Inetum va-t-il créer ?"`);
  return text;
}

const ask: Command = async (ctx) => {
  if (ctx.options.batch) {
    const engine = await openEngine(ctx, 'many');
    return runBatch(ctx, async (q, id) => askJson(await engine.ask(q), id));
  }
  const question = requireText(ctx, 'question');
  const engine = await openEngine(ctx, 'few');
  const result = await engine.ask(question);
  ctx.out(ctx.options.json ? JSON.stringify(askJson(result)) : formatAnswer(result));
  return 0;
};

const search: Command = async (ctx) => {
  const k = topK(ctx);
  if (ctx.options.batch) {
    const engine = await openEngine(ctx, 'many');
    return runBatch(ctx, async (q, id) => searchJson(q, await engine.search(q, k), id));
  }
  const query = requireText(ctx, 'query');
  const engine = await openEngine(ctx, 'few');
  const hits = await engine.search(query, k);
  ctx.out(ctx.options.json ? JSON.stringify(searchJson(query, hits)) : formatHits(hits));
  return 0;
};

const sources: Command = async (ctx) => {
  const engine = await openEngine(ctx, 'none');
  const articles = await engine.listArticles();
  if (ctx.options.json) {
    ctx.out(JSON.stringify({ articles }));
    return 0;
  }
  if (!articles.length) ctx.out('No articles are indexed.');
  articles.forEach((a, i) => ctx.out(`${i + 1}. ${a.title} — ${[a.source, a.date, a.lang].filter(Boolean).join(', ')}${a.url ? ` <${a.url}>` : ''}`));
  return 0;
};

const evaluate: Command = async (ctx) => {
  const file = ctx.args[0];
  if (!file) throw new UsageError('Usage: akhbar eval FILE.jsonl [--corpus DIR] [--index DIR]');
  const engine = await openEngine(ctx, 'many');
  const report = await runEvaluation(engine, file);
  ctx.out(ctx.options.json ? JSON.stringify(report) : formatEvaluation(path.basename(file), report));
  return 0;
};

/** A command whose module is imported when it runs, so `akhbar ask` doesn't load feed parsers or pg. */
const lazy =
  (load: () => Promise<Command>): Command =>
  async (ctx) =>
    (await load())(ctx);
const ingestCommand = (name: string) => lazy(async () => (await import('./ingest-commands.js')).INGEST_COMMANDS[name]!);

export const COMMANDS: Record<string, Command> = {
  index: indexCommand,
  ask,
  search,
  sources,
  eval: evaluate,
  migrate: lazy(async () => (await import('./migrate.js')).migrateCommand),
  ...BOT_COMMANDS,
  add: ingestCommand('add'),
  feeds: ingestCommand('feeds'),
};
