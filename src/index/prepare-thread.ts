// A large build with the local embedder analyses and embeds on a worker thread
// while the main thread inserts into hnswlib (single-threaded and the larger
// part of a build): the two overlap on a machine with two cores. Started per
// build and stopped after it.
import { Worker } from 'node:worker_threads';
import type { ChunkSpan } from '../ingest/chunk.js';
import type { HeadSource } from './prepare.js';
import type { PrepareReply, PrepareRequest } from './prepare-worker.js';

export class PrepareThread {
  private readonly pending = new Map<number, { resolve: (reply: PrepareReply) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: PrepareReply) => {
      const task = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) task?.reject(new Error(`the preparation thread failed: ${reply.error}`));
      else task?.resolve(reply);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`the preparation thread stopped (exit code ${code})`)));
  }

  static start(dimensions: number): PrepareThread {
    // Run from source (vitest, tsx), the worker is TypeScript too and needs tsx's loader.
    const fromSource = import.meta.url.endsWith('.ts');
    const file = new URL(fromSource ? './prepare-worker.ts' : './prepare-worker.js', import.meta.url);
    return new PrepareThread(new Worker(file, { workerData: { dimensions }, ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}) }));
  }

  prepare(articles: Array<HeadSource & { text: string }>, spans: ChunkSpan[][]): Promise<PrepareReply> {
    const id = this.nextId++;
    const reply = new Promise<PrepareReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ id, articles: articles.map(({ text, title, source, lang }) => ({ text, title, source, lang })), spans } satisfies PrepareRequest);
    return reply;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
