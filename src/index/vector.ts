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

export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;
/** Query-time breadth: recall@10 ≈ 0.99 on clustered data at 200, 0.93 at 100 (NOTES). */
export const HNSW_EF_SEARCH = 200;

export interface VectorHit {
  chunkId: number;
  score: number;
}

export class VectorIndex {
  private constructor(private readonly native: Native, readonly dimension: number, private live: number) {
    native.setEf(HNSW_EF_SEARCH);
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

  add(chunkId: number, vector: number[]): void {
    if (vector.length !== this.dimension) {
      throw new Error(`embedding has ${vector.length} dimensions, the index ${this.dimension}`);
    }
    if (this.native.getCurrentCount() >= this.native.getMaxElements()) {
      this.native.resizeIndex(Math.ceil(this.native.getMaxElements() * 1.5) + 16);
    }
    this.native.addPoint(vector, chunkId, true);
    this.live++;
  }

  remove(chunkId: number): void {
    this.native.markDelete(chunkId);
    this.live--;
  }

  search(vector: number[], k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const { neighbors, distances } = this.native.searchKnn(vector, n);
    return neighbors.map((chunkId, i) => ({ chunkId, score: 1 - distances[i]! }));
  }
}
