// Ingest stage entry point: corpus folder → cleaned articles (+ per-file problems).
import { statSync, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { eventLoopYielder } from '../index/yield.js';
import type { Article } from '../types.js';
import { CorpusError, IngestError } from './errors.js';
import { hashOf, isArticleFile, readCorpusFile, sameStamp, withUtf8Text } from './files.js';

import { parseArticle } from './parse-thread.js';

export { CorpusError, IngestError } from './errors.js';
export { chunkArticle } from './parse-thread.js';

export interface CorpusScan {
  articles: Article[];
  problems: string[];
}

/**
 * Regular files under `dir`, and the symbolic links met on the way (never followed: a link may
 * lead out of the corpus, to files nobody meant to publish, or round in a loop).
 */
async function listFiles(dir: string, prefix = ''): Promise<{ files: string[]; links: string[] }> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const found = { files: [] as string[], links: [] as string[] };
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const rel = path.join(prefix, entry.name);
    if (entry.isSymbolicLink()) found.links.push(rel);
    else if (entry.isDirectory()) {
      const inner = await listFiles(dir, rel);
      found.files.push(...inner.files);
      found.links.push(...inner.links);
    } else found.files.push(rel);
  }
  return found;
}

/** Articles this process parsed, by absolute path: a re-scan skips files whose stamp is unchanged. */
const parsedFiles = new Map<string, Article>();

/** Files read at once: reads overlap without holding the whole corpus in memory. */
const READ_AHEAD = 64;

/** Files larger than this are skipped (settings: MAX_ARTICLE_BYTES). */
export const DEFAULT_MAX_ARTICLE_BYTES = 2_000_000;

async function loadCached(corpusDir: string, file: string, known: ReadonlyMap<string, Article> | undefined, maxBytes: number): Promise<Article> {
  const full = path.resolve(corpusDir, file);
  // Synchronous: from the inode cache a stat takes microseconds, less than a promise and
  // thread-pool round trip (most of a no-op re-index's time). The scan yields between files.
  let info: Stats | undefined;
  try {
    info = statSync(full, { throwIfNoEntry: false });
  } catch {
    info = undefined;
  }
  // Parsing takes the event loop for seconds on a file of tens of megabytes: no article is that long.
  if (info && info.size > maxBytes) throw new IngestError(file, `skipped (${info.size} bytes; the limit is MAX_ARTICLE_BYTES=${maxBytes})`);
  const stamp = info && { size: info.size, mtimeMs: info.mtimeMs };
  // The given article first: callers recognise unchanged files by getting it back.
  const previous = known?.get(file);
  if (sameStamp(previous?.stamp, stamp)) {
    parsedFiles.set(full, previous!);
    return previous!;
  }
  const cached = parsedFiles.get(full);
  if (sameStamp(cached?.stamp, stamp)) return cached!;
  const raw = await readCorpusFile(corpusDir, file, info?.size);
  // Same bytes under a new stamp (a copy, a checkout, `touch`): the earlier parse still holds.
  const article = withUtf8Text(previous && previous.hash === hashOf(raw) ? { ...previous, stamp } : { ...(await parseArticle(raw, file)), stamp });
  if (stamp) parsedFiles.set(full, article);
  return article;
}

export interface ScanOptions {
  /** Articles read by an earlier scan (by corpus file, with their stamps), e.g. from the index: a fresh process neither reads nor parses files that did not change. */
  known?: ReadonlyMap<string, Article>;
  maxArticleBytes?: number;
}

/** Reads every article under `corpusDir`; a bad file is reported and skipped, never fatal. */
export async function scanCorpus(corpusDir: string, { known, maxArticleBytes = DEFAULT_MAX_ARTICLE_BYTES }: ScanOptions = {}): Promise<CorpusScan> {
  const info = await stat(corpusDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CorpusError(`Corpus folder not found: ${corpusDir} (set CORPUS_DIR or pass --corpus DIR)`);
  }
  const articles: Article[] = [];
  const problems: string[] = [];
  const ids = new Map<string, string>();
  const { files, links } = await listFiles(corpusDir);
  for (const link of links) problems.push(`${link}: skipped (a symbolic link; put the file itself in the corpus)`);
  const loads: Array<Promise<Article> | undefined> = [];
  const startLoad = (i: number) => {
    const file = files[i];
    if (file === undefined || !isArticleFile(file)) return;
    const load = loadCached(corpusDir, file, known, maxArticleBytes);
    load.catch(() => undefined); // awaited below, in file order, where a failure is reported
    loads[i] = load;
  };
  // Unchanged files complete without waiting on any I/O: without a pause a big corpus would hold the bot's event loop.
  const pause = eventLoopYielder();
  for (let i = 0; i < READ_AHEAD; i++) startLoad(i);
  for (const [i, file] of files.entries()) {
    await pause();
    startLoad(i + READ_AHEAD);
    const load = loads[i];
    loads[i] = undefined;
    if (!load) {
      problems.push(`${file}: skipped (not .txt, .md or .html)`);
      continue;
    }
    try {
      const article = await load;
      const clash = ids.get(article.id);
      if (clash) {
        problems.push(`${file}: skipped (same article id as ${clash}; rename one of them)`);
        continue;
      }
      ids.set(article.id, file);
      articles.push(article);
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      problems.push(error.message);
    }
  }
  return { articles, problems };
}
