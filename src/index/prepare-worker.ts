// The worker side of prepare-thread.ts: analyses and embeds (local embedder) the
// chunks of a batch of articles while the main thread inserts the previous batch.
import { parentPort, workerData } from 'node:worker_threads';
import { LocalHashEmbeddings } from '../embeddings/local.js';
import type { ChunkSpan } from '../ingest/chunk.js';
import { words } from '../text/analyze.js';
import { chunkTerms, chunkVector, headOf, type HeadSource } from './prepare.js';

export interface PrepareRequest {
  id: number;
  articles: Array<HeadSource & { text: string }>;
  spans: ChunkSpan[][];
}

export interface PrepareReply {
  id: number;
  /** Per article, per chunk. */
  terms?: string[][][];
  /** Every chunk's vector, one after the other. */
  vectors?: Float64Array;
  analyzeMs?: number;
  embedMs?: number;
  error?: string;
}

const local = new LocalHashEmbeddings((workerData as { dimensions: number }).dimensions);
const port = parentPort!;

port.on('message', ({ id, articles, spans }: PrepareRequest) => {
  try {
    const count = spans.reduce((sum, s) => sum + s.length, 0);
    const vectors = new Float64Array(count * local.dimensions);
    let analyzeMs = 0;
    let embedMs = 0;
    let row = 0;
    const terms = articles.map((a, i) => {
      const head = headOf(a);
      return spans[i]!.map(({ start, end }) => {
        let t = performance.now();
        const text = words(a.text.slice(start, end));
        const out = chunkTerms(head, text);
        analyzeMs += performance.now() - t;
        t = performance.now();
        vectors.set(chunkVector(head, text, local), row++ * local.dimensions);
        embedMs += performance.now() - t;
        return out;
      });
    });
    const reply: PrepareReply = { id, terms, vectors, analyzeMs, embedMs };
    port.postMessage(reply, [vectors.buffer]);
  } catch (error) {
    port.postMessage({ id, error: (error as Error).stack ?? String(error) } satisfies PrepareReply);
  }
});
