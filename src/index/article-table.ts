// The article table of an index generation (format 4), in two binary files instead of one big
// JSON manifest. articles.bin holds what answers need (each metadata field as a column of UTF-8
// strings, decoded only for the articles a command shows) and where each text lies in the
// passages files. sources.bin holds what only updates need: each corpus file's hash, size and
// time, and duplicate key. A one-question `akhbar ask` reads the first and decodes its ids;
// parsing a 1.2 MB manifest took 20–25 ms of it at 10k chunks.
import type { Article, ArticleMeta, FileStamp, Lang } from '../types.js';

/** What an update knows of an article's corpus file. */
export interface SourceState {
  hash: string;
  /** Absent in indexes written before stamps were recorded: such files are read and hashed once more. */
  stamp?: FileStamp;
  /** Absent in indexes written before it was recorded: computed from the text when needed. */
  textKey?: string;
}

/** The metadata fields, each a column of articles.bin, in this order. */
const META_FIELDS = ['id', 'file', 'url', 'title', 'source', 'date', 'author', 'lang'] as const;
type MetaField = (typeof META_FIELDS)[number];

/** A text slot at or past this is in passages.delta (slot minus this), below it in passages.bin. */
export const DELTA_SLOT = 0x8000_0000;
/** An article whose text is in neither passages file yet (added in this process). */
export const NO_SLOT = 0xffff_ffff;

/**
 * A column of strings as the file holds it: one UTF-8 blob and offsets. A value becomes a string
 * only when read (a Buffer view per value cost more than the rest of a load).
 */
export class TextColumn {
  constructor(
    private readonly buffer: Buffer,
    /** Where the blob starts in `buffer`. */
    private readonly blob: number,
    private readonly offsets: Uint32Array,
  ) {}

  text(row: number, encoding: BufferEncoding = 'utf8'): string {
    return this.buffer.toString(encoding, this.blob + this.offsets[row]!, this.blob + this.offsets[row + 1]!);
  }

  byteLength(row: number): number {
    return this.offsets[row + 1]! - this.offsets[row]!;
  }

  copy(row: number, target: Buffer, at: number): number {
    return this.buffer.copy(target, at, this.blob + this.offsets[row]!, this.blob + this.offsets[row + 1]!);
  }

  /** Byte length of rows 0 to count - 1 together. */
  prefixLength(count: number): number {
    return this.offsets[count]!;
  }

  /** Rows 0 to count - 1 written at once: their offsets into `offsets` and their bytes at `at`. */
  copyPrefix(count: number, offsets: Uint32Array, target: Buffer, at: number): number {
    offsets.set(this.offsets.subarray(0, count + 1));
    return this.buffer.copy(target, at, this.blob, this.blob + this.offsets[count]!);
  }
}

/** One indexed article: its id at hand, the rest of its metadata decoded from the table on first use. */
export class ArticleRecord {
  /** The table it was read from and its row, kept so that saving an unchanged article copies bytes instead of encoding them again. */
  private stored: { columns: TextColumn[]; row: number } | undefined;
  private decoded: ArticleMeta | undefined;

  constructor(
    readonly id: string,
    fields: { columns: TextColumn[]; row: number } | ArticleMeta,
    /** Undefined when the store was loaded to answer only (sources.bin not read). */
    public source: SourceState | undefined,
    /** Where its text lies in the passages files (DELTA_SLOT, NO_SLOT). */
    public slot: number,
  ) {
    if ('columns' in fields) this.stored = fields;
    else this.decoded = { id: fields.id, file: fields.file, url: fields.url, title: fields.title, source: fields.source, date: fields.date, author: fields.author, lang: fields.lang };
  }

  static of(meta: ArticleMeta, source: SourceState | undefined, slot = NO_SLOT): ArticleRecord {
    return new ArticleRecord(meta.id, meta, source, slot);
  }

  /** A copy: callers may change it. */
  meta(): ArticleMeta {
    if (!this.decoded) {
      const { columns, row } = this.stored!;
      const [, file, url, title, source, date, author, lang] = columns.map((c) => c.text(row));
      this.decoded = { id: this.id, file: file!, url: url!, title: title!, source: source!, date: date!, author: author!, lang: lang as Lang };
    }
    return { ...this.decoded };
  }

  /**
   * The article as a corpus scan reads it, with its source state; `text` is called only if its text
   * is asked for. Built straight from the table (no cached copy): a re-index makes one per article.
   */
  toArticle(text: () => string): Article {
    const { hash, stamp, textKey } = this.sourceState();
    if (this.decoded) return { ...this.decoded, hash, stamp, textKey, get text() { return text(); } };
    const { columns: c, row } = this.stored!;
    return {
      id: this.id,
      file: c[1]!.text(row),
      url: c[2]!.text(row),
      title: c[3]!.text(row),
      source: c[4]!.text(row),
      date: c[5]!.text(row),
      author: c[6]!.text(row),
      lang: c[7]!.text(row) as Lang,
      hash,
      stamp,
      textKey,
      get text() {
        return text();
      },
    };
  }

  get file(): string {
    return this.decoded?.file ?? this.stored!.columns[1]!.text(this.stored!.row);
  }

  get url(): string {
    return this.decoded?.url ?? this.stored!.columns[2]!.text(this.stored!.row);
  }

  /** The table and row it was read from, if unchanged since. */
  get origin(): { columns: TextColumn[]; row: number } | undefined {
    return this.stored;
  }

  /** A field's UTF-8 length, then its bytes written at `at`: the loaded bytes again when unchanged. */
  fieldLength(field: number): number {
    return this.stored ? this.stored.columns[field]!.byteLength(this.stored.row) : Buffer.byteLength(this.decoded![META_FIELDS[field] as MetaField], 'utf8');
  }

  writeField(field: number, target: Buffer, at: number): number {
    return this.stored ? this.stored.columns[field]!.copy(this.stored.row, target, at) : target.write(this.decoded![META_FIELDS[field] as MetaField], at, 'utf8');
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

/** Numbers per row after the text columns: the articles' text slots, the sources' stamps (size and mtime, NaN when unknown). */
type NumberColumn = Uint32Array | Float64Array;

/** A text column to write: each row's byte length, then its bytes written at an offset (returns the count). */
interface ColumnSource {
  length(row: number): number;
  write(row: number, target: Buffer, at: number): number;
  /** Rows 0 to `rows` - 1 are those of a loaded column, unchanged: copied at once. */
  prefix?: { column: TextColumn; rows: number };
  /** Every row's text joined (one byte a character) and where each ends: written at once. */
  whole?: { text: string; ends: number[] };
}

/**
 * Layout (little-endian): u32 magic, version, row count, text column count; then per text column
 * its u32 byte offsets (rows + 1, from the column's start) and its UTF-8 bytes, padded to 8
 * bytes; then the number column.
 */
function encodeColumns(magic: number, columns: ColumnSource[], rows: number, numbers: NumberColumn): Buffer {
  const columnBytes = columns.map((c) => {
    if (c.whole) return align8(4 * (rows + 1) + c.whole.text.length);
    const from = c.prefix?.rows ?? 0;
    let bytes = c.prefix ? c.prefix.column.prefixLength(from) : 0;
    for (let row = from; row < rows; row++) bytes += c.length(row);
    return align8(4 * (rows + 1) + bytes);
  });
  const at0 = align8(HEAD);
  const buffer = Buffer.alloc(at0 + columnBytes.reduce((s, b) => s + b, 0) + numbers.byteLength);
  const u32 = (at: number, length: number) => new Uint32Array(buffer.buffer, buffer.byteOffset + at, length);
  u32(0, 4).set([magic, VERSION, rows, columns.length]);
  let at = at0;
  columns.forEach((column, c) => {
    const offsets = u32(at, rows + 1);
    const blob = at + 4 * (rows + 1);
    if (column.whole) {
      offsets.set(column.whole.ends, 1);
      buffer.write(column.whole.text, blob, 'latin1');
      at += columnBytes[c]!;
      return;
    }
    const from = column.prefix?.rows ?? 0;
    let end = column.prefix ? column.prefix.column.copyPrefix(from, offsets, buffer, blob) : 0;
    for (let row = from; row < rows; row++) {
      offsets[row] = end;
      end += column.write(row, buffer, blob + end);
    }
    offsets[rows] = end;
    at += columnBytes[c]!;
  });
  Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength).copy(buffer, at);
  return buffer;
}

const align8 = (n: number) => (n + 7) & ~7;

interface DecodedColumns {
  rows: number;
  columns: TextColumn[];
  /** Where the number column starts. */
  numbersAt: number;
  buffer: Buffer;
}

function decodeColumns(data: Buffer, magic: number, what: string, columnCount: number, numberBytesPerRow: number): DecodedColumns {
  // Typed-array views need aligned offsets: copy the rare unaligned buffer.
  const buffer = data.byteOffset % 8 === 0 ? data : Buffer.from(data);
  if (buffer.length < HEAD) throw new ArticleTableError(`${what} is too short`);
  const [fileMagic, version, rows, count] = new Uint32Array(buffer.buffer, buffer.byteOffset, 4) as unknown as number[];
  if (fileMagic !== magic || version !== VERSION) throw new ArticleTableError(`not an akhbar ${what}`);
  if (count !== columnCount) throw new ArticleTableError(`${what} has the wrong columns`);
  const columns: TextColumn[] = [];
  let at = align8(HEAD);
  for (let c = 0; c < count; c++) {
    if (at + 4 * (rows! + 1) > buffer.length) throw new ArticleTableError(`${what} is cut short`);
    const offsets = new Uint32Array(buffer.buffer, buffer.byteOffset + at, rows! + 1);
    const blob = at + 4 * (rows! + 1);
    const bytes = offsets[rows!]!;
    if (blob + bytes > buffer.length) throw new ArticleTableError(`${what} is cut short`);
    for (let i = 0; i < rows!; i++) if (offsets[i + 1]! < offsets[i]!) throw new ArticleTableError(`${what} offsets are damaged`);
    columns.push(new TextColumn(buffer, blob, offsets));
    at = align8(blob + bytes);
  }
  if (at + numberBytesPerRow * rows! !== buffer.length) throw new ArticleTableError(`${what} has the wrong size`);
  return { rows: rows!, columns, numbersAt: buffer.byteOffset + at, buffer };
}

/** articles.bin: a text column per metadata field (META_FIELDS), then each article's text slot (u32). */
export function encodeArticles(records: readonly ArticleRecord[]): Buffer {
  // An add keeps every loaded article in order and appends: their bytes are copied column by column, not row by row.
  const loaded = records[0]?.origin?.columns;
  let unchanged = 0;
  while (loaded && unchanged < records.length && records[unchanged]!.origin?.columns === loaded && records[unchanged]!.origin!.row === unchanged) unchanged++;
  const columns = META_FIELDS.map((_, field): ColumnSource => ({
    length: (row) => records[row]!.fieldLength(field),
    write: (row, target, at) => records[row]!.writeField(field, target, at),
    prefix: loaded && unchanged ? { column: loaded[field]!, rows: unchanged } : undefined,
  }));
  return encodeColumns(ARTICLES_MAGIC, columns, records.length, Uint32Array.from(records, (r) => r.slot));
}

/** Reads encodeArticles' output (only the ids decoded); `sources` from decodeSources, in the same order. */
export function decodeArticles(data: Buffer, sources?: SourceState[]): ArticleRecord[] {
  const { rows, columns, numbersAt, buffer } = decodeColumns(data, ARTICLES_MAGIC, 'article table', META_FIELDS.length, 4);
  if (sources && sources.length !== rows) throw new ArticleTableError('article counts disagree between the article table and the source states');
  const slots = new Uint32Array(buffer.buffer, numbersAt, rows);
  const records: ArticleRecord[] = new Array(rows);
  for (let row = 0; row < rows; row++) records[row] = new ArticleRecord(columns[0]!.text(row), { columns, row }, sources?.[row], slots[row]!);
  return records;
}

/** Hex strings (one byte a character) as a column: the blob written in one piece. */
function asciiColumn(values: string[]): ColumnSource {
  const joined = values.join('');
  let from = 0;
  const ends = values.map((v) => (from += v.length));
  return {
    length: (row) => values[row]!.length,
    write: (row, target, at) => target.write(values[row]!, at, 'latin1'),
    whole: { text: joined, ends },
  };
}

/** sources.bin: text columns hash and duplicate key (empty when unknown), then each file's size and mtime (f64, NaN when unknown), in article order. */
export function encodeSources(records: readonly ArticleRecord[]): Buffer {
  const states = records.map((r) => {
    if (!r.source) throw new Error(`no source state for article ${r.id}`);
    return r.source;
  });
  const stamps = new Float64Array(2 * states.length).fill(NaN);
  states.forEach((s, i) => s.stamp && stamps.set([s.stamp.size, s.stamp.mtimeMs], 2 * i));
  const hashes = states.map((s) => s.hash);
  const keys = states.map((s) => s.textKey ?? '');
  return encodeColumns(SOURCES_MAGIC, [asciiColumn(hashes), asciiColumn(keys)], states.length, stamps);
}

export function decodeSources(data: Buffer): SourceState[] {
  const { rows, columns, numbersAt, buffer } = decodeColumns(data, SOURCES_MAGIC, 'source table', 2, 16);
  const [hashes, keys] = columns as [TextColumn, TextColumn];
  const stamps = new Float64Array(buffer.buffer, numbersAt, 2 * rows);
  const states: SourceState[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const size = stamps[2 * i]!;
    states[i] = {
      hash: hashes.text(i, 'latin1'),
      textKey: keys.byteLength(i) ? keys.text(i, 'latin1') : undefined,
      stamp: Number.isNaN(size) ? undefined : { size, mtimeMs: stamps[2 * i + 1]! },
    };
  }
  return states;
}
