// The worker side of parse-thread.ts: runs one task at a time for the main thread.
import { parentPort } from 'node:worker_threads';
import { IngestError } from './errors.js';
import { perform, type ParseTask } from './parse-tasks.js';

export interface ParseReply {
  id: number;
  result?: unknown;
  /** `file` is set for an IngestError (a bad input, reported to the user), absent for a bug. */
  error?: { message: string; stack?: string; file?: string };
}

const port = parentPort!;
port.on('message', async ({ id, task }: { id: number; task: ParseTask }) => {
  let reply: ParseReply;
  try {
    reply = { id, result: await perform(task) };
  } catch (error) {
    const e = error as Error;
    reply = { id, error: { message: e.message, stack: e.stack, file: error instanceof IngestError ? error.file : undefined } };
  }
  port.postMessage(reply);
});
