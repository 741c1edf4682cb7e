// In the bot, parsing and chunking run on a worker thread: Readability on a
// page of a few megabytes holds a thread for seconds, and the bot's thread must
// stay free to acknowledge Discord interactions (3 s) while articles are added
// or re-indexed. One worker, started on first use, serves every caller in turn;
// it keeps the process alive only while it has work. One-shot commands have no
// event loop to keep free: they parse inline and spare the thread's start-up.
import { Worker } from 'node:worker_threads';
import type { Article } from '../types.js';
import type { ChunkSpan } from './chunk.js';
import { IngestError } from './errors.js';
import type { ParseTask } from './parse-tasks.js';
import type { ParseReply } from './parse-worker.js';

let offThread = false;
let worker: Worker | undefined;
const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
let nextId = 0;

function failAll(error: Error): void {
  for (const { reject } of pending.values()) reject(error);
  pending.clear();
}

function start(): Worker {
  // Run from source (vitest, tsx), the worker is TypeScript too and needs tsx's loader.
  const fromSource = import.meta.url.endsWith('.ts');
  const thread = new Worker(new URL(fromSource ? './parse-worker.ts' : './parse-worker.js', import.meta.url), fromSource ? { execArgv: ['--import', 'tsx'] } : {});
  thread.on('message', ({ id, result, error }: ParseReply) => {
    const task = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) thread.unref();
    if (!error) return task?.resolve(result as never);
    task?.reject(error.file === undefined ? Object.assign(new Error(error.message), { stack: error.stack }) : new IngestError(error.file, error.message.slice(error.file.length + 2)));
  });
  // If the worker dies, the tasks in flight fail (a bug, not a bad input); the next task starts a new worker.
  thread.on('error', (error) => failAll(error));
  thread.on('exit', (code) => {
    if (worker === thread) worker = undefined;
    failAll(new Error(`the parsing thread stopped (exit code ${code})`));
  });
  return thread;
}

/** From now on this process parses on the worker (the bot calls it as it starts). */
export function parseOffThread(): void {
  offThread = true;
}

async function run<T>(task: ParseTask): Promise<T> {
  // Loaded on use: the HTML, YAML and splitting code costs ~0.3 s to import.
  if (!offThread) return (await import('./parse-tasks.js')).perform(task) as T;
  worker ??= start();
  worker.ref();
  const id = nextId++;
  const result = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (value: never) => void, reject }));
  worker.postMessage({ id, task });
  return result;
}

/** Raw file content → a cleaned Article (load.ts's parseArticle, on the worker). `file` is relative to the corpus folder. */
export function parseArticle(raw: Buffer, file: string): Promise<Article> {
  return run({ kind: 'article', raw, file });
}

/** A fetched HTML page → the Markdown file it becomes (load.ts's pageToMarkdown, on the worker). */
export function pageToMarkdown(body: Buffer, url: string): Promise<{ markdown: string; title: string; date: string }> {
  return run({ kind: 'page', body, url });
}

/** An article's passages, as character offsets in its text (chunk.ts, on the worker). */
export function chunkArticle(article: Pick<Article, 'text'>): Promise<ChunkSpan[]> {
  return run({ kind: 'chunk', text: article.text });
}
