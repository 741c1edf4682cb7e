// BM25 over analysed French/English terms. Why by hand: LangChain's
// BM25Retriever matches case-sensitive raw substrings and splits words on
// accents, and MiniSearch's BM25+ with term-count boosting measured ~10 points
// of recall@5 below plain BM25 here (../shared/NOTES.md). Postings are kept per
// term so one article's chunks can be added or removed without a rebuild.
import type { QueryTerm } from '../text/analyze.js';

const K1 = 1.2;
const B = 0.75;

export interface KeywordHit {
  chunkId: number;
  score: number;
}

export interface KeywordIndexData {
  /** term → [chunkId, tf, chunkId, tf, …] */
  postings: Record<string, number[]>;
  /** [chunkId, length, chunkId, length, …] */
  lengths: number[];
}

export class KeywordIndex {
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly lengths = new Map<number, number>();
  private totalLength = 0;

  static fromData(data: KeywordIndexData): KeywordIndex {
    const index = new KeywordIndex();
    for (let i = 0; i < data.lengths.length; i += 2) index.setLength(data.lengths[i]!, data.lengths[i + 1]!);
    for (const [term, flat] of Object.entries(data.postings)) {
      const list = new Map<number, number>();
      for (let i = 0; i < flat.length; i += 2) list.set(flat[i]!, flat[i + 1]!);
      index.postings.set(term, list);
    }
    return index;
  }

  toData(): KeywordIndexData {
    const postings: Record<string, number[]> = {};
    for (const [term, list] of this.postings) postings[term] = [...list].flat();
    return { postings, lengths: [...this.lengths].flat() };
  }

  get size(): number {
    return this.lengths.size;
  }

  private setLength(chunkId: number, length: number): void {
    this.totalLength += length - (this.lengths.get(chunkId) ?? 0);
    this.lengths.set(chunkId, length);
  }

  add(chunkId: number, terms: string[]): void {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = new Map()));
      list.set(chunkId, tf);
    }
    this.setLength(chunkId, terms.length);
  }

  /** `terms` are the chunk's terms as given to `add` (re-analysed by the caller). */
  remove(chunkId: number, terms: string[]): void {
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      list?.delete(chunkId);
      if (list?.size === 0) this.postings.delete(term);
    }
    this.totalLength -= this.lengths.get(chunkId) ?? 0;
    this.lengths.delete(chunkId);
  }

  /** Inverse document frequency (BM25's, floored at a small positive value). */
  idf(term: string): number {
    const n = this.lengths.size;
    const df = this.postings.get(term)?.size ?? 0;
    return Math.max(0.01, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.size ?? 0;
  }

  search(query: QueryTerm[], k: number): KeywordHit[] {
    const scores = new Map<number, number>();
    const avgdl = this.totalLength / Math.max(1, this.lengths.size);
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * weight;
      for (const [chunkId, tf] of list) {
        const dl = this.lengths.get(chunkId) ?? avgdl;
        const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl) / avgdl));
        scores.set(chunkId, (scores.get(chunkId) ?? 0) + s);
      }
    }
    return [...scores]
      .map(([chunkId, score]) => ({ chunkId, score }))
      .sort((a, b) => b.score - a.score || a.chunkId - b.chunkId)
      .slice(0, k);
  }
}
