// The embedded vector index: hnswlib-node used directly. Why not LangChain's
// HNSWLib store: it keeps a second JSON copy of every passage (760 MB RSS at
// 100k chunks, ../shared/NOTES.md), hides markDelete (needed to replace one
// article's chunks in place) and leaves `ef` at 10 after load (recall 0.42).
// Labels are our chunk ids, so the passages live once, in the chunk store.
import { createRequire } from 'node:module';

type Hnswlib = typeof import('hnswlib-node');
type Native = InstanceType<Hnswlib['HierarchicalNSW']>;

let hnswlib: Hnswlib | undefined;
/** The native addon, loaded on first use: commands that never touch vectors (a no-op re-index) skip it. */
const hierarchicalNSW = () => (hnswlib ??= createRequire(import.meta.url)('hnswlib-node') as Hnswlib).HierarchicalNSW;

/**
 * Graph build. Measured with `npm run bench:hnsw` on the bench's corpus and the
 * hashed local embedder (sparse vectors, where greedy search easily stalls), at
 * 100k chunks, recall@10 against an exact scan: M 16 / efConstruction 100 stays
 * below 0.98 up to ef 800 (0.972; top-50 p95 5.7 ms on a quiet machine);
 * M 24 / efC 150 needs ef 500 (0.988); M 32 / efC 100 stays at 0.956 with
 * ef 500; M 32 / efC 200 reaches 0.981 at ef 300 and 0.988 at ef 400 (top-50
 * p95 about 2.2 ms at ef 300), for 2.2× the insert time of M 16 / efC 100 (10k
 * chunks: 10.9 s against 5.0 s). The search budget of a 100k index (5 ms for
 * the hybrid search) rules out the cheaper graphs.
 */
export const HNSW_M = 32;
export const HNSW_EF_CONSTRUCTION = 200;
/** Recorded with an index: one built with other settings is rebuilt, since `efSearch` is tuned to these. */
export const GRAPH_SETTINGS = `hnsw M${HNSW_M} efConstruction ${HNSW_EF_CONSTRUCTION}`;
/** Query-time breadth of small indexes: on this graph, recall@10 0.989 at 10k chunks with ef 100. */
export const HNSW_EF_MIN = 100;
/**
 * ef per √n: the ef that keeps recall@10 ≥ 0.98 grew like √n on this graph
 * (100 at 10k chunks, 300 at 100k); 10% above it, so ef 348 at 100k.
 */
const EF_PER_ROOT = 1.1;

/** Query-time breadth for an index of `size` points: √n-proportional above the floor. */
export function efSearch(size: number): number {
  return Math.max(HNSW_EF_MIN, Math.ceil(EF_PER_ROOT * Math.sqrt(size)));
}

export interface VectorHit {
  chunkId: number;
  score: number;
}

export class VectorIndex {
  private constructor(private readonly native: Native, readonly dimension: number, private live: number) {
    native.setEf(efSearch(live));
  }

  static create(dimension: number, capacity: number): VectorIndex {
    const native = new (hierarchicalNSW())('cosine', dimension);
    native.initIndex({ maxElements: Math.max(16, capacity), m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42, allowReplaceDeleted: true });
    return new VectorIndex(native, dimension, 0);
  }

  /** `live` is the number of points not marked deleted (kept in the manifest). */
  /** Reads on libuv's thread pool (not readIndexSync): the rest of start-up goes on meanwhile. */
  static async load(file: string, dimension: number, live: number): Promise<VectorIndex> {
    const native = new (hierarchicalNSW())('cosine', dimension);
    await native.readIndex(file, true);
    return new VectorIndex(native, dimension, live);
  }

  save(file: string): void {
    this.native.writeIndexSync(file);
  }

  /** Number of points not marked deleted. */
  get size(): number {
    return this.live;
  }

  /** The query-time breadth in use. */
  get ef(): number {
    return this.native.getEf();
  }

  add(chunkId: number, vector: number[]): void {
    if (vector.length !== this.dimension) {
      throw new Error(`embedding has ${vector.length} dimensions, the index ${this.dimension}`);
    }
    if (this.native.getCurrentCount() >= this.native.getMaxElements()) {
      this.native.resizeIndex(Math.ceil(this.native.getMaxElements() * 1.5) + 16);
    }
    this.native.addPoint(vector, chunkId, true);
    this.live++;
    this.native.setEf(efSearch(this.live));
  }

  remove(chunkId: number): void {
    this.native.markDelete(chunkId);
    this.live--;
    this.native.setEf(efSearch(this.live));
  }

  search(vector: number[], k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const { neighbors, distances } = this.native.searchKnn(vector, n);
    return neighbors.map((chunkId, i) => ({ chunkId, score: 1 - distances[i]! }));
  }
}
