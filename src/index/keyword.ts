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
  /** See KeywordIndex.tfBound: NaN until a search needs it, reset when a posting is set (a removal only loosens it). */
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
const BINARY_VERSION = 1;
const MAX_TF = 0xffff;

function align4(n: number): number {
  return (n + 3) & ~3;
}

export class KeywordIndex {
  private readonly postings = new Map<string, Postings>();
  /** Terms per chunk, indexed by chunk id; -1 where no chunk has that id. */
  private lengths = new Int32Array(0);
  private count = 0;
  private totalLength = 0;
  /** Postings whose contribution the last search computed (the benchmark reports it beside the lists' length). */
  lastScored = 0;
  /** Arrays every search reuses, grown with the chunk ids. */
  private scratch = new Scratch(0);

  /** Layout (little-endian u32 unless noted): magic, version, terms, postings, slots, term bytes; terms (UTF-8, "\n"-joined); offsets[terms+1]; ids[postings]; tfs (u16)[postings]; lengths (i32)[slots]. */
  toBinary(): Buffer {
    return joinPieces(this.binaryPieces());
  }

  /** toBinary's bytes in pieces, the posting lists as views of their arrays (a save writes them without a copy of the whole; see pieces.ts). */
  *binaryPieces(): Generator<Piece> {
    const terms = [...this.postings.keys()];
    const joined = terms.join('\n');
    const termBytes = Buffer.byteLength(joined);
    const lists = [...this.postings.values()];
    const total = lists.reduce((s, p) => s + p.n, 0);
    const slots = this.lengths.length;
    yield bytesOf(Uint32Array.of(MAGIC, BINARY_VERSION, terms.length, total, slots, termBytes));
    yield joined;
    yield new Uint8Array(align4(termBytes) - termBytes);
    const offsets = new Uint32Array(terms.length + 1);
    let next = 0;
    lists.forEach((p, i) => {
      offsets[i] = next;
      next += p.n;
    });
    offsets[terms.length] = next;
    yield bytesOf(offsets);
    for (const p of lists) yield bytesOf(p.ids.subarray(0, p.n));
    for (const p of lists) yield bytesOf(p.tfs.subarray(0, p.n));
    yield new Uint8Array(align4(2 * total) - 2 * total);
    yield bytesOf(this.lengths);
  }

  /** Reads `toBinary`'s output; the posting arrays stay views into `data`. Throws on a foreign or cut file. */
  static fromBinary(data: Buffer): KeywordIndex {
    // Typed-array views need 4-byte alignment: copy the rare unaligned buffer.
    const buffer = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
    if (buffer.length < 24) throw new Error('keyword index file is too short');
    const [magic, version, termCount, total, slots, termLength] = new Uint32Array(buffer.buffer, buffer.byteOffset, 6);
    if (magic !== MAGIC || version !== BINARY_VERSION) throw new Error('not an akhbar keyword index');
    const sizes = [24, align4(termLength!), 4 * (termCount! + 1), 4 * total!, align4(2 * total!), 4 * slots!];
    if (buffer.length !== sizes.reduce((a, b) => a + b, 0)) throw new Error('keyword index file has the wrong size');
    const terms = termCount ? buffer.toString('utf8', 24, 24 + termLength!).split('\n') : [];
    if (terms.length !== termCount) throw new Error('keyword index terms are damaged');
    let at = buffer.byteOffset + 24 + sizes[1]!;
    const offsets = new Uint32Array(buffer.buffer, at, termCount! + 1);
    at += sizes[2]!;
    const ids = new Uint32Array(buffer.buffer, at, total);
    const tfs = new Uint16Array(buffer.buffer, at + sizes[3]!, total);
    const index = new KeywordIndex();
    index.lengths = new Int32Array(buffer.buffer, at + sizes[3]! + sizes[4]!, slots).slice();
    for (const length of index.lengths) {
      if (length < 0) continue;
      index.count++;
      index.totalLength += length;
    }
    terms.forEach((term, i) => {
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      if (to < from || to > total!) throw new Error('keyword index offsets are damaged');
      index.postings.set(term, new Postings(ids.subarray(from, to), tfs.subarray(from, to), to - from, false));
    });
    return index;
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
  }

  add(chunkId: number, terms: string[]): void {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let list = this.postings.get(term);
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

  /** Inverse document frequency (BM25's, floored at a small positive value). */
  idf(term: string): number {
    const n = this.count;
    const df = this.postings.get(term)?.n ?? 0;
    return Math.max(0.01, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.n ?? 0;
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

  /**
   * Exact BM25 top `k`, ties by ascending chunk id. Term at a time with MaxScore
   * pruning (Turtle & Flood 1995): each query term's list has an upper bound on
   * what it adds to a chunk's score. Lists are added into per-chunk accumulators,
   * highest bound first; once the bounds of the lists left sum to no more than
   * the k-th partial score, a chunk not met yet cannot reach the top, so the long
   * lists of frequent terms only add to the chunks still in the race (a check per
   * posting, no score). The few chunks left are scored again in query order, as
   * an exhaustive scorer sums them, so scores and order are the same to the last bit.
   * Why not document at a time (the previous MaxScore here): in JavaScript its
   * per-chunk merge of cursors cost more than the postings it skipped. On the
   * bench's 100k chunks, same process, interleaved, this takes 20–30% less time
   * at the median and p95 on a lightly loaded machine (load 3.6: p95 5.7–6.7 ms
   * against 7.9–8.3), 35–50% less under heavy load.
   */
  search(query: QueryTerm[], k: number): KeywordHit[] {
    this.lastScored = 0;
    if (k <= 0) return [];
    const avgdl = this.totalLength / Math.max(1, this.count);
    const lists: TermList[] = [];
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list || list.n === 0) continue;
      const idf = this.idf(term) * weight;
      lists.push({ ids: list.ids, tfs: list.tfs, n: list.n, idf, bound: idf * this.tfBound(list, avgdl) * (1 + BOUND_SLACK) });
    }
    if (!lists.length) return [];
    if (this.scratch.acc.length < this.lengths.length) this.scratch = new Scratch(this.lengths.length);
    const scoring = new Scoring(this.lengths, avgdl, this.scratch);
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

interface TermList {
  ids: Uint32Array;
  tfs: Uint16Array;
  n: number;
  /** idf × the term's query weight. */
  idf: number;
  /** Most this list can add to any chunk's score. */
  bound: number;
}

/** Per-chunk arrays reused by every search of an index: accumulators (zero between searches) and the chunks touched. */
class Scratch {
  readonly acc: Float64Array;
  readonly touched: Uint32Array;

  constructor(slots: number) {
    this.acc = new Float64Array(slots);
    this.touched = new Uint32Array(slots);
  }
}

/** One search's pass over its lists. */
class Scoring {
  /** Chunks with a non-zero accumulator: the first `touchedCount` of scratch.touched. */
  private touchedCount = 0;
  scored = 0;

  constructor(
    private readonly lengths: Int32Array,
    private readonly avgdl: number,
    private readonly scratch: Scratch,
  ) {}

  /** BM25 length normalisation of a chunk (a missing length counts as average). */
  private norm(chunkId: number): number {
    const stored = this.lengths[chunkId]!;
    const dl = stored >= 0 ? stored : this.avgdl;
    return K1 * (1 - B + (B * dl) / this.avgdl);
  }

  top(lists: TermList[], k: number): KeywordHit[] {
    const byBound = [...lists].sort((a, b) => b.bound - a.bound);
    /** rest[i]: the most lists i.. of byBound can add to any chunk. */
    const rest = new Float64Array(byBound.length + 1);
    for (let i = byBound.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + byBound[i]!.bound;
    const from = this.accumulate(byBound, rest, k);
    if (from < byBound.length) {
      const floor = this.kth(k) * (1 - BOUND_SLACK);
      for (let i = from; i < byBound.length; i++) this.addToContenders(byBound[i]!, floor - rest[i]!);
    }
    return this.exactTop(this.finalists(k), lists, k);
  }

  /** Adds whole lists while a chunk outside them could still enter the top k; returns the first list not added. */
  private accumulate(byBound: TermList[], rest: Float64Array, k: number): number {
    const { acc, touched } = this.scratch;
    let best = 0;
    for (let i = 0; i < byBound.length; i++) {
      // The k-th partial score is at most the best one: only then is it worth finding.
      if (this.touchedCount >= k && best >= rest[i]! && this.kth(k) >= rest[i]!) return i;
      const { ids, tfs, n, idf } = byBound[i]!;
      for (let p = 0; p < n; p++) {
        const id = ids[p]!;
        const tf = tfs[p]!;
        if (acc[id] === 0) touched[this.touchedCount++] = id;
        const score = (acc[id] += (idf * tf * (K1 + 1)) / (tf + this.norm(id)));
        if (score > best) best = score;
      }
      this.scored += n;
    }
    return byBound.length;
  }

  /**
   * Adds `list` to the chunks already met whose partial score reaches `needed`:
   * the others cannot reach the top k even with every list left (their
   * accumulators stop there and stay below the k-th score).
   */
  private addToContenders({ ids, tfs, n, idf }: TermList, needed: number): void {
    const { acc } = this.scratch;
    for (let p = 0; p < n; p++) {
      const id = ids[p]!;
      const partial = acc[id]!;
      if (partial === 0 || partial < needed) continue;
      const tf = tfs[p]!;
      acc[id] = partial + (idf * tf * (K1 + 1)) / (tf + this.norm(id));
      this.scored++;
    }
  }

  /** The k-th highest accumulator (0 while fewer than k chunks were met). */
  private kth(k: number): number {
    return this.touchedCount < k ? 0 : kthLargest(this.scratch.acc, this.scratch.touched, this.touchedCount, k);
  }

  /** Chunks whose accumulated score reaches the k-th (ties and rounding kept), ascending. */
  private finalists(k: number): Uint32Array {
    const { acc, touched } = this.scratch;
    const floor = this.kth(k) * (1 - BOUND_SLACK);
    const out: number[] = [];
    for (let i = 0; i < this.touchedCount; i++) if (acc[touched[i]!]! >= floor) out.push(touched[i]!);
    return Uint32Array.from(out).sort();
  }

  /** Scores `chunkIds` (ascending) term after term in query order, and keeps the best k. */
  private exactTop(chunkIds: Uint32Array, lists: TermList[], k: number): KeywordHit[] {
    const top = new TopK(k);
    const positions = new Array<number>(lists.length).fill(0);
    for (const id of chunkIds) {
      const norm = this.norm(id);
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

  /** Zeroes the accumulators this search touched. */
  clear(): void {
    const { acc, touched } = this.scratch;
    for (let i = 0; i < this.touchedCount; i++) acc[touched[i]!] = 0;
  }
}

/** The k-th largest of `acc` over the first `count` of `ids` (count ≥ k): a min-heap of the best k. */
function kthLargest(acc: Float64Array, ids: Uint32Array, count: number, k: number): number {
  const heap = new Float64Array(k);
  for (let i = 0; i < k; i++) siftUp(heap, i, acc[ids[i]!]!);
  for (let i = k; i < count; i++) {
    const v = acc[ids[i]!]!;
    if (v > heap[0]!) siftDown(heap, k, v);
  }
  return heap[0]!;
}

function siftUp(heap: Float64Array, at: number, v: number): void {
  let i = at;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (heap[p]! <= v) break;
    heap[i] = heap[p]!;
    i = p;
  }
  heap[i] = v;
}

/** Replaces the root of a min-heap of `size` with `v`. */
function siftDown(heap: Float64Array, size: number, v: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const c = l + 1 < size && heap[l + 1]! < heap[l]! ? l + 1 : l;
    if (heap[c]! >= v) break;
    heap[i] = heap[c]!;
    i = c;
  }
  heap[i] = v;
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
