import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync, scratchCorpus } from '../support/cli.js';
import { articleHtml, atomFeed, devArticle, rssFeed, send, startSite } from '../support/articles.js';
import { chunkIdsByArticle, snapshot } from '../support/snapshot.js';

const HTML = 'text/html; charset=utf-8';
const capgemini = devArticle('027-morocco-capgemini-engineering-mou-1500-jobs-2026.md');
const huawei = devArticle('013-huawei-veut-lancer-5g-maroc.md');
const cgi = devArticle('011-cgi-recrute-centaine-ingenieurs-fes.md');
const mistral = devArticle('039-morocco-mistral-ai-sign-deal-digital-innovation.md');
const gitex = devArticle('035-gitex-africa-2023-unlock-morocco-tech-potential.md');

describe('adding web pages and feeds', async () => {
  const scratch = scratchCorpus();
  const feedsFile = path.join(scratch.dir, 'feeds.json');
  // The test site is on loopback, which is refused unless explicitly allowed.
  const env = { FEEDS_FILE: feedsFile, FETCH_TIMEOUT_MS: '400', FETCH_MAX_BYTES: '200000', FETCH_ALLOW_PRIVATE_HOSTS: 'true' };
  const dirs = ['--corpus', scratch.corpus, '--index', scratch.index];
  const cli = (...args: string[]) => runCliAsync([...args, ...dirs], env);
  let site: Awaited<ReturnType<typeof startSite>>;

  beforeAll(async () => {
    site = await startSite({
      '/capgemini': send(HTML, articleHtml(capgemini)),
      '/capgemini-copy': send(HTML, articleHtml(capgemini)),
      '/old-capgemini': (_req, res) => res.writeHead(301, { location: '/capgemini' }).end(),
      '/huawei': send(HTML, articleHtml(huawei)),
      '/cgi': send(HTML, articleHtml(cgi)),
      '/mistral': send(HTML, articleHtml(mistral)),
      '/gitex': send(HTML, articleHtml(gitex)),
      '/rss': (req, res) => send('application/rss+xml', rssFeed('Tech Maroc', ['/huawei', '/cgi'].map((p) => site.url(p))))(req, res),
      '/atom': (req, res) => send('application/atom+xml', atomFeed('Morocco tech', ['/mistral', '/cgi'].map((p) => site.url(p))))(req, res),
      '/broken-feed': send('application/rss+xml', '<rss><channel><title>x</title><item><link>http://a</item></channel>'),
      '/slow': () => undefined,
      '/pdf': send('application/pdf', Buffer.from('%PDF-1.4 binary')),
      '/binary': send(HTML, Buffer.from([0x3c, 0x68, 0, 1, 2, 3, 0xff, 0xfe, 0, 0])),
      '/huge': send(HTML, articleHtml({ ...gitex, paragraphs: Array(800).fill(gitex.paragraphs[0]!) })),
      '/empty': send(HTML, '<html><head><title>Home</title></head><body><nav><a href="/">Home</a></nav></body></html>'),
      '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
    });
    expect(runCli(['index', ...dirs]).code).toBe(0);
  });
  afterAll(() => site.close());

  it('fetches a page, writes Markdown with front matter into the corpus and indexes only it', async () => {
    const before = chunkIdsByArticle(scratch.index);
    const r = await cli('add', '--json', site.url('/capgemini'));
    expect(r.code, r.stderr).toBe(0);
    const { items, index } = r.json();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'added', title: capgemini.title, source: capgemini.source, date: '2025-03-14', lang: 'en', url: site.url('/capgemini') });
    expect(items[0].chunks).toBeGreaterThan(0);
    expect(index).toMatchObject({ added: 1, updated: 0, removed: 0 });
    const written = readFileSync(path.join(scratch.corpus, items[0].file), 'utf8');
    expect(written).toMatch(/^---\ntitle: .*Capgemini/);
    expect(written).toContain(`url: ${site.url('/capgemini')}`);
    expect(written).toContain(capgemini.paragraphs[1]);
    expect(written).not.toMatch(/Accueil|Mentions légales/);
    const after = chunkIdsByArticle(scratch.index);
    for (const [id, ids] of before) expect(after.get(id)).toEqual(ids);
  });

  it('answers a question about the fetched article from it', async () => {
    const r = await cli('ask', '--json', 'How many jobs will Capgemini Engineering create in Morocco?');
    const answer = r.json();
    expect(answer.refused).toBe(false);
    expect(answer.citations[0].url).toBe(site.url('/capgemini'));
  });

  it('recognises the same article by URL (also through a redirect) and by text, and does not duplicate it', async () => {
    const files = readdirSync(scratch.corpus).length;
    for (const p of ['/capgemini', '/capgemini#top', '/old-capgemini', '/capgemini-copy']) {
      const r = await cli('add', '--json', site.url(p));
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().items[0]).toMatchObject({ status: 'duplicate', title: capgemini.title });
      expect(r.json().index).toBeNull();
    }
    expect(readdirSync(scratch.corpus)).toHaveLength(files);
  });

  it('follows RSS and Atom feeds and adds only items not yet in the corpus', async () => {
    expect((await cli('feeds', 'list')).stdout).toMatch(/No feeds yet/);
    expect((await cli('feeds', 'add', site.url('/rss'))).code).toBe(0);
    const atom = await cli('feeds', 'add', '--json', site.url('/atom'));
    expect(atom.json()).toMatchObject({ feed: { url: site.url('/atom'), title: 'Morocco tech' }, items: 2, existed: false });
    expect((await cli('feeds', 'list', '--json')).json().feeds.map((f: { url: string }) => f.url)).toEqual([site.url('/rss'), site.url('/atom')]);

    const sync = await cli('feeds', 'sync', '--json');
    expect(sync.code, sync.stderr).toBe(0);
    const { feeds, index } = sync.json();
    expect(feeds[0].added.map((a: { title: string }) => a.title)).toEqual([huawei.title, cgi.title]);
    expect(feeds[1].added.map((a: { title: string }) => a.title)).toEqual([mistral.title]);
    expect(feeds[1].duplicates).toBe(1);
    expect(index).toMatchObject({ added: 3 });

    const again = (await cli('feeds', 'sync', '--json')).json();
    expect(again.feeds.map((f: { added: unknown[] }) => f.added.length)).toEqual([0, 0]);
    expect(again.index).toBeNull();
    const sources = (await cli('sources', '--json')).json().articles.map((a: { title: string }) => a.title);
    expect(sources.filter((t: string) => t === cgi.title)).toHaveLength(1);
  });

  const bad: Array<[string, () => string[], RegExp]> = [
    ['a 404', () => ['add', site.url('/missing')], /404/],
    ['a timeout', () => ['add', site.url('/slow')], /timed out/],
    ['a non-HTML response', () => ['add', site.url('/pdf')], /not a web page.*application\/pdf/],
    ['a binary response sent as HTML', () => ['add', site.url('/binary')], /binary/],
    ['a page over the size limit', () => ['add', site.url('/huge')], /too large/],
    ['a page with no article', () => ['add', site.url('/empty')], /no article text/],
    ['endless redirects', () => ['add', site.url('/loop')], /too many redirects/],
    ['a malformed feed', () => ['feeds', 'add', site.url('/broken-feed')], /malformed feed/],
    ['a feed URL that is a web page', () => ['feeds', 'add', site.url('/gitex')], /not an RSS or Atom feed/],
    ['a file that is not text', () => {
      const file = path.join(scratch.dir, 'photo.txt');
      writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2]));
      return ['add', file];
    }, /binary file, not text/],
    ['a file of an unsupported kind', () => ['add', path.join(scratch.dir, 'feeds.json')], /only \.txt, \.md and \.html/],
  ];

  it.each(bad)('refuses %s with a clear message and changes nothing', async (_name, args, message) => {
    const feedsBefore = existsSync(feedsFile) ? readFileSync(feedsFile, 'utf8') : '';
    const before = snapshot(scratch.corpus, scratch.index);
    const r = await cli(...args());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(scratch.corpus, scratch.index)).toEqual(before);
    expect(existsSync(feedsFile) ? readFileSync(feedsFile, 'utf8') : '').toBe(feedsBefore);
  });

  it('refuses private, link-local and loopback addresses unless allowed', async () => {
    const before = snapshot(scratch.corpus, scratch.index);
    const strict = { ...env, FETCH_ALLOW_PRIVATE_HOSTS: 'false' };
    for (const url of [site.url('/gitex'), 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x']) {
      const r = await runCliAsync(['add', url, ...dirs], strict);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/private or local address.*FETCH_ALLOW_PRIVATE_HOSTS=true/);
    }
    expect(snapshot(scratch.corpus, scratch.index)).toEqual(before);
  });
});
