// The vectors of a loaded generation: hnswlib's graph once built (a long-running
// bot, a batch, an update that compacts), else an exact scan of the graph file's
// vectors (a fresh process asking one question); plus the delta of changes
// since that file was written, searched exactly beside either.
import { mergeHits, type FlatHit } from './flat-vectors.js';
import type { HnswFileScan } from './hnsw-file.js';
import { VectorDelta } from './vector-delta.js';
import { VectorIndex } from './vector.js';

export class StoreVectors {
  private constructor(
    readonly dimension: number,
    private graph: VectorIndex | undefined,
    private scan: HnswFileScan | undefined,
    private delta: VectorDelta,
  ) {}

  /** An empty index: vectors go straight into a new graph. */
  static empty(dimension: number, capacity: number): StoreVectors {
    return new StoreVectors(dimension, VectorIndex.create(dimension, capacity), undefined, new VectorDelta(dimension));
  }

  /** A saved generation's delta, before its graph file is built or scanned. */
  static unread(delta: VectorDelta): StoreVectors {
    return new StoreVectors(delta.dimension, undefined, undefined, delta);
  }

  get graphIndex(): VectorIndex | undefined {
    return this.graph;
  }

  /** Changes held beside the graph file (see DELTA_MAX_CHUNKS). */
  get deltaSize(): number {
    return this.delta.size;
  }

  /** Searching by an exact scan of the graph file. */
  get scanning(): boolean {
    return this.scan !== undefined;
  }

  get searchable(): boolean {
    return this.graph !== undefined || this.scan !== undefined;
  }

  /** Points of the graph file not marked deleted there, given the live chunk count. */
  liveInGraphFile(liveChunks: number): number {
    return liveChunks - this.delta.addedCount + this.delta.stale.size;
  }

  /** Searches the graph file's vectors exactly from now on. */
  useScan(scan: HnswFileScan): void {
    this.scan = scan;
  }

  /** Searches `graph`, built from the graph file, from now on; the chunks removed since it was written are marked deleted in it. */
  useGraph(graph: VectorIndex): void {
    for (const id of this.delta.stale) graph.remove(id);
    this.delta.stale.clear();
    this.graph = graph;
    this.scan = undefined;
  }

  /** The best `k` live chunks; `isLive` filters the graph file's scan, which still holds removed chunks. */
  search(vector: number[], k: number, isLive: (chunkId: number) => boolean): FlatHit[] {
    const main = this.graph ? this.graph.search(vector, k) : (this.scan?.search(vector, k, isLive) ?? []);
    const added = this.delta.vectors();
    return added.length === 0 ? main : mergeHits([main, added.search(vector, k)], k);
  }

  add(chunkId: number, vector: number[]): void {
    if (this.graph) this.graph.add(chunkId, vector);
    else this.delta.add(chunkId, vector);
  }

  remove(chunkId: number): void {
    if (this.graph && !this.delta.has(chunkId)) this.graph.remove(chunkId);
    else this.delta.remove(chunkId);
  }

  /** The graph with the delta folded in, for a save that writes it whole; undefined when it was never built. */
  compacted(): VectorIndex | undefined {
    if (!this.graph) return undefined;
    for (const [id, vector] of this.delta.entries()) this.graph.add(id, Array.from(vector));
    this.delta = new VectorDelta(this.dimension);
    return this.graph;
  }

  /** The delta file's bytes, when there are changes beside the graph file. */
  encodedDelta(): Buffer | undefined {
    return this.delta.size > 0 ? this.delta.encode() : undefined;
  }
}
