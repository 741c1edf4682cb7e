// Duplicate detection compares addresses in a normal form; most are normalised without a URL
// object (fast path), the rest through one. Both must agree on every address.
import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../src/ingest/add.js';

/** The normal form as URL parsing defines it (what the fast path must reproduce). */
function throughUrl(raw: string): string {
  try {
    const u = new URL(raw);
    for (const key of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$)/.test(key)) u.searchParams.delete(key);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return raw.trim();
  }
}

const ADDRESSES = [
  'https://example.org/syn-000001',
  'HTTPS://Example.ORG/News/Article_1/',
  'http://www.le360.ma/economie/maroc-digital-2030-2801.html',
  'https://example.org',
  'https://example.org///',
  'https://example.org//a//b//',
  'https://example.org/a/./b',
  'https://example.org/a/../b',
  'https://example.org/.well-known/x',
  'https://example.org/caf%C3%A9',
  'https://example.org/café',
  'https://example.org/a b',
  'https://example.org:443/a',
  'https://example.org:8080/a',
  'https://user:pw@example.org/a',
  'https://127.1/a',
  'https://0x7f.0.0.1/a',
  'https://192.168.0.1/a',
  'https://example.com./a',
  'https://xn--caf-dma.ma/a',
  'https://xn--zz/a',
  'https://EXAMPLE.org/a?utm_source=x&id=3#top',
  'https://example.org/a#frag',
  'https://example.org/a\\b',
  'ftp://example.org/a',
  'not a url',
  ' https://example.org/a ',
];

describe('normalizeUrl', () => {
  it('gives the form URL parsing gives, for plain and unusual addresses alike', () => {
    for (const raw of ADDRESSES) expect(normalizeUrl(raw), raw).toBe(throughUrl(raw));
  });

  it('puts the same page under one key whatever the case of the host, trailing slashes, fragment or tracking parameters', () => {
    const key = normalizeUrl('https://example.org/news/a?id=3');
    expect(normalizeUrl('https://EXAMPLE.org/news/a/?utm_source=feed&id=3#comments')).toBe(key);
    expect(normalizeUrl('https://example.org/news/b?id=3')).not.toBe(key);
  });
});
