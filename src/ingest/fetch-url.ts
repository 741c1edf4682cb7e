// Fetches one web resource with the limits a bot that takes URLs from users
// needs: a timeout, a size cap, a bounded number of redirects and an allow-list
// of content types, and no private-network targets unless allowed. Redirects are
// followed by hand so they can be counted. The address check runs where the
// connection is made, on the very answer the socket connects to, so a DNS
// answer that changes between a check and the connection (rebinding) can't pass.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { Dispatcher, Response } from 'undici';
import type { Settings } from '../config.js';
import { isPublicAddress } from './public-address.js';

export class FetchError extends Error {}

/** Imported by the first fetch: loading undici costs ~0.2 s that adding a file, or any command that fetches nothing, never needs. */
type Undici = Pick<typeof import('undici'), 'Agent' | 'buildConnector' | 'fetch'>;

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  allowPrivateHosts: boolean;
  /** An added article whose file would be larger than this is refused (MAX_ARTICLE_BYTES): the index skips such files. */
  maxArticleBytes?: number;
  /** Resolves host names (default: the system resolver, as dns.lookup). */
  lookup?: LookupFunction;
}

/** A connection refused because its address is not public: carried to fetch's caller as the error's cause. */
class PrivateAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private or local address`);
  }
}

/** Resolves like `resolve`, failing when any answer is not a public address. */
function publicOnlyLookup(resolve: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, answer) => {
      if (error) return callback(error, '', 0);
      const addresses = answer as unknown as LookupAddress[];
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused) return callback(new PrivateAddressError(hostname, refused.address), '', 0);
      if (options.all) return callback(null, addresses as never);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** A dispatcher whose every connection goes to a public address: names through the guarded lookup, literal IPs checked here (they skip lookup). */
function publicOnlyDispatcher(resolve: LookupFunction, { Agent, buildConnector }: Undici): Dispatcher {
  const connect = buildConnector({ lookup: publicOnlyLookup(resolve) });
  return new Agent({
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && !isPublicAddress(host)) return callback(new PrivateAddressError(host, host), null);
      return connect(options, callback);
    },
  });
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
  if (declared > maxBytes) {
    // Not a byte more of it: cancelling closes the connection instead of leaving the server sending.
    await response.body?.cancel();
    throw new FetchError(`${url}: the page is too large (${declared} bytes; the limit is ${maxBytes}).`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  // Leaving the loop early (by the throw) cancels the body.
  for await (const part of response.body ?? []) {
    size += part.length;
    if (size > maxBytes) throw new FetchError(`${url}: the page is too large (over ${maxBytes} bytes).`);
    parts.push(Buffer.from(part));
  }
  return Buffer.concat(parts);
}

async function request(url: URL, signal: AbortSignal, dispatcher: Dispatcher | undefined, { fetch }: Undici): Promise<Response> {
  try {
    return await fetch(url, {
      redirect: 'manual',
      signal,
      dispatcher,
      headers: { 'user-agent': 'akhbar (news question bot)', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9' },
    });
  } catch (error) {
    if (signal.aborted) throw new FetchError(`${url.href}: no answer in time (timed out).`);
    const cause = (error as { cause?: Error & { code?: string } }).cause;
    if (cause instanceof PrivateAddressError) {
      throw new FetchError(`${url.href}: ${cause.host} is a private or local address (${cause.address}); set FETCH_ALLOW_PRIVATE_HOSTS=true to allow it.`);
    }
    if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') throw new FetchError(`${url.href}: cannot resolve ${url.hostname}.`);
    throw new FetchError(`${url.href}: cannot connect${cause?.code ? ` (${cause.code})` : ''}.`);
  }
}

/** GETs `raw`, accepting only the given content types. */
export async function fetchResource(raw: string, limits: FetchLimits, accept: string[] = HTML_TYPES): Promise<Fetched> {
  let url = parseHttpUrl(raw);
  const undici = await import('undici');
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const dispatcher = limits.allowPrivateHosts ? undefined : publicOnlyDispatcher(limits.lookup ?? (dnsLookup as LookupFunction), undici);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await request(url, signal, dispatcher, undici);
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
  } finally {
    // Its sockets belong to this fetch alone.
    void dispatcher?.destroy().catch(() => undefined);
  }
}

export function fetchLimits(settings: Pick<Settings, 'FETCH_TIMEOUT_MS' | 'FETCH_MAX_BYTES' | 'FETCH_MAX_REDIRECTS' | 'FETCH_ALLOW_PRIVATE_HOSTS' | 'MAX_ARTICLE_BYTES'>): FetchLimits {
  return {
    timeoutMs: settings.FETCH_TIMEOUT_MS,
    maxBytes: settings.FETCH_MAX_BYTES,
    maxRedirects: settings.FETCH_MAX_REDIRECTS,
    allowPrivateHosts: settings.FETCH_ALLOW_PRIVATE_HOSTS,
    maxArticleBytes: settings.MAX_ARTICLE_BYTES,
  };
}
