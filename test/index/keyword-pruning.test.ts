// BM25 with MaxScore pruning must return exactly what scoring every posting
// returns: same chunks, same order (ties by ascending id), same scores to the
// last bit. The reference below is a by-the-book exhaustive BM25 written
// independently of the index, run on random corpora with frequent and rare
// terms, exact ties, incremental changes and a save/load through a file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { B, K1, type KeywordHit } from '../../src/index/bm25.js';
import { KeywordIndex } from '../../src/index/keyword.js';
import type { QueryTerm } from '../../src/text/analyze.js';
import { rng } from '../support/rng.js';

const VOCABULARY = Array.from({ length: 400 }, (_, i) => `t${i}`);

/** Zipf-like draws: t0 is in most chunks, t399 in a handful, like stems in news text. */
function corpus(seed: number, count: number, firstId = 0, maxLength = 60): Map<number, string[]> {
  const random = rng(seed);
  const draw = () => VOCABULARY[Math.min(VOCABULARY.length - 1, Math.floor(Math.exp(random() * Math.log(VOCABULARY.length + 1)) - 1))]!;
  const docs = new Map<number, string[]>();
  for (let i = 0; i < count; i++) {
    const id = firstId + i * 2;
    // Every 25th chunk repeats the one before it: exact score ties, broken by id.
    const previous = docs.get(id - 2);
    docs.set(id, i % 25 === 24 && previous ? [...previous] : Array.from({ length: 3 + Math.floor(random() * maxLength) }, draw));
  }
  return docs;
}

function queries(seed: number, count: number): QueryTerm[][] {
  const random = rng(seed);
  const weights = [1, 1, 0.5, 0.35];
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(random() * 12);
    const terms: QueryTerm[] = Array.from({ length: n }, () => ({
      // Half frequent terms (long lists the pruning should skip), half from the whole vocabulary.
      term: random() < 0.5 ? `t${Math.floor(random() * 10)}` : VOCABULARY[Math.floor(random() * VOCABULARY.length)]!,
      weight: weights[Math.floor(random() * weights.length)]!,
    }));
    // A term no chunk has, and sometimes a repeated one (each entry counts, as in the index).
    terms.push({ term: 'absent', weight: 1 });
    if (random() < 0.3) terms.push({ ...terms[0]! });
    return terms;
  });
}

/** Scores every chunk holding a query term, term after term in query order. */
function exhaustive(docs: Map<number, string[]>, query: QueryTerm[], k: number): KeywordHit[] {
  const count = docs.size;
  let total = 0;
  for (const terms of docs.values()) total += terms.length;
  const avgdl = total / Math.max(1, count);
  const scores = new Map<number, number>();
  for (const { term, weight } of query) {
    const holders = [...docs].filter(([, terms]) => terms.includes(term)).sort((a, b) => a[0] - b[0]);
    if (!holders.length) continue;
    const df = holders.length;
    const idf = Math.max(0.01, Math.log(1 + (count - df + 0.5) / (df + 0.5))) * weight;
    for (const [id, terms] of holders) {
      const tf = terms.filter((t) => t === term).length;
      const dl = terms.length;
      scores.set(id, (scores.get(id) ?? 0) + (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * dl) / avgdl)));
    }
  }
  return [...scores]
    .map(([chunkId, score]) => ({ chunkId, score }))
    .sort((a, b) => b.score - a.score || a.chunkId - b.chunkId)
    .slice(0, Math.max(0, k));
}

function build(docs: Map<number, string[]>): KeywordIndex {
  const index = new KeywordIndex();
  for (const [id, terms] of docs) index.add(id, terms);
  return index;
}

const KS = [1, 3, 10, 50, 100_000];

/** Compares every query at every k; returns postings scored and postings in the queried lists, at k = 10. */
function compare(index: KeywordIndex, docs: Map<number, string[]>, qs: QueryTerm[][]): { scored: number; listed: number } {
  let scored = 0;
  let listed = 0;
  for (const q of qs) {
    const all = exhaustive(docs, q, Infinity);
    for (const k of KS) {
      expect(index.search(q, k), JSON.stringify({ q, k })).toEqual(all.slice(0, k));
      if (k !== 10) continue;
      scored += index.lastScored;
      listed += q.reduce((sum, { term }) => sum + index.documentFrequency(term), 0);
    }
  }
  return { scored, listed };
}

describe('keyword index: pruned search is exact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-bm25-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the exhaustive top k on a random corpus, and skips most postings doing so', () => {
    const docs = corpus(1, 3000);
    const { scored, listed } = compare(build(docs), docs, queries(2, 60));
    // The top 10 is settled by the rare terms: most of the frequent terms' postings are never scored.
    expect(scored).toBeLessThan(listed * 0.25);
  });

  /** Changes that move every chunk's length penalty and beat the bounds known before them. */
  function changeAndCompare(index: KeywordIndex, docs: Map<number, string[]>, qs: QueryTerm[][]) {
    // Long chunks of other words raise the average length: every chunk's length
    // penalty shrinks, so the bounds computed before must grow with it.
    for (const [id, terms] of corpus(5, 600, 1, 400)) {
      const filler = terms.map((t) => `filler-${t}`);
      index.add(id, filler);
      docs.set(id, filler);
    }
    compare(index, docs, qs);
    // Short chunks that repeat a queried word score above any chunk the bound was computed on.
    for (let i = 0; i < 40; i++) {
      const terms = Array.from({ length: 6 }, () => `t${i % 12}`);
      index.add(1201 + 2 * i, terms);
      docs.set(1201 + 2 * i, terms);
    }
    compare(index, docs, qs);
    const removed = [...docs.keys()].filter((id) => id % 6 === 0);
    index.removeChunks(removed);
    for (const id of removed) docs.delete(id);
    compare(index, docs, qs);
  }

  it('stays exact after changes made once the bounds are known', () => {
    const docs = corpus(3, 2000);
    const index = build(docs);
    const qs = queries(4, 30);
    compare(index, docs, qs); // every queried list now has its bound
    changeAndCompare(index, docs, qs);
  });

  it('stays exact after changes to a loaded index, whose bounds come from its file', () => {
    const docs = corpus(3, 2000);
    const file = path.join(dir, 'changed.bin');
    writeFileSync(file, build(docs).toBinary());
    changeAndCompare(KeywordIndex.fromBinary(readFileSync(file)), docs, queries(4, 30));
  });

  it('finds a chunk added after its only list had been set aside as unable to reach the top', () => {
    // q: 20 long chunks; r: 10 long chunks, rarer, so each outscores any q chunk
    // and, once the top 1 holds an r chunk, q's list is skipped. Then a short
    // chunk repeating q outscores every r chunk: q's bound must have been redone.
    const pad = (term: string) => [term, ...Array.from({ length: 39 }, () => 'pad')];
    const docs = new Map<number, string[]>();
    for (let id = 0; id < 60; id++) docs.set(id, id < 20 ? pad('q') : id < 30 ? pad('r') : pad('pad'));
    const index = build(docs);
    const query = [{ term: 'q', weight: 1 }, { term: 'r', weight: 1 }];
    expect(index.search(query, 1)[0]!.chunkId).toBe(20);
    const repeated = Array.from({ length: 8 }, () => 'q');
    index.add(100, repeated);
    docs.set(100, repeated);
    expect(index.search(query, 1)).toEqual(exhaustive(docs, query, 1));
    expect(index.search(query, 1)[0]!.chunkId).toBe(100);
  });

  it('stays exact after a save and load through a file', () => {
    const docs = corpus(8, 2000);
    const file = path.join(dir, 'keyword.bin');
    writeFileSync(file, build(docs).toBinary());
    compare(KeywordIndex.fromBinary(readFileSync(file)), docs, queries(9, 30));
  });

  it('returns nothing for k = 0 or a query whose terms no chunk has', () => {
    const docs = corpus(10, 200);
    const index = build(docs);
    expect(index.search([{ term: 't0', weight: 1 }], 0)).toEqual([]);
    expect(index.search([{ term: 'absent', weight: 1 }], 10)).toEqual([]);
  });
});
