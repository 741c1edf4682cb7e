// BM25 scoring of one query's posting lists, term at a time with MaxScore pruning:
// lists whose bounds together cannot lift a chunk into the top k are only looked up
// for the chunks still in the race. Results match exhaustive scoring to the last bit
// (tested against a separate exhaustive scorer).

/** BM25 constants; the pgvector store's SQL uses the same, so both stores rank alike. */
export const K1 = 1.2;
export const B = 0.75;

export interface KeywordHit {
  chunkId: number;
  score: number;
}

/**
 * Relative margin added to each list's bound, and taken off the k-th partial
 * score before a chunk is left behind: partial sums are rounded in another order
 * than a chunk's exact score, and a chunk must never be dropped for a rounding
 * error (1e-9 is far above double rounding, far below any real score gap).
 */
export const BOUND_SLACK = 1e-9;

/**
 * A list is looked up chunk by chunk (a binary search each) rather than walked
 * when the chunks still in the race times the search's steps, times this, stay
 * below the list's length. Measured on the bench's 100k chunks, interleaved:
 * 3 and 8 were 3% and 10% slower at the p95 than 1; 0.5 no clearer than 1.
 */
const LOOKUP_STEP_COST = 1;

export interface TermList {
  ids: Uint32Array;
  tfs: Uint16Array;
  n: number;
  /** idf × the term's query weight. */
  idf: number;
  /** Most this list can add to any chunk's score. */
  bound: number;
}

/** Per-chunk arrays reused by every search of an index, clean between searches: accumulators, the chunks touched, the chunks in the running top k, and the contenders. */
export class Scratch {
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
export class Scoring {
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
