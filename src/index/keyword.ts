// BM25 over analysed French/English terms. Why by hand: LangChain's
// BM25Retriever matches case-sensitive raw substrings and splits words on
// accents, and MiniSearch's BM25+ with term-count boosting measured ~10 points
// of recall@5 below plain BM25 here (../shared/NOTES.md). Postings are kept per
// term, sorted by chunk id, in typed arrays: one article's chunks can be added or
// removed without a rebuild, a query walks flat arrays (no Map per posting), and
// the index saves and loads as one binary blob whose arrays are used in place.
import type { QueryTerm } from '../text/analyze.js';
import { B, BOUND_SLACK, K1, Scoring, Scratch, type KeywordHit, type TermList } from './bm25.js';
import { bytesOf, joinPieces, type Piece } from './pieces.js';

/** One term's postings: chunk ids ascending, with their term frequencies. */
class Postings {
  /** See KeywordIndex.tfBound: NaN until a search needs it (or as saved in the file), reset when a posting is set (a removal only loosens it). */
  bound = NaN;
  boundAvgdl = 0;

  constructor(
    public ids: Uint32Array,
    public tfs: Uint16Array,
    public n: number,
    /** False while the arrays are views into a loaded file: copied before the first change. */
    private owned: boolean,
  ) {}

  static empty(): Postings {
    return new Postings(new Uint32Array(4), new Uint16Array(4), 0, true);
  }

  /** Index of `id`, or -(insertion point) - 1. */
  find(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  private reserve(size: number): void {
    if (this.owned && size <= this.ids.length) return;
    const capacity = Math.max(4, size, this.owned ? this.ids.length * 2 : size);
    const ids = new Uint32Array(capacity);
    const tfs = new Uint16Array(capacity);
    ids.set(this.ids.subarray(0, this.n));
    tfs.set(this.tfs.subarray(0, this.n));
    this.ids = ids;
    this.tfs = tfs;
    this.owned = true;
  }

  set(id: number, tf: number): void {
    this.bound = NaN;
    const at = this.find(id);
    this.reserve(this.n + (at >= 0 ? 0 : 1));
    if (at >= 0) {
      this.tfs[at] = tf;
      return;
    }
    const pos = -at - 1;
    this.ids.copyWithin(pos + 1, pos, this.n);
    this.tfs.copyWithin(pos + 1, pos, this.n);
    this.ids[pos] = id;
    this.tfs[pos] = tf;
    this.n++;
  }

  /** Drops the postings of every chunk marked in `gone` (indexed by chunk id), in one pass. */
  deleteMarked(gone: Uint8Array): void {
    let first = 0;
    while (first < this.n && !gone[this.ids[first]!]) first++;
    if (first === this.n) return;
    this.bound = NaN;
    this.reserve(this.n);
    let kept = first;
    for (let i = first + 1; i < this.n; i++) {
      const id = this.ids[i]!;
      if (gone[id]) continue;
      this.ids[kept] = id;
      this.tfs[kept] = this.tfs[i]!;
      kept++;
    }
    this.n = kept;
  }
}

const MAGIC = 0x4d424b41; // "AKBM"
/**
 * 1: terms in the order they came, so a load decoded every list up front. 2:
 * terms sorted by their UTF-8 bytes with a table of where each starts, and the
 * chunk count and total length in the header: a load reads no list until a
 * search asks for its term. Both are read; saves write 2.
 */
const BINARY_VERSION = 2;
const HEADER_V1 = 24;
const HEADER = 40;
const MAX_TF = 0xffff;

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** The terms of a loaded file: each term's number, which is also its list's. */
interface TermTable {
  readonly size: number;
  /** The term's number, or -1. */
  find(term: string): number;
  term(i: number): string;
}

/** Version 2's terms: a binary search over their bytes, nothing read at load. */
class SortedTerms implements TermTable {
  constructor(
    /** The terms' bytes, one after another, in byte order. */
    private readonly bytes: Buffer,
    /** Where each term starts in `bytes`, and where the last ends. */
    private readonly starts: Uint32Array,
  ) {}

  get size(): number {
    return this.starts.length - 1;
  }

  find(term: string): number {
    const key = Buffer.from(term, 'utf8');
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const [start, end] = this.span(mid);
      // Negative when the term at `mid` sorts before `key`.
      const order = this.bytes.compare(key, 0, key.length, start, end);
      if (order === 0) return mid;
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  term(i: number): string {
    return this.bytes.toString('utf8', ...this.span(i));
  }

  private span(i: number): [number, number] {
    const start = this.starts[i]!;
    const end = this.starts[i + 1]!;
    if (start > end || end > this.bytes.length) throw new Error('keyword index terms are damaged');
    return [start, end];
  }
}

/** Version 1's terms, "\n"-joined in no order: split and mapped on first use. */
class ListedTerms implements TermTable {
  private terms: string[] | undefined;
  private numbers: Map<string, number> | undefined;

  constructor(
    private readonly joined: Buffer,
    readonly size: number,
  ) {}

  find(term: string): number {
    this.numbers ??= new Map(this.list().map((t, i) => [t, i]));
    return this.numbers.get(term) ?? -1;
  }

  term(i: number): string {
    return this.list()[i]!;
  }

  private list(): string[] {
    if (!this.terms) {
      const terms = this.size ? this.joined.toString('utf8').split('\n') : [];
      if (terms.length !== this.size) throw new Error('keyword index terms are damaged');
      this.terms = terms;
    }
    return this.terms;
  }
}

/** Version 2's list bounds (see KeywordIndex.tfBound): f64s at `at` in `buffer`, computed at `avgdl`. */
interface SavedBounds {
  buffer: Buffer;
  at: number;
  avgdl: number;
}

/** A loaded file's posting lists, made into Postings (views into the file) one term at a time, when first asked for. */
class SavedLists {
  constructor(
    readonly terms: TermTable,
    private readonly offsets: Uint32Array,
    private readonly ids: Uint32Array,
    private readonly tfs: Uint16Array,
    private readonly bounds?: SavedBounds,
  ) {}

  list(i: number): Postings {
    const from = this.offsets[i]!;
    const to = this.offsets[i + 1]!;
    if (to < from || to > this.ids.length) throw new Error('keyword index offsets are damaged');
    const list = new Postings(this.ids.subarray(from, to), this.tfs.subarray(from, to), to - from, false);
    if (this.bounds) {
      list.bound = this.bounds.buffer.readDoubleLE(this.bounds.at + 8 * i);
      list.boundAvgdl = this.bounds.avgdl;
    }
    return list;
  }
}

/** Byte offsets in `buffer.buffer` of consecutive sections of `sizes` bytes, the first at `at` in `buffer`. */
function sections(buffer: Buffer, at: number, sizes: number[]): number[] {
  const starts: number[] = [];
  let next = buffer.byteOffset + at;
  for (const size of sizes) {
    starts.push(next);
    next += size;
  }
  return starts;
}

export class KeywordIndex {
  /** The lists decoded or changed so far; those of the loaded file not asked for yet stay in `saved`. */
  private readonly postings = new Map<string, Postings>();
  private saved: SavedLists | undefined;
  /**
   * Chunks removed since the file was loaded, by id: taken out of each list of `saved`
   * when it is decoded. A delta applied at load (an update's removed chunks) then
   * decodes no more lists than the searches ask for.
   */
  private removedFromSaved: Uint8Array | undefined;
  /** Terms per chunk, indexed by chunk id; -1 where no chunk has that id. */
  private lengths = new Int32Array(0);
  private count = 0;
  private totalLength = 0;
  /** Postings whose contribution the last search computed (the benchmark reports it beside the lists' length). */
  lastScored = 0;
  /** Arrays every search reuses, grown with the chunk ids. */
  private scratch = new Scratch(0);
  /** The most terms a chunk has had (kept when it goes: it only sizes the norm table). */
  private maxLength = 0;
  /** See norms(). */
  private normCache: { avgdl: number; table: Float64Array } | undefined;

  /**
   * Layout (little-endian u32 unless noted): magic, version, terms, postings,
   * slots, term bytes, chunks, longest chunk, total length (f64); terms (UTF-8,
   * in byte order, one after another); term starts[terms+1]; offsets[terms+1];
   * bounds (f64)[terms], at the average length the header gives; ids[postings];
   * tfs (u16)[postings]; lengths (i32)[slots]. Sections are padded to 4 bytes.
   * Saving the bounds spares a fresh process a pass over every queried list.
   */
  toBinary(): Buffer {
    return joinPieces(this.binaryPieces());
  }

  /** toBinary's bytes in pieces, the posting lists as views of their arrays (a save writes them without a copy of the whole; see pieces.ts). */
  *binaryPieces(): Generator<Piece> {
    this.decodeAll();
    const entries = [...this.postings].map(([term, list]) => ({ bytes: Buffer.from(term, 'utf8'), list }));
    entries.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    const termLength = entries.reduce((sum, e) => sum + e.bytes.length, 0);
    const total = entries.reduce((sum, e) => sum + e.list.n, 0);
    const slots = this.lengths.length;
    const header = Buffer.alloc(HEADER);
    new Uint32Array(header.buffer, header.byteOffset, 8).set([MAGIC, BINARY_VERSION, entries.length, total, slots, termLength, this.count, this.maxLength]);
    header.writeDoubleLE(this.totalLength, 32);
    yield header;
    for (const { bytes } of entries) yield bytes;
    yield new Uint8Array(align4(termLength) - termLength);
    const avgdl = this.averageLength();
    const starts = new Uint32Array(entries.length + 1);
    const offsets = new Uint32Array(entries.length + 1);
    const bounds = new Float64Array(entries.length);
    let byte = 0;
    let next = 0;
    entries.forEach(({ bytes, list }, i) => {
      starts[i] = byte;
      byte += bytes.length;
      offsets[i] = next;
      next += list.n;
      bounds[i] = this.tfBound(list, avgdl);
    });
    starts[entries.length] = byte;
    offsets[entries.length] = next;
    yield bytesOf(starts);
    yield bytesOf(offsets);
    yield bytesOf(bounds);
    for (const { list } of entries) yield bytesOf(list.ids.subarray(0, list.n));
    for (const { list } of entries) yield bytesOf(list.tfs.subarray(0, list.n));
    yield new Uint8Array(align4(2 * total) - 2 * total);
    yield bytesOf(this.lengths);
  }

  /**
   * Reads `toBinary`'s output, of either version, without decoding a list: each
   * becomes a view into `data` when a search or a change first needs its term.
   * Throws on a foreign or cut file, and on damage when it is met.
   */
  static fromBinary(data: Buffer): KeywordIndex {
    // Typed-array views need 4-byte alignment: copy the rare unaligned buffer.
    const buffer = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
    if (buffer.length < HEADER_V1) throw new Error('keyword index file is too short');
    const [magic, version] = new Uint32Array(buffer.buffer, buffer.byteOffset, 2);
    if (magic !== MAGIC || (version !== 1 && version !== BINARY_VERSION)) throw new Error('not an akhbar keyword index');
    return version === 1 ? KeywordIndex.fromVersion1(buffer) : KeywordIndex.fromVersion2(buffer);
  }

  private static fromVersion2(buffer: Buffer): KeywordIndex {
    if (buffer.length < HEADER) throw new Error('keyword index file is too short');
    const [termCount, total, slots, termLength, chunks, maxLength] = new Uint32Array(buffer.buffer, buffer.byteOffset + 8, 6) as unknown as number[];
    const sizes = [align4(termLength!), 4 * (termCount! + 1), 4 * (termCount! + 1), 8 * termCount!, 4 * total!, align4(2 * total!), 4 * slots!];
    if (buffer.length !== HEADER + sizes.reduce((a, b) => a + b, 0)) throw new Error('keyword index file has the wrong size');
    const [, startsAt, offsetsAt, boundsAt, idsAt, tfsAt, lengthsAt] = sections(buffer, HEADER, sizes);
    const starts = new Uint32Array(buffer.buffer, startsAt, termCount! + 1);
    const offsets = new Uint32Array(buffer.buffer, offsetsAt, termCount! + 1);
    if (starts[termCount!] !== termLength || offsets[termCount!] !== total) throw new Error('keyword index offsets are damaged');
    const index = new KeywordIndex();
    index.lengths = new Int32Array(buffer.buffer, lengthsAt, slots).slice();
    index.count = chunks!;
    index.maxLength = maxLength!;
    index.totalLength = buffer.readDoubleLE(32);
    const terms = new SortedTerms(buffer.subarray(HEADER, HEADER + termLength!), starts);
    const bounds = { buffer, at: boundsAt! - buffer.byteOffset, avgdl: index.averageLength() };
    index.saved = new SavedLists(terms, offsets, new Uint32Array(buffer.buffer, idsAt, total), new Uint16Array(buffer.buffer, tfsAt, total), bounds);
    return index;
  }

  private static fromVersion1(buffer: Buffer): KeywordIndex {
    const [termCount, total, slots, termLength] = new Uint32Array(buffer.buffer, buffer.byteOffset + 8, 4) as unknown as number[];
    const sizes = [align4(termLength!), 4 * (termCount! + 1), 4 * total!, align4(2 * total!), 4 * slots!];
    if (buffer.length !== HEADER_V1 + sizes.reduce((a, b) => a + b, 0)) throw new Error('keyword index file has the wrong size');
    const [, offsetsAt, idsAt, tfsAt, lengthsAt] = sections(buffer, HEADER_V1, sizes);
    const index = new KeywordIndex();
    const lengths = (index.lengths = new Int32Array(buffer.buffer, lengthsAt, slots).slice());
    for (let i = 0; i < lengths.length; i++) {
      if (lengths[i]! < 0) continue;
      index.count++;
      index.totalLength += lengths[i]!;
      index.maxLength = Math.max(index.maxLength, lengths[i]!);
    }
    const terms = new ListedTerms(buffer.subarray(HEADER_V1, HEADER_V1 + termLength!), termCount!);
    const offsets = new Uint32Array(buffer.buffer, offsetsAt, termCount! + 1);
    index.saved = new SavedLists(terms, offsets, new Uint32Array(buffer.buffer, idsAt, total), new Uint16Array(buffer.buffer, tfsAt, total));
    return index;
  }

  /** A term's postings: decoded already, or now from the loaded file. */
  private list(term: string): Postings | undefined {
    const decoded = this.postings.get(term);
    if (decoded || !this.saved) return decoded;
    const i = this.saved.terms.find(term);
    if (i < 0) return undefined;
    const list = this.saved.list(i);
    if (this.removedFromSaved) list.deleteMarked(this.removedFromSaved);
    // A list left empty by removals is a term no chunk has any more, as if deleted.
    if (list.n === 0) return undefined;
    this.postings.set(term, list);
    return list;
  }

  /** Decodes every list of the loaded file not decoded yet: before a change or a save that goes over all terms. */
  private decodeAll(): void {
    const saved = this.saved;
    if (!saved) return;
    for (let i = 0; i < saved.terms.size; i++) {
      const term = saved.terms.term(i);
      if (this.postings.has(term)) continue;
      const list = saved.list(i);
      if (this.removedFromSaved) list.deleteMarked(this.removedFromSaved);
      if (list.n > 0) this.postings.set(term, list);
    }
    this.saved = undefined;
    this.removedFromSaved = undefined;
  }

  get size(): number {
    return this.count;
  }

  private reserve(chunkId: number): void {
    if (chunkId < this.lengths.length) return;
    const lengths = new Int32Array(Math.max(1024, chunkId + 1, this.lengths.length * 2)).fill(-1);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }

  private setLength(chunkId: number, length: number): void {
    this.reserve(chunkId);
    const old = this.lengths[chunkId]!;
    if (old < 0) this.count++;
    this.totalLength += length - Math.max(0, old);
    this.lengths[chunkId] = length;
    this.maxLength = Math.max(this.maxLength, length);
  }

  add(chunkId: number, terms: string[]): void {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let list = this.list(term);
      if (!list) this.postings.set(term, (list = Postings.empty()));
      list.set(chunkId, Math.min(tf, MAX_TF));
    }
    this.setLength(chunkId, terms.length);
  }

  /**
   * Removes chunks without their terms: one pass over every posting list. The
   * terms are not re-derived from the text, so what comes out is exactly what
   * went in, whatever analysed it.
   */
  removeChunks(chunkIds: readonly number[]): void {
    if (!chunkIds.length) return;
    const gone = new Uint8Array(this.lengths.length);
    for (const id of chunkIds) if (id < gone.length) gone[id] = 1;
    if (this.saved) this.removeFromSaved(gone);
    for (const [term, list] of this.postings) {
      list.deleteMarked(gone);
      if (list.n === 0) this.postings.delete(term);
    }
    for (const id of chunkIds) {
      const length = this.lengths[id] ?? -1;
      if (length < 0) continue;
      this.totalLength -= length;
      this.lengths[id] = -1;
      this.count--;
    }
  }

  /** Marks `gone` for the lists still in the loaded file (they drop those chunks when decoded). */
  private removeFromSaved(gone: Uint8Array): void {
    const marked = this.removedFromSaved;
    if (!marked) {
      this.removedFromSaved = gone;
      return;
    }
    const merged = marked.length >= gone.length ? marked : new Uint8Array(gone.length);
    if (merged !== marked) merged.set(marked);
    for (let id = 0; id < gone.length; id++) if (gone[id]) merged[id] = 1;
    this.removedFromSaved = merged;
  }

  /** Inverse document frequency (BM25's, floored at a small positive value). */
  idf(term: string): number {
    const n = this.count;
    const df = this.list(term)?.n ?? 0;
    return Math.max(0.01, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }

  documentFrequency(term: string): number {
    return this.list(term)?.n ?? 0;
  }

  /**
   * Upper bound of BM25's term-frequency factor, tf·(k1+1) / (tf + k1·(1−b+b·dl/avgdl)),
   * over `list` at `avgdl`. Computed once per list (reset when a posting is set)
   * at the average length of that moment; when the average has grown since,
   * every factor grew by at most avgdl/then (the length term of the denominator
   * shrinks by that ratio, the rest stays), so the bound is scaled by it.
   */
  private tfBound(list: Postings, avgdl: number): number {
    if (Number.isNaN(list.bound)) {
      const { ids, tfs, n } = list;
      const lengths = this.lengths;
      let best = 0;
      for (let i = 0; i < n; i++) {
        const tf = tfs[i]!;
        const stored = lengths[ids[i]!]!;
        const dl = stored >= 0 ? stored : avgdl;
        const f = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl) / avgdl));
        if (f > best) best = f;
      }
      list.bound = best;
      list.boundAvgdl = avgdl;
    }
    return list.bound * Math.max(1, avgdl / list.boundAvgdl);
  }

  /** Average terms per chunk. */
  private averageLength(): number {
    return this.totalLength / Math.max(1, this.count);
  }

  /**
   * BM25's length normalisation, k1·(1−b+b·dl/avgdl), by chunk length: entry
   * dl + 1 for a chunk of dl terms, entry 0 (average length) for a chunk with
   * none recorded. Chunk lengths are a few hundred values at most, so this is
   * one small table per change of the average, instead of a division per
   * posting scored or a pass over every chunk.
   */
  private norms(avgdl: number): Float64Array {
    if (this.normCache?.avgdl !== avgdl || this.normCache.table.length < this.maxLength + 2) {
      const table = new Float64Array(this.maxLength + 2);
      for (let dl = -1; dl <= this.maxLength; dl++) table[dl + 1] = K1 * (1 - B + (B * (dl >= 0 ? dl : avgdl)) / avgdl);
      this.normCache = { avgdl, table };
    }
    return this.normCache.table;
  }

  /**
   * Exact BM25 top `k`, ties by ascending chunk id. Term at a time with MaxScore
   * pruning (Turtle & Flood 1995): each query term's list has an upper bound on
   * what it adds to a chunk's score. Lists are added into per-chunk accumulators,
   * highest bound first, while a running top k of the partial scores keeps the
   * k-th one at hand; once the bounds of the lists left sum to no more than it,
   * a chunk not met yet cannot reach the top, so the long lists of frequent terms
   * only add to the chunks still in the race, which shrink list after list (each
   * looked up in the list by binary search once they are few). The few chunks
   * left are scored again in query order, as an exhaustive scorer sums them, so
   * scores and order are the same to the last bit. Why not document at a time:
   * in JavaScript its per-chunk merge of cursors cost more than the postings it
   * skipped. On the bench's 100k chunks, same process, interleaved with the
   * version before (a k-th-largest pass per list, every frequent list walked
   * whole), this takes about 20% less time at the median and the p95.
   */
  search(query: QueryTerm[], k: number): KeywordHit[] {
    this.lastScored = 0;
    if (k <= 0) return [];
    const avgdl = this.averageLength();
    const lists: TermList[] = [];
    for (const { term, weight } of query) {
      const list = this.list(term);
      if (!list || list.n === 0) continue;
      const idf = this.idf(term) * weight;
      lists.push({ ids: list.ids, tfs: list.tfs, n: list.n, idf, bound: idf * this.tfBound(list, avgdl) * (1 + BOUND_SLACK) });
    }
    if (!lists.length) return [];
    if (this.scratch.acc.length < this.lengths.length) this.scratch = new Scratch(this.lengths.length);
    const scoring = new Scoring(this.lengths, this.norms(avgdl), this.scratch, Math.min(k, this.lengths.length));
    try {
      return scoring.top(lists, k);
    } finally {
      this.lastScored = scoring.scored;
      scoring.clear();
    }
  }
}
