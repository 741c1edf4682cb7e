// Corpus files as bytes: which files count, reading them, hashing them. Kept
// apart from the parsers so a scan of unchanged files loads no HTML or YAML code.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStamp } from '../types.js';
import { IngestError } from './errors.js';

export const ARTICLE_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm'];

export function isArticleFile(file: string): boolean {
  return ARTICLE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

export async function readCorpusFile(corpusDir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(path.join(corpusDir, file));
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
  return sha256().update('sha256').update(text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase()).digest('hex');
}

export function hashOf(raw: Buffer): string {
  return sha256().update(raw).digest('hex');
}
