// BM25 over analysed French/English terms. Why by hand: LangChain's
// BM25Retriever matches case-sensitive raw substrings and splits words on
// accents, and MiniSearch's BM25+ with term-count boosting measured ~10 points
// of recall@5 below plain BM25 here (../shared/NOTES.md). Postings are kept per
// term, sorted by chunk id, in typed arrays: one article's chunks can be added or
// removed without a rebuild, a query walks flat arrays (no Map per posting), and
// the index saves and loads as one binary blob whose arrays are used in place.
import type { QueryTerm } from '../text/analyze.js';
import { bytesOf, joinPieces, type Piece } from './pieces.js';

/** BM25 constants; the pgvector store's SQL uses the same, so both stores rank alike. */
export const K1 = 1.2;
export const B = 0.75;

export interface KeywordHit {
  chunkId: number;
  score: number;
}

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

/**
 * Relative margin added to each list's bound, and taken off the k-th partial
 * score before a chunk is left behind: partial sums are rounded in another order
 * than a chunk's exact score, and a chunk must never be dropped for a rounding
 * error (1e-9 is far above double rounding, far below any real score gap).
 */
const BOUND_SLACK = 1e-9;

/**
 * A list is looked up chunk by chunk (a binary search each) rather than walked
 * when the chunks still in the race times the search's steps, times this, stay
 * below the list's length. Measured on the bench's 100k chunks, interleaved:
 * 3 and 8 were 3% and 10% slower at the p95 than 1; 0.5 no clearer than 1.
 */
const LOOKUP_STEP_COST = 1;

interface TermList {
  ids: Uint32Array;
  tfs: Uint16Array;
  n: number;
  /** idf × the term's query weight. */
  idf: number;
  /** Most this list can add to any chunk's score. */
  bound: number;
}

/** Per-chunk arrays reused by every search of an index, clean between searches: accumulators, the chunks touched, the chunks in the running top k, and the contenders. */
class Scratch {
  readonly acc: Float64Array;
  readonly touched: Uint32Array;
  readonly inTop: Uint8Array;
  readonly contenders: Uint32Array;

  constructor(slots: number) {
    this.acc = new Float64Array(slots);
    this.touched = new Uint32Array(slots);
    this.inTop = new Uint8Array(slots);
    this.contenders = new Uint32Array(slots);
  }
}

/** One search's pass over its lists. */
class Scoring {
  /** Chunks with a non-zero accumulator: the first `touchedCount` of scratch.touched. */
  private touchedCount = 0;
  scored = 0;
  private readonly running: RunningTop;

  constructor(
    private readonly lengths: Int32Array,
    /** See KeywordIndex.norms. */
    private readonly norms: Float64Array,
    private readonly scratch: Scratch,
    k: number,
  ) {
    this.running = new RunningTop(k, scratch.acc, scratch.inTop);
  }

  top(lists: TermList[], k: number): KeywordHit[] {
    const byBound = [...lists].sort((a, b) => b.bound - a.bound);
    /** rest[i]: the most lists i.. of byBound can add to any chunk. */
    const rest = new Float64Array(byBound.length + 1);
    for (let i = byBound.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + byBound[i]!.bound;
    let i = 0;
    for (; i < byBound.length && !(this.running.full && this.running.kth() >= rest[i]!); i++) {
      this.addWhole(byBound[i]!);
    }
    const finalists = i < byBound.length ? this.addToContenders(byBound, rest, i) : this.finalists();
    return this.exactTop(finalists.sort(), lists, k);
  }

  /** A chunk's partial score can still reach the top k, with `rest` still to come, when it reaches this. */
  private needed(rest: number): number {
    return this.running.kth() * (1 - BOUND_SLACK) - rest;
  }

  /** Adds a whole list. */
  private addWhole({ ids, tfs, n, idf }: TermList): void {
    const { acc, touched } = this.scratch;
    const { norms, lengths } = this;
    const top = this.running;
    for (let p = 0; p < n; p++) {
      const id = ids[p]!;
      const tf = tfs[p]!;
      if (acc[id] === 0) touched[this.touchedCount++] = id;
      const score = (acc[id] += (idf * tf * (K1 + 1)) / (tf + norms[lengths[id]! + 1]!));
      if (score > top.floor) top.offer(id, score);
    }
    this.scored += n;
  }

  /**
   * Adds lists `from`.. of `byBound` to the chunks already met that can still
   * reach the top k (the others cannot, even with every list left: their
   * accumulators stop there and stay below the k-th score). Returns the chunks
   * whose score reaches the k-th once every list is added.
   */
  private addToContenders(byBound: TermList[], rest: Float64Array, from: number): Uint32Array {
    const { contenders } = this.scratch;
    // -1 until the contenders are listed: meanwhile a walk tells them by their score, and listing
    // them once after the first list, not before it and again after, saves a pass over the chunks met.
    let count = -1;
    let needed = this.needed(rest[from]!);
    for (let i = from; i < byBound.length; i++) {
      const list = byBound[i]!;
      const lookUp = (count < 0 ? this.touchedCount : count) * LOOKUP_STEP_COST * Math.log2(list.n + 1) < list.n;
      if (lookUp && count < 0) count = this.listContenders(needed);
      if (lookUp) this.lookUp(list, count, needed);
      else this.walk(list, needed);
      needed = this.needed(rest[i + 1]!);
      count = count < 0 ? this.listContenders(needed) : this.keep(count, needed);
    }
    return contenders.slice(0, count);
  }

  /** Adds `list` to each of the first `count` contenders whose partial score reaches `needed`, found by binary search. */
  private lookUp({ ids, tfs, n, idf }: TermList, count: number, needed: number): void {
    const { acc, contenders } = this.scratch;
    for (let c = 0; c < count; c++) {
      const id = contenders[c]!;
      const partial = acc[id]!;
      if (partial < needed) continue;
      const p = find(ids, n, id);
      if (p < 0) continue;
      this.add(id, partial, tfs[p]!, idf);
    }
  }

  /** Adds `list` to the chunks met whose partial score reaches `needed`, walking the whole list. */
  private walk({ ids, tfs, n, idf }: TermList, needed: number): void {
    const { acc } = this.scratch;
    for (let p = 0; p < n; p++) {
      const id = ids[p]!;
      const partial = acc[id]!;
      if (partial === 0 || partial < needed) continue;
      this.add(id, partial, tfs[p]!, idf);
    }
  }

  private add(id: number, partial: number, tf: number, idf: number): void {
    const score = (this.scratch.acc[id] = partial + (idf * tf * (K1 + 1)) / (tf + this.norms[this.lengths[id]! + 1]!));
    if (score > this.running.floor) this.running.offer(id, score);
    this.scored++;
  }

  /** Lists the chunks met whose partial score reaches `needed` as the contenders; returns how many. */
  private listContenders(needed: number): number {
    const { acc, touched, contenders } = this.scratch;
    let count = 0;
    for (let i = 0; i < this.touchedCount; i++) if (acc[touched[i]!]! >= needed) contenders[count++] = touched[i]!;
    return count;
  }

  /** Keeps the contenders whose partial score reaches `needed`; returns how many. */
  private keep(count: number, needed: number): number {
    const { acc, contenders } = this.scratch;
    let kept = 0;
    for (let c = 0; c < count; c++) {
      const id = contenders[c]!;
      if (acc[id]! >= needed) contenders[kept++] = id;
    }
    return kept;
  }

  /** Chunks whose accumulated score reaches the k-th (ties and rounding kept). */
  private finalists(): Uint32Array {
    const { acc, touched } = this.scratch;
    const floor = this.needed(0);
    const out: number[] = [];
    for (let i = 0; i < this.touchedCount; i++) if (acc[touched[i]!]! >= floor) out.push(touched[i]!);
    return Uint32Array.from(out);
  }

  /** Scores `chunkIds` (ascending) term after term in query order, and keeps the best k. */
  private exactTop(chunkIds: Uint32Array, lists: TermList[], k: number): KeywordHit[] {
    const top = new TopK(k);
    const positions = new Array<number>(lists.length).fill(0);
    for (const id of chunkIds) {
      const norm = this.norms[this.lengths[id]! + 1]!;
      let score = 0;
      for (const [q, { ids, tfs, n, idf }] of lists.entries()) {
        const pos = (positions[q] = seek(ids, positions[q]!, n, id));
        if (pos >= n || ids[pos] !== id) continue;
        const tf = tfs[pos]!;
        score += (idf * tf * (K1 + 1)) / (tf + norm);
      }
      // Ascending ids: one that only ties the k-th ranks below it.
      if (!top.full || score > top.minScore) top.push(id, score);
    }
    return top.sorted();
  }

  /** Leaves the scratch arrays clean for the next search. */
  clear(): void {
    const { acc, touched } = this.scratch;
    for (let i = 0; i < this.touchedCount; i++) acc[touched[i]!] = 0;
    this.running.clear();
  }
}

/**
 * The k chunks with the highest partial scores seen so far, as a min-heap of
 * (chunk, score when it entered). A chunk's accumulator only grows, so a kept
 * score is a lower bound of the chunk's, brought up to date only when it reaches
 * the root: the root is then the exact k-th partial score, at no cost per
 * posting beyond one comparison with `floor`.
 */
class RunningTop {
  private readonly ids: Uint32Array;
  private readonly scores: Float64Array;
  private size = 0;
  /** No chunk scoring at most this can enter (the root's kept score; −1 while not full). */
  floor = -1;

  constructor(
    private readonly k: number,
    private readonly acc: Float64Array,
    /** Marks the chunks kept, indexed by chunk id. */
    private readonly kept: Uint8Array,
  ) {
    this.ids = new Uint32Array(k);
    this.scores = new Float64Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** The k-th highest partial score (0 while fewer than k chunks were met). */
  kth(): number {
    if (!this.full) return 0;
    this.refreshRoot();
    return this.scores[0]!;
  }

  /** Offers a chunk whose partial score is now `score`. */
  offer(id: number, score: number): void {
    if (this.kept[id]) return;
    if (!this.full) {
      this.kept[id] = 1;
      this.siftUp(this.size++, id, score);
      if (this.full) this.kth();
      return;
    }
    if (score <= this.kth()) return;
    this.kept[this.ids[0]!] = 0;
    this.kept[id] = 1;
    this.siftDown(id, score);
    this.kth();
  }

  /** Brings the root's score up to date until the root's is current, so that it is the lowest of the kept chunks'. */
  private refreshRoot(): void {
    for (let current = this.acc[this.ids[0]!]!; current > this.scores[0]!; current = this.acc[this.ids[0]!]!) {
      this.siftDown(this.ids[0]!, current);
    }
    this.floor = this.scores[0]!;
  }

  private siftUp(at: number, id: number, score: number): void {
    const { ids, scores } = this;
    let i = at;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (scores[p]! <= score) break;
      ids[i] = ids[p]!;
      scores[i] = scores[p]!;
      i = p;
    }
    ids[i] = id;
    scores[i] = score;
  }

  /** Replaces the root with (`id`, `score`) and restores the heap. */
  private siftDown(id: number, score: number): void {
    const { ids, scores, size } = this;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const c = l + 1 < size && scores[l + 1]! < scores[l]! ? l + 1 : l;
      if (scores[c]! >= score) break;
      ids[i] = ids[c]!;
      scores[i] = scores[c]!;
      i = c;
    }
    ids[i] = id;
    scores[i] = score;
  }

  /** Unmarks the kept chunks. */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.kept[this.ids[i]!] = 0;
  }
}

/** Position of `id` in `ids[0, n)` (ascending), or -1. */
function find(ids: Uint32Array, n: number, id: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** First position at or after `from` whose id is ≥ `target`: galloping, then binary search. */
function seek(ids: Uint32Array, from: number, n: number, target: number): number {
  if (from >= n || ids[from]! >= target) return from;
  let lo = from;
  let step = 1;
  while (lo + step < n && ids[lo + step]! < target) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, n);
  // ids[lo] < target; the answer is in (lo, hi].
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The best `k` chunks by score, ties by ascending chunk id: a bounded min-heap whose root is the worst kept. */
class TopK {
  private readonly ids: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.ids.length >= this.k;
  }

  get minScore(): number {
    return this.scores[0]!;
  }

  /** `a` ranks below `b`. */
  private worse(a: number, b: number): boolean {
    return this.scores[a]! < this.scores[b]! || (this.scores[a] === this.scores[b] && this.ids[a]! > this.ids[b]!);
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b]!, this.ids[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }

  /** Adds a chunk, dropping the worst when full (the caller only offers one that beats it). */
  push(chunkId: number, score: number): void {
    if (this.full) {
      this.ids[0] = chunkId;
      this.scores[0] = score;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.ids.length && this.worse(l, m)) m = l;
        if (r < this.ids.length && this.worse(r, m)) m = r;
        if (m === i) return;
        this.swap(i, m);
        i = m;
      }
    }
    this.ids.push(chunkId);
    this.scores.push(score);
    for (let i = this.ids.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  sorted(): KeywordHit[] {
    return this.ids.map((chunkId, i) => ({ chunkId, score: this.scores[i]! })).sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
  }
}
