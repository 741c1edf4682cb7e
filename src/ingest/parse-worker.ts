// The worker side of parse-thread.ts: loads the HTML, YAML and splitting code
// and runs one task at a time for the main thread.
import { parentPort } from 'node:worker_threads';
import { chunkArticle } from './chunk.js';
import { IngestError } from './errors.js';
import { pageToMarkdown, parseArticle } from './load.js';

export type ParseTask = { kind: 'article'; raw: Uint8Array; file: string } | { kind: 'page'; body: Uint8Array; url: string } | { kind: 'chunk'; text: string };

export interface ParseReply {
  id: number;
  result?: unknown;
  /** `file` is set for an IngestError (a bad input, reported to the user), absent for a bug. */
  error?: { message: string; stack?: string; file?: string };
}

// Buffers arrive as plain Uint8Arrays (structured clone).
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function perform(task: ParseTask): unknown {
  switch (task.kind) {
    case 'article':
      return parseArticle(asBuffer(task.raw), task.file);
    case 'page':
      return pageToMarkdown(asBuffer(task.body), task.url);
    case 'chunk':
      return chunkArticle(task);
  }
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
