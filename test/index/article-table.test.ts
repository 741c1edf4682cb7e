// The article table (articles.bin, sources.bin): what goes in comes back, field for field,
// and a damaged file is refused rather than misread.
import { describe, expect, it } from 'vitest';
import { ArticleRecord, ArticleTableError, decodeArticles, decodeSources, DELTA_SLOT, encodeArticles, encodeSources } from '../../src/index/article-table.js';
import type { ArticleMeta } from '../../src/types.js';

const META: ArticleMeta[] = [
  { id: 'a', file: 'a.md', url: 'https://example.org/a', title: 'Stratégie « Maroc Digital 2030 »', source: "L'Économiste", date: '2024-05-02', author: 'Ghita', lang: 'fr' },
  { id: 'sub/b', file: 'sub/b.txt', url: '', title: 'b', source: '', date: '', author: '', lang: 'en' },
];

function records() {
  return [
    ArticleRecord.of(META[0]!, { hash: 'f'.repeat(64), textKey: '0'.repeat(64), stamp: { size: 1592, mtimeMs: 1796107619022.1318 } }, 0),
    ArticleRecord.of(META[1]!, { hash: 'e'.repeat(64) }, DELTA_SLOT + 3),
  ];
}

describe('article table', () => {
  it('reads back every field, slot and source state, the file times exactly', () => {
    const back = decodeArticles(encodeArticles(records()), decodeSources(encodeSources(records())));
    expect(back.map((r) => r.meta())).toEqual(META);
    expect(back.map((r) => r.slot)).toEqual([0, DELTA_SLOT + 3]);
    expect(back[0]!.source).toEqual({ hash: 'f'.repeat(64), textKey: '0'.repeat(64), stamp: { size: 1592, mtimeMs: 1796107619022.1318 } });
    expect(back[1]!.source?.stamp).toBeUndefined();
    expect(back[1]!.source?.textKey).toBeUndefined();
    // Saved again unchanged, the bytes are the same.
    expect(encodeArticles(back).equals(encodeArticles(records()))).toBe(true);
  });

  it('writes a loaded table with articles appended, or with one removed, as a table holding exactly those', () => {
    const loaded = decodeArticles(encodeArticles(records()), decodeSources(encodeSources(records())));
    const added = ArticleRecord.of({ ...META[0]!, id: 'c', file: 'c.md', title: 'Cybersécurité' }, { hash: 'd'.repeat(64) }, DELTA_SLOT);
    for (const list of [[...loaded, added], [loaded[1]!, added], [added, ...loaded]]) {
      const back = decodeArticles(encodeArticles(list), decodeSources(encodeSources(list)));
      expect(back.map((r) => r.meta())).toEqual(list.map((r) => r.meta()));
      expect(back.map((r) => r.source)).toEqual(list.map((r) => r.source));
      expect(back.map((r) => r.slot)).toEqual(list.map((r) => r.slot));
    }
  });

  it('answers without the source states, and refuses to update without them', () => {
    const [first] = decodeArticles(encodeArticles(records()));
    expect(first!.meta().title).toBe(META[0]!.title);
    expect(() => first!.hash).toThrow(/source states/);
  });

  it('refuses a cut, foreign or mismatched file', () => {
    const data = encodeArticles(records());
    expect(() => decodeArticles(data.subarray(0, data.length - 4))).toThrow(ArticleTableError);
    expect(() => decodeArticles(encodeSources(records()))).toThrow(/not an akhbar article table/);
    expect(() => decodeArticles(data, decodeSources(encodeSources(records().slice(1))))).toThrow(/counts disagree/);
  });
});
