// The typed-array BM25 index: what it ranks after a save/load and after
// incremental changes must be exactly what a fresh build ranks.
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
