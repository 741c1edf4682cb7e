// Parses one corpus file (.txt, .md with optional front matter, .html) into an Article.
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { Article, Lang } from '../types.js';
import { cleanParagraphs, paragraphsOf } from './clean.js';
import { IngestError } from './errors.js';
import { hashOf } from './files.js';
import { detectLanguage } from './language.js';
import { extractMetadata, type ExtractedMeta } from './metadata.js';

export { IngestError };

export { ARTICLE_EXTENSIONS } from './files.js';

interface Parsed {
  meta: ExtractedMeta & { url?: string; lang?: string };
  paragraphs: string[];
  /** Metadata came with the file (front matter, HTML head): don't guess it from the text. */
  declared: boolean;
}

export function decodeText(buffer: Buffer, file: string): string {
  if (buffer.length === 0) throw new IngestError(file, 'the file is empty');
  if (buffer.subarray(0, 8000).includes(0)) throw new IngestError(file, 'this is a binary file, not text');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer).replace(/^\uFEFF/, '');
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad > 0 && bad / text.length > 0.01) throw new IngestError(file, 'the file is not UTF-8 text');
  return text;
}

function parseFrontMatter(text: string, file: string): Parsed {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return { meta: {}, paragraphs: paragraphsOf(text), declared: false };
  let data: unknown;
  try {
    data = parseYaml(match[1]!);
  } catch (error) {
    throw new IngestError(file, `invalid YAML front matter (${(error as Error).message.split('\n')[0]})`);
  }
  const fm = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const str = (k: string) => (fm[k] === undefined || fm[k] === null ? undefined : String(fm[k]).trim());
  const body = text.slice(match[0].length).replace(/^#{1,6}\s+/gm, '');
  return {
    meta: { title: str('title'), source: str('source'), url: str('url'), date: str('date'), author: str('author'), lang: str('lang') },
    paragraphs: paragraphsOf(body),
    declared: true,
  };
}

function meta(doc: Document, ...names: string[]): string | undefined {
  for (const name of names) {
    const el = doc.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
    const content = el?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return undefined;
}

interface HtmlParsers {
  parseHTML: typeof import('linkedom').parseHTML;
  Readability: typeof import('@mozilla/readability').Readability;
}
let htmlParsers: HtmlParsers | undefined;
/** Loaded with the first HTML page (~0.2 s): Markdown and text files never need them. Synchronous, as parsing is. */
function loadHtmlParsers(): HtmlParsers {
  const require = createRequire(import.meta.url);
  htmlParsers ??= { parseHTML: (require('linkedom') as typeof import('linkedom')).parseHTML, Readability: (require('@mozilla/readability') as typeof import('@mozilla/readability')).Readability };
  return htmlParsers;
}

export function parseHtmlArticle(html: string, file: string): Parsed {
  const { parseHTML, Readability } = loadHtmlParsers();
  const { document } = parseHTML(html);
  const doc = document as unknown as Document;
  const head = {
    title: meta(doc, 'og:title', 'twitter:title') ?? doc.querySelector('title')?.textContent?.trim(),
    source: meta(doc, 'og:site_name', 'application-name'),
    url: meta(doc, 'og:url') ?? doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? undefined,
    date: meta(doc, 'article:published_time', 'datePublished', 'date', 'pubdate')?.slice(0, 10),
    author: meta(doc, 'author', 'article:author'),
    lang: doc.documentElement?.getAttribute('lang')?.slice(0, 2),
  };
  const article = new Readability(doc, { charThreshold: 100 }).parse();
  if (!article?.textContent?.trim()) throw new IngestError(file, 'no article text could be extracted from this HTML page');
  const blocks = parseHTML(`<div>${article.content ?? ''}</div>`).document.querySelectorAll('p, h2, h3, h4, li, blockquote');
  const paragraphs = blocks.length
    ? [...blocks].map((b) => (b.textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean)
    : paragraphsOf(article.textContent);
  return {
    meta: {
      ...head,
      title: article.title?.trim() || head.title,
      source: article.siteName?.trim() || head.source,
      author: article.byline?.trim() || head.author,
      date: article.publishedTime?.slice(0, 10) || head.date,
      lang: article.lang?.slice(0, 2) || head.lang,
    },
    paragraphs,
    declared: true,
  };
}

/** The Markdown file a fetched page becomes: front matter (with its URL), then paragraphs. */
export function pageToMarkdown(body: Buffer, url: string): { markdown: string; title: string; date: string } {
  const page = parseHtmlArticle(decodeText(body, url), url);
  const m = page.meta;
  const front = Object.fromEntries(
    Object.entries({
      title: m.title,
      source: m.source || new URL(url).hostname.replace(/^www\./, ''),
      url,
      date: m.date,
      author: m.author,
      lang: m.lang,
    }).filter(([, v]) => v),
  );
  const markdown = `---\n${toYaml(front, { lineWidth: 0 })}---\n\n${page.paragraphs.join('\n\n')}\n`;
  return { markdown, title: m.title ?? '', date: m.date ?? '' };
}

function asLang(value: string | undefined): Lang | undefined {
  const v = value?.toLowerCase();
  if (v?.startsWith('fr')) return 'fr';
  if (v?.startsWith('en')) return 'en';
  return undefined;
}

/** Turns raw file content into a cleaned Article. `file` is relative to the corpus folder. */
export function parseArticle(raw: Buffer, file: string): Article {
  const text = decodeText(raw, file);
  const ext = path.extname(file).toLowerCase();
  const parsed = ext === '.html' || ext === '.htm' ? parseHtmlArticle(text, file) : parseFrontMatter(text, file);
  const cleaned = cleanParagraphs(parsed.paragraphs, parsed.meta.title ? [parsed.meta.title] : []);
  const { meta: guessed, body } = parsed.declared
    ? { meta: {}, body: cleaned.paragraphs }
    : extractMetadata(cleaned.paragraphs);
  const bodyText = body.join('\n\n');
  if (bodyText.trim().length < 20) throw new IngestError(file, 'no article text left after cleaning');
  const declared = Object.fromEntries(Object.entries(parsed.meta).filter(([, v]) => v)) as Parsed['meta'];
  const m: Parsed['meta'] = { ...guessed, ...declared };
  const id = path.basename(file).replace(/\.[^.]+$/, '');
  return {
    id,
    file,
    title: m.title ?? id,
    source: m.source ?? '',
    url: m.url ?? '',
    date: m.date ?? '',
    author: m.author ?? '',
    lang: asLang(m.lang) ?? detectLanguage(bodyText),
    text: bodyText,
    hash: hashOf(raw),
  };
}
