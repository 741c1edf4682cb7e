// Keyword changes made since keyword.bin was written: the terms of chunks added and the ids of
// chunks removed. An `akhbar add` writes these beside a hard link to keyword.bin instead of
// decoding and re-encoding the postings whole (3 MB at 10k chunks); a load applies them to the
// postings it read, so searches see one index. Folded into keyword.bin whenever the vector graph
// is written whole (store.ts, DELTA_MAX_CHUNKS): both deltas hold the same chunks.
import type { KeywordIndex } from './keyword.js';

const MAGIC = 0x444b4b41; // "AKKD"
const VERSION = 1;
const HEAD = 20;

export class KeywordDeltaError extends Error {}

export class KeywordDelta {
  /** Analysed terms by chunk id, for chunks added since keyword.bin. */
  private readonly added = new Map<number, string[]>();
  /** Chunks keyword.bin holds that were removed since. */
  private readonly removed = new Set<number>();

  get size(): number {
    return this.added.size + this.removed.size;
  }

  add(chunkId: number, terms: string[]): void {
    this.added.set(chunkId, terms);
  }

  /** Forgets chunks: dropped if added here, else remembered as removed from keyword.bin. */
  remove(chunkIds: readonly number[]): void {
    for (const id of chunkIds) if (!this.added.delete(id)) this.removed.add(id);
  }

  /** Brings postings read from keyword.bin up to date. */
  applyTo(index: KeywordIndex): void {
    index.removeChunks([...this.removed]);
    for (const [id, terms] of this.added) index.add(id, terms);
  }

  /** Layout (little-endian u32): magic, version, added, removed, term bytes; ids[added]; removed[removed]; term counts[added]; the terms in order, UTF-8, "\n"-joined. */
  encode(): Buffer {
    const terms = Buffer.from([...this.added.values()].flat().join('\n'), 'utf8');
    const count = this.added.size;
    const table = HEAD + 4 * (2 * count + this.removed.size);
    const buffer = Buffer.alloc(table + terms.length);
    const u32 = new Uint32Array(buffer.buffer, buffer.byteOffset, table >> 2);
    u32.set([MAGIC, VERSION, count, this.removed.size, terms.length]);
    u32.set([...this.added.keys(), ...this.removed, ...[...this.added.values()].map((t) => t.length)], HEAD >> 2);
    terms.copy(buffer, table);
    return buffer;
  }

  /** Reads `encode`'s output. Throws KeywordDeltaError on a foreign or cut file. */
  static decode(data: Buffer): KeywordDelta {
    const buffer = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
    if (buffer.length < HEAD) throw new KeywordDeltaError('keyword delta is too short');
    const [magic, version, added, removed, termBytes] = new Uint32Array(buffer.buffer, buffer.byteOffset, HEAD >> 2) as unknown as number[];
    if (magic !== MAGIC || version !== VERSION) throw new KeywordDeltaError('not an akhbar keyword delta');
    const table = HEAD + 4 * (2 * added! + removed!);
    if (buffer.length !== table + termBytes!) throw new KeywordDeltaError('keyword delta has the wrong size');
    const u32 = new Uint32Array(buffer.buffer, buffer.byteOffset + HEAD, 2 * added! + removed!);
    const terms = termBytes ? buffer.toString('utf8', table).split('\n') : [];
    const delta = new KeywordDelta();
    let at = 0;
    for (let i = 0; i < added!; i++) {
      const n = u32[added! + removed! + i]!;
      delta.added.set(u32[i]!, terms.slice(at, at + n));
      at += n;
    }
    if (at !== terms.length) throw new KeywordDeltaError('keyword delta terms are damaged');
    for (let i = 0; i < removed!; i++) delta.removed.add(u32[added! + i]!);
    return delta;
  }
}
