// The work parse-thread.ts hands out: parsing a file, turning a fetched page
// into Markdown, chunking a text. Run on the worker in the bot, inline elsewhere.
import { chunkArticle } from './chunk.js';
import { pageToMarkdown, parseArticle } from './load.js';

export type ParseTask = { kind: 'article'; raw: Uint8Array; file: string } | { kind: 'page'; body: Uint8Array; url: string } | { kind: 'chunk'; text: string };

// Buffers cross to the worker as plain Uint8Arrays (structured clone).
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function perform(task: ParseTask): unknown {
  switch (task.kind) {
    case 'article':
      return parseArticle(asBuffer(task.raw), task.file);
    case 'page':
      return pageToMarkdown(asBuffer(task.body), task.url);
    case 'chunk':
      return chunkArticle(task);
  }
}
