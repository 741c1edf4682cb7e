// The typed-array BM25 index: what it ranks after a save/load and after
// incremental changes must be exactly what a fresh build ranks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { keywordTerms } from '../../src/index/index.js';
import { KeywordIndex } from '../../src/index/keyword.js';
import { chunkArticle, scanCorpus } from '../../src/ingest/index.js';
import { analyzeQuery } from '../../src/text/analyze.js';
import { ROOT } from '../support/cli.js';

const QUERIES = [
  ["Combien d'emplois Inetum va-t-il créer d'ici 2027 ?", 'fr'],
  ['Who is the CEO of Thales Holding Maroc?', 'en'],
  ['cybersécurité data center Dakhla', 'fr'],
  ['Capgemini 1,500 jobs memorandum', 'en'],
] as const;

interface Doc {
  id: number;
  articleId: string;
  terms: string[];
}

describe('keyword index', () => {
  let docs: Doc[];
  const build = (subset: Doc[]) => {
    const index = new KeywordIndex();
    for (const d of subset) index.add(d.id, d.terms);
    return index;
  };
  const rankings = (index: KeywordIndex) => QUERIES.map(([q, lang]) => index.search(analyzeQuery(q, lang), 20));

  beforeAll(async () => {
    const articles = [...(await scanCorpus(path.join(ROOT, 'corpus'))).articles, ...(await scanCorpus(path.join(ROOT, 'eval/articles-dev'))).articles];
    docs = [];
    for (const a of articles) {
      for (const s of await chunkArticle(a)) docs.push({ id: docs.length * 3 + 1, articleId: a.id, terms: keywordTerms(a.text.slice(s.start, s.end), a) });
    }
  });

  it('ranks the Inetum article first for the Inetum question', () => {
    const [inetum] = rankings(build(docs));
    expect(docs.find((d) => d.id === inetum![0]!.chunkId)!.articleId).toMatch(/^003_/);
  });

  it('ranks identically after a save and load', () => {
    const index = build(docs);
    const loaded = KeywordIndex.fromBinary(index.toBinary());
    expect(loaded.size).toBe(docs.length);
    expect(rankings(loaded)).toEqual(rankings(index));
  });

  it('removes a chunk by its id alone, whatever terms it was indexed with', () => {
    const index = new KeywordIndex();
    index.add(7, ['alpha', 'beta', 'beta']);
    index.add(9, ['beta', 'gamma']);
    index.removeChunks([7]);
    expect(index.size).toBe(1);
    expect(index.search([{ term: 'alpha', weight: 1 }], 5)).toEqual([]);
    expect(index.search([{ term: 'beta', weight: 1 }], 5).map((h) => h.chunkId)).toEqual([9]);
  });

  it('after removing an article and re-adding another, ranks as a fresh build of the same chunks', () => {
    const loaded = KeywordIndex.fromBinary(build(docs).toBinary());
    const removed = docs.filter((d) => d.articleId.startsWith('003_'));
    loaded.removeChunks(removed.map((d) => d.id));
    const kept = docs.filter((d) => !d.articleId.startsWith('003_'));
    const fresh = build(kept);
    expect(rankings(loaded)).toEqual(rankings(fresh));
    const ids = new Set(removed.map((d) => d.id));
    expect(rankings(loaded).flat().some((h) => ids.has(h.chunkId))).toBe(false);
    for (const d of removed) loaded.add(d.id, d.terms);
    expect(rankings(loaded)).toEqual(rankings(build(docs)));
  });

  it('rejects a foreign or cut file instead of reading garbage', () => {
    const bytes = build(docs).toBinary();
    expect(() => KeywordIndex.fromBinary(Buffer.from('{"postings":{"maroc":[0,1]},"lengths":[0,1]}'))).toThrow(/not an akhbar keyword index/);
    expect(() => KeywordIndex.fromBinary(bytes.subarray(0, bytes.length - 8))).toThrow(/wrong size/);
  });
});

/** The chunks test/fixtures/keyword-v1.bin was saved from (by version 1 of toBinary, after removing chunk 1 and adding it back): multi-byte, astral and repeated terms, gaps in the ids. */
const V1_DOCS: Array<[number, string[]]> = [
  [0, ['maroc', 'numer', 'emplois', 'emplois', 'inetum']],
  [1, ['maroc', 'cybersecur', 'dakhla', 'centr', 'donne']],
  [2, ['capgemini', 'emplois', '1500', 'memorandum', 'maroc']],
  [4, ['ｆｕｌｌ', '𝔸stral', 'é', 'maroc', 'numer']],
  [5, ['thales', 'ceo', 'maroc', 'numer', 'numer', 'numer']],
  [7, ['€', 'investis', 'dirham', 'ｆｕｌｌ']],
];

describe('keyword index files', () => {
  const fresh = () => {
    const index = new KeywordIndex();
    for (const [id, terms] of V1_DOCS) index.add(id, terms);
    return index;
  };
  const terms = [...new Set(V1_DOCS.flatMap(([, t]) => t))];
  const queries = [...terms.map((t) => [{ term: t, weight: 1 }]), terms.map((t) => ({ term: t, weight: 1 })), [{ term: 'absent', weight: 1 }]];
  /** Everything a caller can ask: size, document frequencies, idf and the ranking of every query. */
  const answers = (index: KeywordIndex) => ({
    size: index.size,
    df: terms.map((t) => index.documentFrequency(t)),
    idf: [...terms, 'absent'].map((t) => index.idf(t)),
    hits: queries.map((q) => index.search(q, 10)),
  });

  it('reads a file saved before lists were read on demand, and saves it in the current layout', () => {
    const old = KeywordIndex.fromBinary(readFileSync(path.join(ROOT, 'test/fixtures/keyword-v1.bin')));
    expect(answers(old)).toEqual(answers(fresh()));
    const resaved = old.toBinary();
    expect(resaved.readUInt32LE(4)).toBe(2);
    expect(answers(KeywordIndex.fromBinary(resaved))).toEqual(answers(fresh()));
  });

  it('finds every term after a save and load, whatever its bytes (the file orders terms by UTF-8, not by JavaScript string order)', () => {
    const loaded = KeywordIndex.fromBinary(fresh().toBinary());
    expect(answers(loaded)).toEqual(answers(fresh()));
    for (const t of terms) expect(loaded.documentFrequency(t), t).toBeGreaterThan(0);
    expect(loaded.documentFrequency('𝔸')).toBe(0);
    expect(loaded.documentFrequency('')).toBe(0);
  });

  it('takes changes before any search has read a list, as a fresh build of the same chunks', () => {
    const loaded = KeywordIndex.fromBinary(fresh().toBinary());
    loaded.add(9, ['maroc', 'numer', 'nouveau']);
    const expected = fresh();
    expected.add(9, ['maroc', 'numer', 'nouveau']);
    expect(answers(loaded)).toEqual(answers(expected));
    expect(loaded.search([{ term: 'nouveau', weight: 1 }], 5).map((h) => h.chunkId)).toEqual([9]);
    // A save right after a change: every list, read or not, goes into the file.
    const again = KeywordIndex.fromBinary(loaded.toBinary());
    expect(answers(again)).toEqual(answers(expected));
  });

  it('takes removals before any search has read a list, in two steps, as a fresh build without those chunks', () => {
    const loaded = KeywordIndex.fromBinary(fresh().toBinary());
    // Chunk 1 alone says "dakhla": once it goes, no chunk does.
    loaded.removeChunks([1]);
    loaded.search([{ term: 'maroc', weight: 1 }], 5);
    loaded.removeChunks([7, 0]);
    const expected = new KeywordIndex();
    for (const [id, t] of V1_DOCS) if (![0, 1, 7].includes(id)) expected.add(id, t);
    expect(answers(loaded)).toEqual(answers(expected));
    expect(loaded.documentFrequency('dakhla')).toBe(0);
    expect(KeywordIndex.fromBinary(loaded.toBinary()).search([{ term: 'dakhla', weight: 1 }], 5)).toEqual([]);
    expect(answers(KeywordIndex.fromBinary(loaded.toBinary()))).toEqual(answers(expected));
  });

  it('an empty index saves and loads', () => {
    const empty = KeywordIndex.fromBinary(new KeywordIndex().toBinary());
    expect(empty.size).toBe(0);
    expect(empty.search([{ term: 'maroc', weight: 1 }], 5)).toEqual([]);
  });
});
