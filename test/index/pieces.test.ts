// A save writes the index's large files piece by piece instead of encoding each
// into one buffer first. The files must hold the same bytes as before: what the
// formats document, whatever the sizes of the pieces and where they fall against
// the writer's buffer, with a size and CRC that match the bytes on disk.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { KeywordIndex } from '../../src/index/keyword.js';
import { decodePassages, encodePassages, passagePieces } from '../../src/index/passages.js';
import { joinPieces, writePieces, type Piece } from '../../src/index/pieces.js';

const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-pieces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const u32 = (...values: number[]) => Buffer.from(Uint32Array.from(values).buffer);
const u16 = (...values: number[]) => Buffer.from(Uint16Array.from(values).buffer);

describe('writing a file piece by piece', () => {
  it('writes every piece in order, across the buffer edge and larger than the buffer, with its size and CRC', async () => {
    const big = Buffer.alloc(3 * 2 ** 20 + 5, 7);
    const pieces: Piece[] = ['l’État ', new Uint8Array([1, 2, 3]), '', 'x'.repeat(2 ** 20 - 4), 'é€𝄞', big, 'fin', 'ü'.repeat(2 ** 20)];
    const file = path.join(dir, 'pieces.bin');
    const written = await writePieces(file, pieces);
    const expected = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    const onDisk = readFileSync(file);
    expect(onDisk.equals(expected)).toBe(true);
    expect(written).toEqual({ bytes: expected.length, crc32: crc32(expected) });
  });

  it('fails when the file cannot be written', async () => {
    await expect(writePieces(path.join(dir, 'no-such-folder', 'x.bin'), ['a'])).rejects.toThrow(/ENOENT/);
  });
});

describe('file formats written in pieces', () => {
  it('passages.bin: header, offsets, then the UTF-8 texts, whether held as strings or bytes', () => {
    const texts = ['Casablanca', Buffer.from('l’État', 'utf8'), ''];
    const bytes = encodePassages(texts);
    const blob = Buffer.from('Casablancal’État', 'utf8');
    expect(bytes.equals(Buffer.concat([u32(0x53504b41, 1, 3, blob.length), u32(0, 10, blob.length, blob.length), blob]))).toBe(true);
    expect(joinPieces(passagePieces(texts)).equals(bytes)).toBe(true);
    expect(decodePassages(bytes).map((b) => b.toString('utf8'))).toEqual(['Casablanca', 'l’État', '']);
  });

  it('keyword.bin: header, terms in byte order, term starts, offsets, list bounds, ids, term frequencies and lengths, padded to 4 bytes', () => {
    const index = new KeywordIndex();
    index.add(0, ['maroc', 'été', 'maroc']);
    index.add(2, ['été']);
    const file = index.toBinary();
    // Terms by their UTF-8 bytes: "maroc" (0x6d…) before "été" (0xc3…); 10 bytes, padded to 12.
    const terms = Buffer.from('marocété', 'utf8');
    const totalLength = Buffer.alloc(8);
    totalLength.writeDoubleLE(4);
    const head = Buffer.concat([u32(0x4d424b41, 2, 2, 3, 1024, terms.length, 2, 3), totalLength, terms, Buffer.alloc(2), u32(0, 5, 10), u32(0, 1, 3)]);
    const tail = Buffer.concat([u32(0, 0, 2), u16(2, 1, 1), Buffer.alloc(2), Buffer.from(Int32Array.from({ length: 1024 }, (_, i) => [3, -1, 1][i] ?? -1).buffer)]);
    expect(file.length).toBe(head.length + 16 + tail.length);
    expect(file.subarray(0, head.length).equals(head)).toBe(true);
    // Each list's bound on BM25's term-frequency factor, as f64s between the offsets and the ids.
    const bounds = [file.readDoubleLE(head.length), file.readDoubleLE(head.length + 8)];
    expect(bounds.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    expect(file.subarray(head.length + 16).equals(tail)).toBe(true);
    expect(KeywordIndex.fromBinary(file).search([{ term: 'été', weight: 1 }], 5).map((h) => h.chunkId)).toEqual([2, 0]);
  });
});
