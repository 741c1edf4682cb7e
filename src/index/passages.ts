// The binary passage store: every article's text as one UTF-8 blob with u32
// offsets, and a u32 table of chunk spans. Loading it is a read and a few typed
// views; texts stay UTF-8 bytes in memory and a chunk is decoded only when
// fetched. Why not JSON: at 100k chunks a JSON docstore took 0.5 s to load and
// most of 760 MB RSS (../shared/NOTES.md); JS strings of French text with ’ cost
// two bytes a character, the blob one.

import { bytesOf, joinPieces, type Piece } from './pieces.js';

/** UTF-8 bytes kept elsewhere than in memory (text-spool.ts), read on demand. */
export interface StoredBytes {
  readonly length: number;
  /** The bytes, or `from`–`to` of them. */
  bytes(from?: number, to?: number): Buffer;
}

/** An article text: a string or UTF-8 bytes (added in this process), a UTF-8 view into a loaded passages file, or stored bytes. */
export type ArticleText = string | Buffer | StoredBytes;

export interface ChunkSpan {
  chunkNo: number;
  /** Character offsets into the article text (what `Chunk` exposes). */
  start: number;
  end: number;
  /** The same span in UTF-8 bytes, relative to the article. */
  byteStart: number;
  byteEnd: number;
}

export function textOf(text: ArticleText): string {
  if (typeof text === 'string') return text;
  return (Buffer.isBuffer(text) ? text : text.bytes()).toString('utf8');
}

export function spanText(text: ArticleText, span: ChunkSpan): string {
  if (typeof text === 'string') return text.slice(span.start, span.end);
  return Buffer.isBuffer(text) ? text.toString('utf8', span.byteStart, span.byteEnd) : text.bytes(span.byteStart, span.byteEnd).toString('utf8');
}

/** UTF-8 byte offsets of character offsets into `text`, in one pass over the text. */
export function byteOffsets(text: string, charOffsets: number[]): number[] {
  const order = charOffsets.map((c, i) => [c, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(charOffsets.length);
  let char = 0;
  let byte = 0;
  for (const [c, i] of order) {
    byte += Buffer.byteLength(text.slice(char, c));
    char = c;
    out[i] = byte;
  }
  return out;
}

const PASSAGES_MAGIC = 0x53504b41; // "AKPS"
const CHUNKS_MAGIC = 0x48434b41; // "AKCH"
const VERSION = 1;
const ROW = 7;

export class PassageFileError extends Error {}

function u32(buffer: Buffer, byteOffset: number, length: number): Uint32Array {
  return new Uint32Array(buffer.buffer, buffer.byteOffset + byteOffset, length);
}

/** Typed-array views need 4-byte alignment: copy the rare unaligned buffer. */
function aligned(buffer: Buffer): Buffer {
  return buffer.byteOffset % 4 === 0 ? buffer : Buffer.from(buffer);
}

/** passages.bin: magic, version, article count, blob bytes; offsets[count + 1]; blob. */
export function encodePassages(texts: ArticleText[]): Buffer {
  return joinPieces(passagePieces(texts));
}

/** encodePassages's bytes in pieces, each text as it is held (a save writes them without a copy of the whole; see pieces.ts). */
export function* passagePieces(texts: ArticleText[]): Generator<Piece> {
  const offsets = new Uint32Array(texts.length + 1);
  let at = 0;
  texts.forEach((t, i) => {
    offsets[i] = at;
    at += typeof t === 'string' ? Buffer.byteLength(t) : t.length;
  });
  offsets[texts.length] = at;
  yield bytesOf(Uint32Array.of(PASSAGES_MAGIC, VERSION, texts.length, at));
  yield bytesOf(offsets);
  for (const t of texts) yield typeof t === 'string' || Buffer.isBuffer(t) ? t : t.bytes();
}

/** One view per article, in order. Throws PassageFileError on a foreign or cut file. */
export function decodePassages(data: Buffer): Buffer[] {
  const buffer = aligned(data);
  if (buffer.length < 16) throw new PassageFileError('passages file is too short');
  const [magic, version, count, blobBytes] = u32(buffer, 0, 4);
  if (magic !== PASSAGES_MAGIC || version !== VERSION) throw new PassageFileError('not an akhbar passages file');
  const head = 16 + 4 * (count! + 1);
  if (buffer.length !== head + blobBytes!) throw new PassageFileError('passages file has the wrong size');
  const offsets = u32(buffer, 16, count! + 1);
  const views: Buffer[] = [];
  for (let i = 0; i < count!; i++) {
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    if (to < from || to > blobBytes!) throw new PassageFileError('passages offsets are damaged');
    views.push(buffer.subarray(head + from, head + to));
  }
  return views;
}

export interface ChunkRow extends ChunkSpan {
  id: number;
  articleIndex: number;
}

/** chunks.bin: magic, version, row count; rows of [id, articleIndex, chunkNo, start, end, byteStart, byteEnd] (written by ChunkTable). */
function chunkTableRows(data: Buffer): Uint32Array {
  const buffer = aligned(data);
  if (buffer.length < 12) throw new PassageFileError('chunk table is too short');
  const [magic, version, count] = u32(buffer, 0, 3);
  if (magic !== CHUNKS_MAGIC || version !== VERSION) throw new PassageFileError('not an akhbar chunk table');
  if (buffer.length !== 12 + 4 * ROW * count!) throw new PassageFileError('chunk table has the wrong size');
  return u32(buffer, 12, ROW * count!);
}

/** chunks.bin's rows as objects (for tests that read a saved index). */
export function decodeChunkRows(data: Buffer): ChunkRow[] {
  const table = chunkTableRows(data);
  const rows: ChunkRow[] = [];
  for (let o = 0; o < table.length; o += ROW) {
    rows.push({ id: table[o]!, articleIndex: table[o + 1]!, chunkNo: table[o + 2]!, start: table[o + 3]!, end: table[o + 4]!, byteStart: table[o + 5]!, byteEnd: table[o + 6]! });
  }
  return rows;
}

/** Where a chunk lies: its article and span. */
export interface ChunkLocation extends ChunkSpan {
  articleId: string;
}

/**
 * The chunks by id, as chunks.bin holds them: its rows stay one typed array, with an id → row
 * array beside (no object nor Map entry per chunk: at 10k chunks those cost a fresh process about
 * 20 ms and their share of garbage collection), and chunks added since live in a small Map.
 */
export class ChunkTable {
  /** Row of each chunk id in `rows`, -1 for none (removed, or never in the file). */
  private rowOf = new Int32Array(0);
  private rows: Uint32Array = new Uint32Array(0);
  /** The article ids the rows' article indexes point to (the article table as loaded). */
  private articleIds: readonly string[] = [];
  private readonly added = new Map<number, ChunkLocation>();
  private liveRows = 0;

  /**
   * Reads chunks.bin. `articleIds` and `textBytes`: each article's id and text length, by article
   * index, to refuse a row pointing outside them. Throws PassageFileError on a foreign, cut or
   * inconsistent file.
   */
  static decode(data: Buffer, articleIds: readonly string[], textBytes: (articleIndex: number) => number): ChunkTable {
    const rows = chunkTableRows(data);
    const count = rows.length / ROW;
    let maxId = -1;
    for (let o = 0; o < rows.length; o += ROW) {
      const id = rows[o]!;
      const article = rows[o + 1]!;
      if (article >= articleIds.length || rows[o + 6]! < rows[o + 5]! || rows[o + 6]! > textBytes(article)) {
        throw new PassageFileError(`chunk ${id} points outside the passages`);
      }
      if (id > maxId) maxId = id;
    }
    const table = new ChunkTable();
    table.rows = rows;
    table.articleIds = articleIds;
    table.rowOf = new Int32Array(maxId + 1).fill(-1);
    for (let r = 0; r < count; r++) {
      if (table.rowOf[rows[r * ROW]!]! >= 0) throw new PassageFileError(`chunk ${rows[r * ROW]} is listed twice`);
      table.rowOf[rows[r * ROW]!] = r;
    }
    table.liveRows = count;
    return table;
  }

  get size(): number {
    return this.liveRows + this.added.size;
  }

  has(id: number): boolean {
    return (id < this.rowOf.length && this.rowOf[id]! >= 0) || this.added.has(id);
  }

  get(id: number): ChunkLocation | undefined {
    const row = id < this.rowOf.length ? this.rowOf[id]! : -1;
    if (row < 0) return this.added.get(id);
    const o = row * ROW;
    const r = this.rows;
    return { articleId: this.articleIds[r[o + 1]!]!, chunkNo: r[o + 2]!, start: r[o + 3]!, end: r[o + 4]!, byteStart: r[o + 5]!, byteEnd: r[o + 6]! };
  }

  /** A chunk added since the file was read (ids are never reused). */
  set(id: number, location: ChunkLocation): void {
    this.added.set(id, location);
  }

  delete(id: number): void {
    if (this.added.delete(id)) return;
    if (id < this.rowOf.length && this.rowOf[id]! >= 0) {
      this.rowOf[id] = -1;
      this.liveRows--;
    }
  }

  /** Every chunk id with its article id, in file order then as added. */
  *entries(): IterableIterator<[number, string]> {
    for (let o = 0; o < this.rows.length; o += ROW) {
      const id = this.rows[o]!;
      if (this.rowOf[id] === o / ROW) yield [id, this.articleIds[this.rows[o + 1]!]!];
    }
    for (const [id, l] of this.added) yield [id, l.articleId];
  }

  ids(): number[] {
    return [...this.entries()].map(([id]) => id);
  }

  /** chunks.bin for the articles now at `articleIndex`. */
  encode(articleIndex: ReadonlyMap<string, number>): Buffer {
    const buffer = Buffer.alloc(12 + 4 * ROW * this.size);
    u32(buffer, 0, 3).set([CHUNKS_MAGIC, VERSION, this.size]);
    const out = u32(buffer, 12, ROW * this.size);
    let at = 0;
    for (let o = 0; o < this.rows.length; o += ROW) {
      if (this.rowOf[this.rows[o]!] !== o / ROW) continue;
      out.set(this.rows.subarray(o, o + ROW), at);
      out[at + 1] = articleIndex.get(this.articleIds[this.rows[o + 1]!]!)!;
      at += ROW;
    }
    for (const [id, l] of this.added) {
      out.set([id, articleIndex.get(l.articleId)!, l.chunkNo, l.start, l.end, l.byteStart, l.byteEnd], at);
      at += ROW;
    }
    return buffer;
  }
}
