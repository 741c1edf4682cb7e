// Exact nearest-neighbour search over unit vectors held in Float32Arrays: a
// dot product per stored vector, no graph, recall 1 by construction. A process
// that answers one question and exits scans the graph file's vectors this way
// (hnsw-file.ts) instead of building hnswlib's graph from it (see
// EXACT_SCAN_MAX_CHUNKS in store.ts); the vectors added since that file was
// written are always searched this way (vector-delta.ts).

export interface FlatHit {
  chunkId: number;
  score: number;
}

/** `vector` scaled to unit length, as hnswlib stores vectors of a cosine index (a zero vector stays zero). */
export function unitVector(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < out.length; i++) out[i]! *= scale;
  }
  return out;
}

/**
 * Unit vectors at arbitrary float offsets of one array, each with its chunk id. Scores are cosine similarities, as `1 - distance` of hnswlib's cosine space.
 */
export class FlatVectors {
  constructor(
    readonly dimension: number,
    private readonly floats: Float32Array,
    private readonly ids: Uint32Array,
    /** Where each id's vector starts in `floats`. */
    private readonly starts: Uint32Array,
  ) {}

  get length(): number {
    return this.ids.length;
  }

  /** The `k` best vectors for `query` among those whose id `accept`s, best first. */
  search(query: ArrayLike<number>, k: number, accept: (chunkId: number) => boolean = () => true): FlatHit[] {
    const top = new TopK(k);
    scanInto(top, unitQuery(query, this.dimension), this.floats, this.ids, this.starts, accept);
    return top.sorted();
  }
}

/**
 * A unit query as its non-zero dimensions: a dot product needs no others. The local embedder's
 * queries have a few dozen of 384 (hashed words), so a scan does a tenth of the work; a dense
 * query lists them all.
 */
export interface SparseQuery {
  dims: Uint32Array;
  values: Float32Array;
}

/** The query as a unit vector, checked against the index's dimension. */
export function unitQuery(query: ArrayLike<number>, dimension: number): SparseQuery {
  if (query.length !== dimension) throw new Error(`query has ${query.length} dimensions, the index ${dimension}`);
  const unit = unitVector(query);
  const dims = Uint32Array.from(unit.keys()).filter((d) => unit[d] !== 0);
  return { dims, values: dims.length === dimension ? unit : Float32Array.from(dims, (d) => unit[d]!) };
}

/** Offers `top` every vector of `floats` listed in `ids`/`starts` (vector i starts at float starts[i]). */
export function scanInto(top: TopK, q: SparseQuery, floats: Float32Array, ids: Uint32Array, starts: Uint32Array, accept: (chunkId: number) => boolean): void {
  const { dims, values } = q;
  const n = dims.length;
  for (let i = 0; i < ids.length; i++) {
    let dot = 0;
    const at = starts[i]!;
    for (let j = 0; j < n; j++) dot += values[j]! * floats[at + dims[j]!]!;
    if (top.admits(dot) && accept(ids[i]!)) top.push(ids[i]!, dot);
  }
}

/** The k highest scores seen, kept sorted in a small array (k is tens, the candidates thousands). */
export class TopK {
  private readonly hits: FlatHit[] = [];

  constructor(private readonly k: number) {}

  admits(score: number): boolean {
    return this.k > 0 && (this.hits.length < this.k || score > this.hits.at(-1)!.score);
  }

  push(chunkId: number, score: number): void {
    let at = this.hits.length;
    while (at > 0 && this.hits[at - 1]!.score < score) at--;
    this.hits.splice(at, 0, { chunkId, score });
    if (this.hits.length > this.k) this.hits.pop();
  }

  sorted(): FlatHit[] {
    return this.hits;
  }
}

/** Merges hit lists from separate vector sets into the `k` best overall. */
export function mergeHits(lists: FlatHit[][], k: number): FlatHit[] {
  return lists.flat().sort((a, b) => b.score - a.score).slice(0, k);
}
