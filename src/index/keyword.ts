// BM25 over analysed French/English terms. Why by hand: LangChain's
// BM25Retriever matches case-sensitive raw substrings and splits words on
// accents, and MiniSearch's BM25+ with term-count boosting measured ~10 points
// of recall@5 below plain BM25 here (../shared/NOTES.md). Postings are kept per
// term, sorted by chunk id, in typed arrays: one article's chunks can be added or
// removed without a rebuild, a query walks flat arrays (no Map per posting), and
// the index saves and loads as one binary blob whose arrays are used in place.
import type { QueryTerm } from '../text/analyze.js';

/** BM25 constants; the pgvector store's SQL uses the same, so both stores rank alike. */
export const K1 = 1.2;
export const B = 0.75;

export interface KeywordHit {
  chunkId: number;
  score: number;
}

/** One term's postings: chunk ids ascending, with their term frequencies. */
class Postings {
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
  /** Per-query scratch space, indexed by chunk id (searches are synchronous). */
  private scores = new Float64Array(0);
  private seen = new Uint8Array(0);

  /** Layout (little-endian u32 unless noted): magic, version, terms, postings, slots, term bytes; terms (UTF-8, "\n"-joined); offsets[terms+1]; ids[postings]; tfs (u16)[postings]; lengths (i32)[slots]. */
  toBinary(): Buffer {
    const terms = [...this.postings.keys()];
    const termBytes = Buffer.from(terms.join('\n'), 'utf8');
    const total = [...this.postings.values()].reduce((s, p) => s + p.n, 0);
    const slots = this.lengths.length;
    const sizes = [24, align4(termBytes.length), 4 * (terms.length + 1), 4 * total, align4(2 * total), 4 * slots];
    const buffer = Buffer.alloc(sizes.reduce((a, b) => a + b, 0));
    const header = new Uint32Array(buffer.buffer, buffer.byteOffset, 6);
    header.set([MAGIC, BINARY_VERSION, terms.length, total, slots, termBytes.length]);
    let at = sizes[0]!;
    termBytes.copy(buffer, at);
    at += sizes[1]!;
    const offsets = new Uint32Array(buffer.buffer, buffer.byteOffset + at, terms.length + 1);
    const ids = new Uint32Array(buffer.buffer, buffer.byteOffset + at + sizes[2]!, total);
    const tfs = new Uint16Array(buffer.buffer, buffer.byteOffset + at + sizes[2]! + sizes[3]!, total);
    let next = 0;
    terms.forEach((term, i) => {
      const p = this.postings.get(term)!;
      offsets[i] = next;
      ids.set(p.ids.subarray(0, p.n), next);
      tfs.set(p.tfs.subarray(0, p.n), next);
      next += p.n;
    });
    offsets[terms.length] = next;
    new Int32Array(buffer.buffer, buffer.byteOffset + at + sizes[2]! + sizes[3]! + sizes[4]!, slots).set(this.lengths);
    return buffer;
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

  search(query: QueryTerm[], k: number): KeywordHit[] {
    if (this.scores.length < this.lengths.length) {
      this.scores = new Float64Array(this.lengths.length);
      this.seen = new Uint8Array(this.lengths.length);
    }
    const { scores, seen, lengths } = this;
    const touched: number[] = [];
    const avgdl = this.totalLength / Math.max(1, this.count);
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * weight;
      const { ids, tfs, n } = list;
      for (let i = 0; i < n; i++) {
        const chunkId = ids[i]!;
        const tf = tfs[i]!;
        const stored = lengths[chunkId]!;
        const dl = stored >= 0 ? stored : avgdl;
        const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl) / avgdl));
        if (!seen[chunkId]) {
          seen[chunkId] = 1;
          touched.push(chunkId);
        }
        scores[chunkId] = scores[chunkId]! + s;
      }
    }
    const hits = topK(touched, scores, k);
    for (const id of touched) {
      scores[id] = 0;
      seen[id] = 0;
    }
    return hits;
  }
}

/** Best `k` by score, ties by ascending chunk id: a bounded min-heap instead of sorting every touched chunk. */
function topK(ids: number[], scores: Float64Array, k: number): KeywordHit[] {
  if (k <= 0) return [];
  // `worse(a, b)`: a ranks below b.
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const id of ids) {
    if (heap.length < k) {
      heap.push(id);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (worse(heap[0]!, id)) {
      heap[0] = id;
      down(0);
    }
  }
  return heap.sort((a, b) => scores[b]! - scores[a]! || a - b).map((chunkId) => ({ chunkId, score: scores[chunkId]! }));
}
