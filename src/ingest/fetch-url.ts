// Fetches one web resource with the limits a bot that takes URLs from users
// needs: a timeout, a size cap, a bounded number of redirects and an allow-list
// of content types, and no private-network targets unless allowed. Redirects are
// followed by hand so they can be counted and each hop's host checked.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Settings } from '../config.js';

export class FetchError extends Error {}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  allowPrivateHosts: boolean;
}

const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['::ffff:0:0', 96]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/** Refuses hosts that resolve to loopback, private or link-local addresses. */
async function assertPublicHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  } catch {
    throw new FetchError(`${url.href}: cannot resolve ${host}.`);
  }
  const blocked = addresses.find((a) => {
    if (a.family === 6 && a.address.startsWith('::ffff:') && isIP(a.address.slice(7)) === 4) return PRIVATE.check(a.address.slice(7), 'ipv4');
    return PRIVATE.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4');
  });
  if (blocked) {
    throw new FetchError(`${url.href}: ${host} is a private or local address (${blocked.address}); set FETCH_ALLOW_PRIVATE_HOSTS=true to allow it.`);
  }
}

export interface Fetched {
  /** Where the content came from, after redirects. */
  url: string;
  contentType: string;
  body: Buffer;
}

export const HTML_TYPES = ['text/html', 'application/xhtml+xml'];
export const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/xml', 'text/xml', 'application/rdf+xml'];

export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError(`"${raw}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`${raw}: only http and https URLs can be fetched.`);
  return url;
}

async function readCapped(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw new FetchError(`${url}: the page is too large (${declared} bytes; the limit is ${maxBytes}).`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of response.body ?? []) {
    size += part.length;
    if (size > maxBytes) throw new FetchError(`${url}: the page is too large (over ${maxBytes} bytes).`);
    parts.push(Buffer.from(part));
  }
  return Buffer.concat(parts);
}

async function request(url: URL, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { redirect: 'manual', signal, headers: { 'user-agent': 'akhbar (news question bot)', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9' } });
  } catch (error) {
    if (signal.aborted) throw new FetchError(`${url.href}: no answer in time (timed out).`);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new FetchError(`${url.href}: cannot connect${cause ? ` (${cause})` : ''}.`);
  }
}

/** GETs `raw`, accepting only the given content types. */
export async function fetchResource(raw: string, limits: FetchLimits, accept: string[] = HTML_TYPES): Promise<Fetched> {
  let url = parseHttpUrl(raw);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  for (let redirects = 0; ; redirects++) {
    if (!limits.allowPrivateHosts) await assertPublicHost(url);
    const response = await request(url, signal);
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      if (redirects >= limits.maxRedirects) throw new FetchError(`${raw}: too many redirects (more than ${limits.maxRedirects}).`);
      url = parseHttpUrl(new URL(response.headers.get('location')!, url).href);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchError(`${url.href}: the server answered ${response.status} ${response.statusText}.`.replace(' .', '.'));
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!accept.includes(contentType)) {
      await response.body?.cancel();
      throw new FetchError(`${url.href}: not a ${accept === HTML_TYPES ? 'web page' : 'feed'} (content type "${contentType || 'none'}").`);
    }
    try {
      return { url: url.href, contentType, body: await readCapped(response, url.href, limits.maxBytes) };
    } catch (error) {
      if (error instanceof FetchError) throw error;
      if (signal.aborted) throw new FetchError(`${url.href}: no answer in time (timed out).`);
      throw new FetchError(`${url.href}: the download failed (${(error as Error).message}).`);
    }
  }
}

export function fetchLimits(settings: Pick<Settings, 'FETCH_TIMEOUT_MS' | 'FETCH_MAX_BYTES' | 'FETCH_MAX_REDIRECTS' | 'FETCH_ALLOW_PRIVATE_HOSTS'>): FetchLimits {
  return {
    timeoutMs: settings.FETCH_TIMEOUT_MS,
    maxBytes: settings.FETCH_MAX_BYTES,
    maxRedirects: settings.FETCH_MAX_REDIRECTS,
    allowPrivateHosts: settings.FETCH_ALLOW_PRIVATE_HOSTS,
  };
}
