// Adding articles to the corpus from files and URLs. The corpus folder stays the
// single source of truth: a URL becomes a Markdown file with front matter. Nothing
// is written until the input has been fetched, validated and parsed.
import { existsSync } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../types.js';
import { FetchError, fetchResource, type FetchLimits } from './fetch-url.js';
import { IngestError } from './errors.js';
import { ARTICLE_EXTENSIONS, textKey } from './files.js';
import { DEFAULT_MAX_ARTICLE_BYTES, scanCorpus, type CorpusScan } from './index.js';
// In the bot, parsing runs on the worker thread: its /add never holds the event loop with the HTML parsers.
import { pageToMarkdown, parseArticle } from './parse-thread.js';

export type AddStatus = 'added' | 'duplicate';

export interface AddResult {
  input: string;
  status: AddStatus;
  /** Corpus file (relative), the new one or the one it duplicates. */
  file: string;
  article: Article;
}

/** What the corpus already holds, to recognise an article added twice. */
export class CorpusCatalog {
  private readonly byUrl = new Map<string, Article>();
  private readonly byText = new Map<string, Article>();
  private readonly added: Article[] = [];

  private constructor(private readonly scan: CorpusScan) {
    for (const a of scan.articles) this.remember(a);
  }

  /** `known`: articles an earlier scan read (see scanCorpus), so unchanged files are not parsed again. */
  static async read(corpusDir: string, known?: ReadonlyMap<string, Article>, maxArticleBytes?: number): Promise<CorpusCatalog> {
    return new CorpusCatalog(await scanCorpus(corpusDir, { known, maxArticleBytes }));
  }

  /** The corpus as a scan now would read it: the scanned articles and those added since. */
  corpus(): CorpusScan {
    return { articles: [...this.scan.articles, ...this.added], problems: this.scan.problems };
  }

  private remember(a: Article): void {
    if (a.url) this.byUrl.set(normalizeUrl(a.url), a);
    this.byText.set(a.textKey ?? textKey(a.text), a);
  }

  /** Records an article just written to the corpus as `file`, with the stamp a scan would give it. */
  async add(a: Article, file: string): Promise<void> {
    const { size, mtimeMs } = await stat(file);
    const article = { ...a, stamp: { size, mtimeMs } };
    this.remember(article);
    this.added.push(article);
  }

  findUrl(url: string): Article | undefined {
    return this.byUrl.get(normalizeUrl(url));
  }

  findText(a: Article): Article | undefined {
    return this.byText.get(textKey(a.text));
  }
}

/**
 * An http(s) address that URL parsing would leave as it is but for case and trailing slashes: a
 * named host (no port, credentials, IP address or punycode), a path of plain segments (no escapes
 * nor dot segments), no query or fragment. Most corpus addresses are such.
 */
const PLAIN_URL = /^(https?:)\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)((?:\/[\w~-][\w.~-]*)*)\/*$/i;

/** Same page, whatever the fragment, trailing slash or tracking parameters. */
export function normalizeUrl(raw: string): string {
  // Without a URL object: a catalog normalises every article's address, 2,400 took 40–60 ms through URL.
  const plain = PLAIN_URL.exec(raw);
  if (plain && !/xn--/i.test(plain[2]!)) return `${plain[1]!.toLowerCase()}//${plain[2]!.toLowerCase()}${plain[3]}`;
  try {
    const u = new URL(raw);
    if (u.search) for (const key of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$)/.test(key)) u.searchParams.delete(key);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return raw.trim();
  }
}

function slugify(text: string): string {
  const slug = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return slug.slice(0, 60).replace(/-[^-]*$/, '') || 'article';
}

/** A file name not yet taken in the corpus (ids are file names without extension, so they must differ too). */
function freeName(corpusDir: string, base: string, ext: string): string {
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!ARTICLE_EXTENSIONS.some((e) => existsSync(path.join(corpusDir, id + e)))) return id + ext;
  }
}

/** Writes through a temporary name so a crash never leaves half an article in the corpus. */
async function writeAtomically(file: string, content: Buffer | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/** Written anyway, a file over the cap would be skipped by every scan: "added" but never indexed. */
function checkSize(input: string, bytes: number, max = DEFAULT_MAX_ARTICLE_BYTES): void {
  if (bytes > max) throw new IngestError(input, `too long to index (${bytes} bytes; the limit is MAX_ARTICLE_BYTES=${max})`);
}

export async function addFile(corpusDir: string, source: string, catalog: CorpusCatalog, maxArticleBytes?: number): Promise<AddResult> {
  const ext = path.extname(source).toLowerCase();
  if (!['.txt', '.md', '.markdown', '.html', '.htm'].includes(ext)) {
    throw new IngestError(source, 'only .txt, .md and .html files can be added');
  }
  let raw: Buffer;
  try {
    raw = await readFile(source);
  } catch (error) {
    throw new IngestError(source, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  checkSize(source, raw.length, maxArticleBytes);
  const parsed = await parseArticle(raw, path.basename(source));
  const same = catalog.findText(parsed) ?? (parsed.url ? catalog.findUrl(parsed.url) : undefined);
  if (same) return { input: source, status: 'duplicate', file: same.file, article: same };
  const base = path.basename(source, path.extname(source));
  const name = freeName(corpusDir, base, ext);
  await writeAtomically(path.join(corpusDir, name), raw);
  // The name gives the id (and the title when none is declared): parsed again only when it changed.
  const article = name === path.basename(source) ? parsed : await parseArticle(raw, name);
  await catalog.add(article, path.join(corpusDir, name));
  return { input: source, status: 'added', file: name, article };
}

export async function addUrl(corpusDir: string, url: string, catalog: CorpusCatalog, limits: FetchLimits): Promise<AddResult> {
  const known = catalog.findUrl(url);
  if (known) return { input: url, status: 'duplicate', file: known.file, article: known };
  const page = await fetchResource(url, limits);
  const knownFinal = catalog.findUrl(page.url);
  if (knownFinal) return { input: url, status: 'duplicate', file: knownFinal.file, article: knownFinal };
  const { markdown, title, date } = await pageToMarkdown(page.body, page.url);
  checkSize(page.url, Buffer.byteLength(markdown), limits.maxArticleBytes);
  const probe = await parseArticle(Buffer.from(markdown), 'probe.md');
  const same = catalog.findText(probe);
  if (same) return { input: url, status: 'duplicate', file: same.file, article: same };
  const base = [date.slice(0, 10), slugify(title || new URL(page.url).pathname)].filter(Boolean).join('-');
  const name = freeName(corpusDir, base, '.md');
  await writeAtomically(path.join(corpusDir, name), markdown);
  const article = await parseArticle(Buffer.from(markdown), name);
  await catalog.add(article, path.join(corpusDir, name));
  return { input: url, status: 'added', file: name, article };
}

export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

export interface AddOutcome {
  results: AddResult[];
  failures: Array<{ input: string; message: string }>;
  /** The corpus with the added articles, as a scan would read it now: an index update needs no second scan. */
  corpus: CorpusScan;
}

/** Adds each file or URL in turn; one bad input is reported and the others still go in. */
export async function addSources(corpusDir: string, inputs: string[], limits: FetchLimits, known?: ReadonlyMap<string, Article>): Promise<AddOutcome> {
  const catalog = await CorpusCatalog.read(corpusDir, known, limits.maxArticleBytes);
  const outcome: Omit<AddOutcome, 'corpus'> = { results: [], failures: [] };
  for (const input of inputs) {
    try {
      outcome.results.push(isUrl(input) ? await addUrl(corpusDir, input, catalog, limits) : await addFile(corpusDir, input, catalog, limits.maxArticleBytes));
    } catch (error) {
      if (!(error instanceof FetchError || error instanceof IngestError)) throw error;
      outcome.failures.push({ input, message: error.message });
    }
  }
  return { ...outcome, corpus: catalog.corpus() };
}
