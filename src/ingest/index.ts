// Ingest stage entry point: corpus folder → cleaned articles (+ per-file problems).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../types.js';
import { CorpusError, IngestError } from './errors.js';
import { ARTICLE_EXTENSIONS, loadArticle } from './load.js';

export { chunkArticle } from './chunk.js';
export { CorpusError, IngestError } from './errors.js';
export { parseArticle } from './load.js';
export { detectLanguage } from './language.js';

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

/** Parsed files by absolute path: a re-scan only re-parses files whose size or mtime changed. */
const parsedFiles = new Map<string, { size: number; mtimeMs: number; article: Article }>();

async function loadCached(corpusDir: string, file: string, maxBytes: number): Promise<Article> {
  const full = path.resolve(corpusDir, file);
  const info = await stat(full).catch(() => undefined);
  // Parsing takes the event loop for seconds on a file of tens of megabytes: no article is that long.
  if (info && info.size > maxBytes) throw new IngestError(file, `skipped (${info.size} bytes; the limit is MAX_ARTICLE_BYTES=${maxBytes})`);
  const hit = parsedFiles.get(full);
  if (info && hit && hit.size === info.size && hit.mtimeMs === info.mtimeMs) return hit.article;
  const article = await loadArticle(corpusDir, file);
  if (info) parsedFiles.set(full, { size: info.size, mtimeMs: info.mtimeMs, article });
  return article;
}

/** Files larger than this are skipped (settings: MAX_ARTICLE_BYTES). */
export const DEFAULT_MAX_ARTICLE_BYTES = 2_000_000;

/** Reads every article under `corpusDir`; a bad file is reported and skipped, never fatal. */
export async function scanCorpus(corpusDir: string, maxArticleBytes = DEFAULT_MAX_ARTICLE_BYTES): Promise<CorpusScan> {
  const info = await stat(corpusDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CorpusError(`Corpus folder not found: ${corpusDir} (set CORPUS_DIR or pass --corpus DIR)`);
  }
  const articles: Article[] = [];
  const problems: string[] = [];
  const ids = new Map<string, string>();
  const { files, links } = await listFiles(corpusDir);
  for (const link of links) problems.push(`${link}: skipped (a symbolic link; put the file itself in the corpus)`);
  for (const file of files) {
    if (!ARTICLE_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
      problems.push(`${file}: skipped (not .txt, .md or .html)`);
      continue;
    }
    try {
      const article = await loadCached(corpusDir, file, maxArticleBytes);
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
