// Dev articles (eval/articles-dev) as test fixtures: read as Markdown, served as
// HTML pages and RSS/Atom feeds from a loopback HTTP server.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './cli.js';

export const DEV_ARTICLES = path.join(ROOT, 'eval/articles-dev');

export interface DevArticle {
  file: string;
  title: string;
  source: string;
  lang: string;
  paragraphs: string[];
}

export function devArticle(file: string): DevArticle {
  const text = readFileSync(path.join(DEV_ARTICLES, file), 'utf8');
  const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)!;
  const fm = parseYaml(front!) as Record<string, string>;
  return { file, title: fm.title!, source: fm.source!, lang: fm.lang ?? 'fr', paragraphs: body!.split('\n').map((l) => l.trim()).filter(Boolean) };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A news page as sites serve it: head metadata, navigation and footer around the article. */
export function articleHtml(a: DevArticle, date = '2025-03-14'): string {
  return `<!doctype html><html lang="${a.lang}"><head><meta charset="utf-8"><title>${esc(a.title)} | ${esc(a.source)}</title>
<meta property="og:title" content="${esc(a.title)}"><meta property="og:site_name" content="${esc(a.source)}">
<meta property="article:published_time" content="${date}T08:00:00Z"><meta name="author" content="Rédaction"></head>
<body><nav><a href="/">Accueil</a> <a href="/eco">Économie</a> <a href="/tech">Tech</a></nav>
<main><article><h1>${esc(a.title)}</h1>${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}</article></main>
<footer>© ${esc(a.source)} — Mentions légales — Partager sur Facebook</footer></body></html>`;
}

export function rssFeed(title: string, links: string[]): string {
  const items = links.map((l, i) => `<item><title>Item ${i}</title><link>${esc(l)}</link><guid>${esc(l)}</guid></item>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(title)}</title><link>http://127.0.0.1/</link><description>d</description>${items}</channel></rss>`;
}

export function atomFeed(title: string, links: string[]): string {
  const entries = links.map((l, i) => `<entry><title>Entry ${i}</title><id>urn:${i}</id><updated>2025-03-14T08:00:00Z</updated><link rel="alternate" href="${esc(l)}"/></entry>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${esc(title)}</title><id>urn:feed</id><updated>2025-03-14T08:00:00Z</updated>${entries}</feed>`;
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 with fixed routes; `url(path)` gives absolute URLs. */
export async function startSite(routes: Record<string, Route>): Promise<{ url: (p: string) => string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export const send = (type: string, body: string | Buffer, status = 200): Route => (_req, res) => {
  res.writeHead(status, { 'content-type': type }).end(body);
};
