// Vector changes made since the hnswlib graph file was written: vectors added
// (searched exactly, beside the graph) and chunk ids the graph still holds but
// that were removed. An `akhbar add` writes these instead of re-reading and
// re-writing the whole graph; they are merged into the graph at the next
// compaction (store.ts, DELTA_MAX_CHUNKS).
import { FlatVectors, unitVector } from './flat-vectors.js';

const MAGIC = 0x44564b41; // "AKVD"
const VERSION = 1;
const HEAD = 20;

export class VectorDeltaError extends Error {}

export class VectorDelta {
  /** Unit vectors by chunk id. */
  private readonly added = new Map<number, Float32Array>();
  /** Ids in the graph file that are no longer live. */
  readonly stale = new Set<number>();
  private flat: FlatVectors | undefined;

  constructor(readonly dimension: number) {}

  /** Vectors added plus graph entries removed: what a compaction would fold into the graph. */
  get size(): number {
    return this.added.size + this.stale.size;
  }

  /** Vectors added. */
  get addedCount(): number {
    return this.added.size;
  }

  has(chunkId: number): boolean {
    return this.added.has(chunkId);
  }

  entries(): IterableIterator<[number, Float32Array]> {
    return this.added.entries();
  }

  add(chunkId: number, vector: ArrayLike<number>): void {
    if (vector.length !== this.dimension) throw new Error(`embedding has ${vector.length} dimensions, the index ${this.dimension}`);
    this.added.set(chunkId, unitVector(vector));
    this.flat = undefined;
  }

  /** Forgets a chunk: dropped if it was added here, else remembered as stale in the graph. */
  remove(chunkId: number): void {
    if (this.added.delete(chunkId)) this.flat = undefined;
    else this.stale.add(chunkId);
  }

  /** The added vectors as one scannable array (rebuilt after a change; the delta stays small). */
  vectors(): FlatVectors {
    if (this.flat) return this.flat;
    const ids = Uint32Array.from(this.added.keys());
    const floats = new Float32Array(ids.length * this.dimension);
    const starts = new Uint32Array(ids.length);
    ids.forEach((id, i) => {
      starts[i] = i * this.dimension;
      floats.set(this.added.get(id)!, starts[i]);
    });
    return (this.flat = new FlatVectors(this.dimension, floats, ids, starts));
  }

  /** Layout (little-endian u32): magic, version, dimension, added, stale; ids[added]; stale[stale]; float32 vectors[added × dimension]. */
  encode(): Buffer {
    const count = this.added.size;
    const buffer = Buffer.alloc(HEAD + 4 * (count + this.stale.size + count * this.dimension));
    const u32 = new Uint32Array(buffer.buffer, buffer.byteOffset, (HEAD >> 2) + count + this.stale.size);
    u32.set([MAGIC, VERSION, this.dimension, count, this.stale.size]);
    u32.set([...this.added.keys(), ...this.stale], HEAD >> 2);
    const floats = new Float32Array(buffer.buffer, buffer.byteOffset + u32.byteLength, count * this.dimension);
    let at = 0;
    for (const vector of this.added.values()) {
      floats.set(vector, at);
      at += this.dimension;
    }
    return buffer;
  }

  /** Reads `encode`'s output; vectors stay views into `data`. Throws VectorDeltaError on a foreign or cut file. */
  static decode(data: Buffer, dimension: number): VectorDelta {
    const buffer = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
    if (buffer.length < HEAD) throw new VectorDeltaError('vector delta is too short');
    const [magic, version, dim, added, stale] = new Uint32Array(buffer.buffer, buffer.byteOffset, HEAD >> 2) as unknown as number[];
    if (magic !== MAGIC || version !== VERSION) throw new VectorDeltaError('not an akhbar vector delta');
    if (dim !== dimension) throw new VectorDeltaError(`vector delta has ${dim} dimensions, the index ${dimension}`);
    if (buffer.length !== HEAD + 4 * (added! + stale! + added! * dim)) throw new VectorDeltaError('vector delta has the wrong size');
    const ids = new Uint32Array(buffer.buffer, buffer.byteOffset + HEAD, added! + stale!);
    const floats = new Float32Array(buffer.buffer, buffer.byteOffset + HEAD + ids.byteLength, added! * dim);
    const delta = new VectorDelta(dimension);
    for (let i = 0; i < added!; i++) delta.added.set(ids[i]!, floats.subarray(i * dim, (i + 1) * dim));
    for (let i = added!; i < added! + stale!; i++) delta.stale.add(ids[i]!);
    return delta;
  }
}
