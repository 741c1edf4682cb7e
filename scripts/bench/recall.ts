// HNSW recall@10 at the ef the product runs with, against an exact cosine scan
// over the same embeddings (re-embedded from the stored chunks).
import type { Embedder } from '../../src/embeddings/index.js';
import { embeddingText, type HnswStore } from '../../src/index/index.js';

export async function hnswRecall(store: HnswStore, embedder: Embedder, queries: string[], k = 10): Promise<number[]> {
  const ids = store.chunkIds();
  const dim = store.embedder.dimension;
  const matrix = new Float32Array(ids.length * dim);
  const batch = 256;
  for (let i = 0; i < ids.length; i += batch) {
    const slice = ids.slice(i, i + batch).map((id) => {
      const c = store.chunk(id)!;
      return embeddingText(c.text, store.article(c.articleId)!);
    });
    const vectors = await embedder.embeddings.embedDocuments(slice);
    vectors.forEach((v, j) => matrix.set(v, (i + j) * dim));
  }
  const recalls: number[] = [];
  for (const q of queries) {
    const qv = await embedder.embeddings.embedQuery(q);
    const exact = exactTopK(matrix, ids, qv, k);
    const approx = new Set((await store.vectorSearch(qv, k)).map((h) => h.chunkId));
    recalls.push(exact.filter((id) => approx.has(id)).length / exact.length);
  }
  return recalls;
}

/** Vectors are unit length, so cosine is the dot product. */
function exactTopK(matrix: Float32Array, ids: number[], q: number[], k: number): number[] {
  const dim = q.length;
  const scores = new Float32Array(ids.length);
  for (let r = 0; r < ids.length; r++) {
    let s = 0;
    const base = r * dim;
    for (let d = 0; d < dim; d++) s += matrix[base + d]! * q[d]!;
    scores[r] = s;
  }
  return [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, k).map((r) => ids[r]!);
}
