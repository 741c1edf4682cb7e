// The article table of an index generation (format 4), in two binary files instead of one big
// JSON manifest. articles.bin holds what answers need (id, file, address, the rest of the
// metadata as a small JSON text per article, parsed only when that article is cited) and where
// each text lies in the passages files. sources.bin holds what only updates need: each corpus
// file's hash, size and time, and duplicate key. A one-question `akhbar ask` reads the first and
// decodes its ids; parsing a 1.2 MB manifest took 20–25 ms of it at 10k chunks.
import type { ArticleMeta, FileStamp } from '../types.js';

/** What an update knows of an article's corpus file. */
export interface SourceState {
  hash: string;
  /** Absent in indexes written before stamps were recorded: such files are read and hashed once more. */
  stamp?: FileStamp;
  /** Absent in indexes written before it was recorded: computed from the text when needed. */
  textKey?: string;
}

/** The metadata besides what the table keeps in columns of its own. */
type MetaRest = Omit<ArticleMeta, 'id' | 'file' | 'url'>;

/** A text slot at or past this is in passages.delta (slot minus this), below it in passages.bin. */
export const DELTA_SLOT = 0x8000_0000;
/** An article whose text is in neither passages file yet (added in this process). */
export const NO_SLOT = 0xffff_ffff;

/** One indexed article: id, file and address at hand, the rest of its metadata parsed on first use. */
export class ArticleRecord {
  /** The rest as stored, kept so that saving an unchanged article copies bytes instead of encoding it again. */
  private stored: Buffer | undefined;
  private rest: MetaRest | undefined;

  constructor(
    readonly id: string,
    readonly file: string,
    readonly url: string,
    rest: Buffer | MetaRest,
    /** Undefined when the store was loaded to answer only (sources.bin not read). */
    public source: SourceState | undefined,
    /** Where its text lies in the passages files (DELTA_SLOT, NO_SLOT). */
    public slot: number,
  ) {
    if (Buffer.isBuffer(rest)) this.stored = rest;
    else this.rest = rest;
  }

  static of({ id, file, url, ...rest }: ArticleMeta, source: SourceState | undefined, slot = NO_SLOT): ArticleRecord {
    return new ArticleRecord(id, file, url, rest, source, slot);
  }

  meta(): ArticleMeta {
    this.rest ??= JSON.parse(this.stored!.toString('utf8')) as MetaRest;
    return { id: this.id, ...this.rest, url: this.url, file: this.file };
  }

  /** The rest of the metadata as stored: the loaded bytes again when unchanged, not re-encoded. */
  restBytes(): Buffer {
    return (this.stored ??= Buffer.from(JSON.stringify(this.rest), 'utf8'));
  }

  private sourceState(): SourceState {
    if (!this.source) throw new Error(`the index was loaded without its source states (article ${this.id})`);
    return this.source;
  }

  get hash(): string {
    return this.sourceState().hash;
  }

  get stamp(): FileStamp | undefined {
    return this.sourceState().stamp;
  }

  set stamp(stamp: FileStamp | undefined) {
    this.sourceState().stamp = stamp;
  }

  get textKey(): string | undefined {
    return this.sourceState().textKey;
  }
}

export class ArticleTableError extends Error {}

const ARTICLES_MAGIC = 0x52414b41; // "AKAR"
const SOURCES_MAGIC = 0x52534b41; // "AKSR"
const VERSION = 1;
const HEAD = 16;

/**
 * Layout (little-endian u32): magic, version, row count, column count; then per column its byte
 * offsets (rows + 1, from the column's start) and its UTF-8 bytes, padded to 4 bytes; then, in
 * the articles file, one u32 text slot per row.
 */
function encodeColumns(magic: number, columns: Buffer[][], rows: number, slots?: Uint32Array): Buffer {
  const blobBytes = columns.map((c) => c.reduce((s, b) => s + b.length, 0));
  const columnBytes = blobBytes.map((b) => 4 * (rows + 1) + align4(b));
  const total = HEAD + columnBytes.reduce((s, b) => s + b, 0) + (slots ? 4 * rows : 0);
  const buffer = Buffer.alloc(total);
  const u32 = (at: number, length: number) => new Uint32Array(buffer.buffer, buffer.byteOffset + at, length);
  u32(0, 4).set([magic, VERSION, rows, columns.length]);
  let at = HEAD;
  columns.forEach((column, c) => {
    const offsets = u32(at, rows + 1);
    const blob = at + 4 * (rows + 1);
    let end = 0;
    column.forEach((value, i) => {
      offsets[i] = end;
      value.copy(buffer, blob + end);
      end += value.length;
    });
    offsets[rows] = end;
    at += columnBytes[c]!;
  });
  if (slots) u32(at, rows).set(slots);
  return buffer;
}

const align4 = (n: number) => (n + 3) & ~3;

interface DecodedColumns {
  rows: number;
  /** Each column's values as views into the file. */
  columns: Buffer[][];
  slots?: Uint32Array;
}

function decodeColumns(data: Buffer, magic: number, what: string, withSlots: boolean): DecodedColumns {
  const buffer = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
  if (buffer.length < HEAD) throw new ArticleTableError(`${what} is too short`);
  const [fileMagic, version, rows, count] = new Uint32Array(buffer.buffer, buffer.byteOffset, 4) as unknown as number[];
  if (fileMagic !== magic || version !== VERSION) throw new ArticleTableError(`not an akhbar ${what}`);
  const columns: Buffer[][] = [];
  let at = HEAD;
  for (let c = 0; c < count!; c++) {
    if (at + 4 * (rows! + 1) > buffer.length) throw new ArticleTableError(`${what} is cut short`);
    const offsets = new Uint32Array(buffer.buffer, buffer.byteOffset + at, rows! + 1);
    const blob = at + 4 * (rows! + 1);
    const bytes = offsets[rows!]!;
    if (blob + bytes > buffer.length) throw new ArticleTableError(`${what} is cut short`);
    const values: Buffer[] = new Array(rows!);
    for (let i = 0; i < rows!; i++) {
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      if (to < from || to > bytes) throw new ArticleTableError(`${what} offsets are damaged`);
      values[i] = buffer.subarray(blob + from, blob + to);
    }
    columns.push(values);
    at = blob + align4(bytes);
  }
  const slotBytes = withSlots ? 4 * rows! : 0;
  if (at + slotBytes !== buffer.length) throw new ArticleTableError(`${what} has the wrong size`);
  return { rows: rows!, columns, slots: withSlots ? new Uint32Array(buffer.buffer, buffer.byteOffset + at, rows!) : undefined };
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** articles.bin: columns id, file, url, rest of the metadata (JSON); text slots. */
export function encodeArticles(records: readonly ArticleRecord[]): Buffer {
  return encodeColumns(
    ARTICLES_MAGIC,
    [records.map((r) => utf8(r.id)), records.map((r) => utf8(r.file)), records.map((r) => utf8(r.url)), records.map((r) => r.restBytes())],
    records.length,
    Uint32Array.from(records, (r) => r.slot),
  );
}

/** Reads encodeArticles' output (metadata left unparsed); `sources` from decodeSources, in the same order. */
export function decodeArticles(data: Buffer, sources?: SourceState[]): ArticleRecord[] {
  const { rows, columns, slots } = decodeColumns(data, ARTICLES_MAGIC, 'article table', true);
  if (columns.length !== 4) throw new ArticleTableError('article table has the wrong columns');
  if (sources && sources.length !== rows) throw new ArticleTableError('article counts disagree between the article table and the source states');
  const [ids, files, urls, rests] = columns as [Buffer[], Buffer[], Buffer[], Buffer[]];
  const records: ArticleRecord[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    records[i] = new ArticleRecord(ids[i]!.toString('utf8'), files[i]!.toString('utf8'), urls[i]!.toString('utf8'), rests[i]!, sources?.[i], slots![i]!);
  }
  return records;
}

/** sources.bin: columns hash, text key, stamp ("size mtimeMs"; empty when absent), in article order. */
export function encodeSources(records: readonly ArticleRecord[]): Buffer {
  const states = records.map((r) => {
    if (!r.source) throw new Error(`no source state for article ${r.id}`);
    return r.source;
  });
  return encodeColumns(
    SOURCES_MAGIC,
    [states.map((s) => utf8(s.hash)), states.map((s) => utf8(s.textKey ?? '')), states.map((s) => utf8(s.stamp ? `${s.stamp.size} ${s.stamp.mtimeMs}` : ''))],
    states.length,
  );
}

export function decodeSources(data: Buffer): SourceState[] {
  const { rows, columns } = decodeColumns(data, SOURCES_MAGIC, 'source table', false);
  if (columns.length !== 3) throw new ArticleTableError('source table has the wrong columns');
  const [hashes, keys, stamps] = columns as [Buffer[], Buffer[], Buffer[]];
  const states: SourceState[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const state: SourceState = { hash: hashes[i]!.toString('latin1') };
    if (keys[i]!.length) state.textKey = keys[i]!.toString('latin1');
    if (stamps[i]!.length) {
      // A number's shortest decimal form reads back as the same number: the time stays exact.
      const [size, mtimeMs] = stamps[i]!.toString('latin1').split(' ').map(Number) as [number, number];
      state.stamp = { size, mtimeMs };
    }
    states[i] = state;
  }
  return states;
}
