// The chunk table kept as chunks.bin's rows: chunks removed and added since it was read, and
// articles removed before others (their indexes shift), come out right in the next file.
import { describe, expect, it } from 'vitest';
import { ChunkTable, PassageFileError } from '../../src/index/passages.js';

const span = (articleId: string, chunkNo: number) => ({ articleId, chunkNo, start: 10 * chunkNo, end: 10 * chunkNo + 9, byteStart: 10 * chunkNo, byteEnd: 10 * chunkNo + 9 });

function fileOf(articles: string[], chunks: Array<[number, ReturnType<typeof span>]>): Buffer {
  const table = new ChunkTable();
  for (const [id, location] of chunks) table.set(id, location);
  return table.encode(new Map(articles.map((a, i) => [a, i])));
}

describe('chunk table', () => {
  it('reads back its chunks, then writes removals, additions and shifted article indexes', () => {
    const data = fileOf(['a', 'b'], [[0, span('a', 0)], [1, span('a', 1)], [2, span('b', 0)]]);
    const table = ChunkTable.decode(data, ['a', 'b'], () => 100);
    expect(table.get(2)).toEqual(span('b', 0));
    expect([...table.entries()]).toEqual([[0, 'a'], [1, 'a'], [2, 'b']]);
    // Article a removed, c added: b is now article 0.
    table.delete(0);
    table.delete(1);
    table.set(7, span('c', 0));
    expect(table.has(1)).toBe(false);
    expect(table.size).toBe(2);
    const again = ChunkTable.decode(table.encode(new Map([['b', 0], ['c', 1]])), ['b', 'c'], () => 100);
    expect([...again.entries()]).toEqual([[2, 'b'], [7, 'c']]);
    expect(again.get(7)).toEqual(span('c', 0));
    expect(again.get(0)).toBeUndefined();
  });

  it('refuses a row pointing past its article or its text', () => {
    const data = fileOf(['a', 'b'], [[0, span('a', 0)], [1, span('b', 3)]]);
    expect(() => ChunkTable.decode(data, ['a'], () => 100)).toThrow(PassageFileError);
    expect(() => ChunkTable.decode(data, ['a', 'b'], () => 20)).toThrow(/chunk 1 points outside the passages/);
  });
});
