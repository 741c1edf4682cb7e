// RSS and Atom feeds: a small JSON config file of feed URLs, a parser that reads
// item links out of either format, and a sync that adds the items not yet in the corpus.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { addUrl, CorpusCatalog, type AddResult } from './add.js';
import { FEED_TYPES, FetchError, fetchResource, HTML_TYPES, type FetchLimits } from './fetch-url.js';
import { FeedError } from './errors.js';
import { decodeText, IngestError } from './load.js';

export { FeedError };

export interface FeedEntry {
  url: string;
  title?: string;
  addedAt: string;
  lastSyncAt?: string;
}

export interface ParsedFeed {
  title: string;
  links: string[];
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v && '#text' in v ? String(v['#text']) : v == null ? '' : String(v)).trim();

function atomLink(links: unknown): string {
  const all = asArray(links as Record<string, string> | Array<Record<string, string>>);
  const pick = all.find((l) => !l['@_rel'] || l['@_rel'] === 'alternate') ?? all[0];
  return (pick?.['@_href'] ?? '').trim();
}

/** Reads an RSS 2.0, RSS 1.0 (RDF) or Atom document; item links are resolved against `base`. */
export function parseFeed(xml: string, base: string): ParsedFeed {
  if (/^\s*(<!doctype html|<html)/i.test(xml)) throw new FeedError(`${base}: this is a web page, not an RSS or Atom feed`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new FeedError(`${base}: malformed feed (line ${valid.err.line}: ${valid.err.msg})`);
  const doc = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true }).parse(xml);
  let title: string;
  let links: string[];
  if (doc.rss?.channel) {
    title = text(doc.rss.channel.title);
    links = asArray(doc.rss.channel.item).map((i: Record<string, unknown>) => text(i.link) || text(i.guid));
  } else if (doc.feed) {
    title = text(doc.feed.title);
    links = asArray(doc.feed.entry).map((e: Record<string, unknown>) => atomLink(e.link));
  } else if (doc.RDF) {
    title = text(doc.RDF.channel?.title);
    links = asArray(doc.RDF.item).map((i: Record<string, unknown>) => text(i.link));
  } else {
    throw new FeedError(`${base}: not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)`);
  }
  const resolved = links.filter(Boolean).map((l) => {
    try {
      return new URL(l, base).href;
    } catch {
      return '';
    }
  });
  return { title, links: [...new Set(resolved.filter(Boolean))] };
}

export async function fetchFeed(url: string, limits: FetchLimits): Promise<ParsedFeed> {
  // Some servers send feeds as text/html; the parser decides whether it is one.
  const page = await fetchResource(url, limits, [...FEED_TYPES, ...HTML_TYPES, 'text/plain']);
  return parseFeed(decodeText(page.body, page.url), page.url);
}

export async function readFeeds(file: string): Promise<FeedEntry[]> {
  if (!existsSync(file)) return [];
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { feeds?: FeedEntry[] };
    return Array.isArray(data.feeds) ? data.feeds : [];
  } catch (error) {
    throw new FeedError(`Cannot read the feeds file ${file} (${(error as Error).message}); fix or delete it.`);
  }
}

export async function writeFeeds(file: string, feeds: FeedEntry[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify({ feeds }, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Checks the feed parses before saving it, so a bad URL never lands in the config. */
export async function addFeed(file: string, url: string, limits: FetchLimits): Promise<{ entry: FeedEntry; items: number; existed: boolean }> {
  const feeds = await readFeeds(file);
  const parsed = await fetchFeed(url, limits);
  const known = feeds.find((f) => f.url === url);
  if (known) return { entry: known, items: parsed.links.length, existed: true };
  const entry: FeedEntry = { url, title: parsed.title || undefined, addedAt: new Date().toISOString() };
  await writeFeeds(file, [...feeds, entry]);
  return { entry, items: parsed.links.length, existed: false };
}

export interface FeedSyncReport {
  feed: string;
  added: AddResult[];
  duplicates: number;
  errors: string[];
}

/** Adds every item of every configured feed that the corpus does not hold yet (by link, then by text). */
export async function syncFeeds(file: string, corpusDir: string, limits: FetchLimits): Promise<FeedSyncReport[]> {
  const feeds = await readFeeds(file);
  const catalog = await CorpusCatalog.read(corpusDir);
  const reports: FeedSyncReport[] = [];
  for (const feed of feeds) {
    const report: FeedSyncReport = { feed: feed.url, added: [], duplicates: 0, errors: [] };
    reports.push(report);
    let parsed: ParsedFeed;
    try {
      parsed = await fetchFeed(feed.url, limits);
    } catch (error) {
      if (!(error instanceof FeedError || error instanceof FetchError || error instanceof IngestError)) throw error;
      report.errors.push(error.message);
      continue;
    }
    for (const link of parsed.links) {
      try {
        const result = await addUrl(corpusDir, link, catalog, limits);
        if (result.status === 'added') report.added.push(result);
        else report.duplicates++;
      } catch (error) {
        if (!(error instanceof FetchError || error instanceof IngestError)) throw error;
        report.errors.push(error.message);
      }
    }
    feed.lastSyncAt = new Date().toISOString();
  }
  if (feeds.length) await writeFeeds(file, feeds);
  return reports;
}
