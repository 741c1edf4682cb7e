// HNSW recall@10 at the ef the product runs with, against an exact cosine scan
// over the same embeddings (re-embedded from the stored chunks). A returned
// chunk counts as a true neighbour when it scores at least the exact k-th best
// (ties: synthetic corpora repeat sentences, so equal vectors are common).
import type { Embedder } from '../../src/embeddings/index.js';
import { embeddingText, type HnswStore } from '../../src/index/index.js';

/** Every stored chunk's embedding, one row per chunk id of `ids`. */
export interface EmbeddedChunks {
  ids: number[];
  dim: number;
  matrix: Float32Array;
}

export async function embedStoredChunks(store: HnswStore, embedder: Embedder): Promise<EmbeddedChunks> {
  const ids = store.chunkIds();
  const dim = store.embedder.dimension;
  const matrix = new Float32Array(ids.length * dim);
  const batch = 256;
  // Titles from the article list, read once (store.article() walks every chunk, getArticle decodes the text).
  const titles = new Map((await store.listArticles()).map((a) => [a.id, a.title]));
  for (let i = 0; i < ids.length; i += batch) {
    const slice = ids.slice(i, i + batch).map((id) => {
      const c = store.chunk(id)!;
      return embeddingText(c.text, { title: titles.get(c.articleId)! });
    });
    const vectors = await embedder.embeddings.embedDocuments(slice);
    vectors.forEach((v, j) => matrix.set(v, (i + j) * dim));
  }
  return { ids, dim, matrix };
}

export async function hnswRecall(store: HnswStore, chunks: EmbeddedChunks, embedder: Embedder, queries: string[], k = 10): Promise<number[]> {
  const { ids, matrix } = chunks;
  const row = new Map(ids.map((id, r) => [id, r]));
  const recalls: number[] = [];
  for (const q of queries) {
    const qv = await embedder.embeddings.embedQuery(q);
    const scores = exactScores(matrix, ids.length, qv);
    const kth = [...scores].sort((a, b) => b - a)[Math.min(k, ids.length) - 1]!;
    const approx = await store.vectorSearch(qv, k);
    const good = approx.filter((h) => scores[row.get(h.chunkId)!]! >= kth - 1e-5).length;
    recalls.push(good / Math.min(k, ids.length));
  }
  return recalls;
}

/** Vectors are unit length, so cosine is the dot product. */
function exactScores(matrix: Float32Array, rows: number, q: number[]): Float32Array {
  const dim = q.length;
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * dim;
    for (let d = 0; d < dim; d++) s += matrix[base + d]! * q[d]!;
    scores[r] = s;
  }
  return scores;
}
