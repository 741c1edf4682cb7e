// Corpus files as bytes: which files count, reading them, hashing them. Kept
// apart from the parsers so a scan of unchanged files loads no HTML or YAML code.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStamp } from '../types.js';
import { IngestError } from './errors.js';

export const ARTICLE_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm'];

export function isArticleFile(file: string): boolean {
  return ARTICLE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/**
 * Files up to this size are read synchronously: from the page cache that takes microseconds,
 * against four thread-pool round trips (open, stat, read, close) that made a third of a large
 * first scan's time. A scan yields between files, so the bot's event loop waits one read at most.
 */
const SYNC_READ_MAX_BYTES = 1 << 20;

/** A corpus file's bytes; `size` (from a stat just made) picks the synchronous read. */
export async function readCorpusFile(corpusDir: string, file: string, size?: number): Promise<Buffer> {
  try {
    const full = path.join(corpusDir, file);
    return size !== undefined && size <= SYNC_READ_MAX_BYTES ? readFileSync(full) : await readFile(full);
  } catch (error) {
    throw new IngestError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return !!a && !!b && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** node:crypto loads Node's streams and ciphers (~10 ms): only the commands that read articles pay for it. */
const sha256 = () => process.getBuiltinModule('node:crypto').createHash('sha256');

/** What makes two articles the same text, whatever their spacing, case or Unicode forms: an article added twice is recognised by it. */
export function textKey(text: string): string {
  return sha256().update(text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase()).digest('hex');
}

export function hashOf(raw: Buffer): string {
  return sha256().update(raw).digest('hex');
}

/** UTF-8 bytes kept elsewhere (an index build's spool), read on demand. */
export interface TextBytes {
  bytes(): Buffer;
}

/** UTF-8 bytes of texts held by `withUtf8Text` articles. */
const utf8Texts = new WeakMap<object, Buffer | TextBytes>();

/**
 * One getter for every such article: a getter written in an object literal is a new function per
 * object, which gives each its own hidden class until V8 turns them into dictionaries (about
 * 800 bytes an article at 12k articles).
 */
const UTF8_TEXT: PropertyDescriptor = {
  get(this: object) {
    const held = utf8Texts.get(this)!;
    return (Buffer.isBuffer(held) ? held : held.bytes()).toString('utf8');
  },
  enumerable: true,
  configurable: true,
};

/**
 * The article with its text held as UTF-8 bytes, decoded whenever it is read. A scan's articles
 * live through a build (and in the bot's scan cache), and French text as a JS string costs two
 * bytes a character (one ’ outside Latin-1 makes the whole string two-byte), as UTF-8 about one:
 * at 100k chunks about 95 MB of strings against 45 MB of bytes. A build reads each text three
 * times (to chunk it, to analyse it, to store it), each a decode of a few kilobytes.
 */
export function withUtf8Text<T extends { text: string }>(article: T): T {
  const { text, ...rest } = article;
  const compact = Object.defineProperty(Object.assign({}, rest), 'text', UTF8_TEXT) as unknown as T;
  utf8Texts.set(compact, Buffer.from(text, 'utf8'));
  return compact;
}

/** The UTF-8 bytes of an article made by withUtf8Text (a store keeps them as they are); undefined once moved elsewhere. */
export function utf8TextOf(article: object): Buffer | undefined {
  const held = utf8Texts.get(article);
  return Buffer.isBuffer(held) ? held : undefined;
}

/**
 * A withUtf8Text article's text is now read from `to` (the same bytes, stored elsewhere: an index
 * build's spool), and the bytes it held can go. Other articles are left as they are.
 */
export function moveUtf8Text(article: object, to: TextBytes): void {
  if (utf8Texts.has(article)) utf8Texts.set(article, to);
}
