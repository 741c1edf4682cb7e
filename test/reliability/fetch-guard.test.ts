// The fetch guard: which addresses a user-supplied URL may reach, checked where
// the connection is made (real HTTP against loopback stubs, and a network
// namespace holding public-looking addresses where the machine allows one).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fetchResource, type FetchLimits } from '../../src/ingest/fetch-url.js';
import { isPublicAddress } from '../../src/ingest/public-address.js';
import { ROOT } from '../support/cli.js';

const allowed = [
  '8.8.8.8', // the whole IPv4 internet was refused once (an IPv4-mapped rule matched plain IPv4)
  '1.1.1.1',
  '93.184.215.14',
  '100.63.255.255', // just below carrier-grade NAT
  '100.128.0.0', // just above it
  '172.15.255.255',
  '172.32.0.0',
  '203.0.113.10',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8', // IPv4-mapped public
  '[2a00:1450:4007:80e::200e]',
];
const refused = [
  '0.0.0.0',
  '127.0.0.1',
  '127.255.0.9',
  '10.1.2.3',
  '172.16.0.1',
  '172.31.255.254',
  '192.168.1.1',
  '169.254.169.254', // cloud metadata
  '100.64.0.1', // carrier-grade NAT
  '100.127.255.254',
  '224.0.0.251', // multicast
  '239.255.255.250',
  '255.255.255.255',
  '::',
  '::1',
  '[::1]',
  'fe80::1',
  'fe80::1%eth0',
  'fc00::1',
  'fd12:3456:789a::1',
  'ff02::1', // multicast
  '::ffff:127.0.0.1', // IPv4-mapped loopback
  '::ffff:7f00:1', // the same, in hex
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '::127.0.0.1', // IPv4-compatible
  '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
  '2002:c0a8:101::1', // 6to4 of 192.168.1.1
  'localhost', // a name, not an address: never "public" by itself
];

describe('which addresses are public', () => {
  it.each(allowed)('allows %s', (address) => expect(isPublicAddress(address)).toBe(true));
  it.each(refused)('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));
});

/** A loopback server that counts the requests it gets. */
async function stub(handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>')) {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, port: (server.address() as AddressInfo).port };
}

/** A resolver that answers each query with the next address of `answers` (the last one repeats), counting queries. */
function resolver(answers: string[]): LookupFunction & { queries: number } {
  const resolve = ((_host: string, options: { all?: boolean }, callback: (e: Error | null, a: string | LookupAddress[], f?: number) => void) => {
    const address = answers[Math.min(resolve.queries++, answers.length - 1)]!;
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction & { queries: number };
  resolve.queries = 0;
  return resolve;
}

const strict = (lookup?: LookupFunction): FetchLimits => ({ timeoutMs: 3_000, maxBytes: 100_000, maxRedirects: 2, allowPrivateHosts: false, lookup });

describe('the guard at connection time', () => {
  const servers: Server[] = [];
  afterAll(() =>
    servers.forEach((s) => {
      s.closeAllConnections();
      s.close();
    }),
  );

  it('refuses a name that resolves to loopback, and the server never sees a request', async () => {
    const site = await stub();
    servers.push(site.server);
    const lookup = resolver(['127.0.0.1']);
    await expect(fetchResource(`http://news.example:${site.port}/a`, strict(lookup))).rejects.toThrow(
      /news\.example is a private or local address \(127\.0\.0\.1\); set FETCH_ALLOW_PRIVATE_HOSTS=true/,
    );
    expect(site.requests).toEqual([]);
  });

  it('checks the very answer it connects to: a name that rebinds from public to loopback never reaches loopback', async () => {
    const site = await stub();
    servers.push(site.server);
    // First answer public (a documentation address nothing listens on), every later one loopback:
    // a guard that checks one answer and connects with another would reach the loopback server.
    const lookup = resolver(['198.51.100.7', '127.0.0.1']);
    const url = `http://rebind.example:${site.port}/secret`;
    await expect(fetchResource(url, strict(lookup))).rejects.toThrow(/cannot connect|timed out/);
    await expect(fetchResource(url, strict(lookup))).rejects.toThrow(/private or local address \(127\.0\.0\.1\)/);
    expect(site.requests).toEqual([]);
    expect(lookup.queries).toBe(2); // one query per connection, and that is the one checked
  });

  it('stops downloading when the declared length is over the limit', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const site = await stub((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50_000_000) });
      const timer = setInterval(() => res.write('x'.repeat(16_384)), 20);
      res.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    servers.push(site.server);
    const limits = { ...strict(), allowPrivateHosts: true, maxBytes: 100_000, timeoutMs: 60_000 };
    await expect(fetchResource(`http://127.0.0.1:${site.port}/big`, limits)).rejects.toThrow(/too large \(50000000 bytes; the limit is 100000\)/);
    // The connection is dropped at once, not left streaming until the server gives up.
    await connectionClosed;
  });
});

/** `ip netns` needs root and a kernel that allows namespaces; elsewhere this part is skipped. */
function namespacesAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  const name = `akhbar-probe-${randomBytes(3).toString('hex')}`;
  const made = spawnSync('ip', ['netns', 'add', name]).status === 0;
  if (made) spawnSync('ip', ['netns', 'del', name]);
  return made;
}

const netns = namespacesAvailable();
if (!netns) console.warn('fetch-guard: skipping the network-namespace test (needs root and `ip netns`)');

describe.skipIf(!netns)('public addresses, in a network namespace of their own', () => {
  const name = `akhbar-test-${randomBytes(3).toString('hex')}`;
  const etc = `/etc/netns/${name}`;
  const ip = (...args: string[]) => {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  };
  afterEach(() => {
    spawnSync('ip', ['netns', 'del', name]);
    rmSync(etc, { recursive: true, force: true });
  });

  it('fetches a public IPv4 host by name and a public IPv6 literal with the default settings, and still refuses loopback, also behind a redirect', () => {
    ip('netns', 'add', name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
    // Public-looking addresses (documentation ranges), reachable only inside this namespace.
    ip('-n', name, 'addr', 'add', '203.0.113.10/32', 'dev', 'lo');
    ip('-n', name, '-6', 'addr', 'add', '2001:db8::10/128', 'dev', 'lo', 'nodad');
    // `ip netns exec` mounts this file over /etc/hosts: the name resolves through the system resolver.
    mkdirSync(etc, { recursive: true });
    writeFileSync(path.join(etc, 'hosts'), '203.0.113.10 news.example\n127.0.0.1 localhost\n');
    const urls = [
      'http://news.example:8080/a',
      'http://203.0.113.10:8080/b',
      'http://[2001:db8::10]:8080/c',
      'http://localhost:8080/d',
      'http://127.0.0.1:8080/e',
      'http://news.example:8080/to-loopback', // a public page redirecting to loopback
    ];
    const r = spawnSync('ip', ['netns', 'exec', name, process.execPath, '--import', 'tsx', 'test/support/netns-fetch.ts', ...urls], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    expect(r.status, r.stderr).toBe(0);
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.slice(0, 3)).toEqual(urls.slice(0, 3).map((url) => ({ url, ok: true, bytes: expect.any(Number) })));
    expect(results[3]).toMatchObject({ ok: false, error: expect.stringMatching(/localhost is a private or local address \((127\.0\.0\.1|::1)\)/) });
    expect(results[4]).toMatchObject({ ok: false, error: expect.stringMatching(/127\.0\.0\.1 is a private or local address/) });
    expect(results[5]).toMatchObject({ ok: false, error: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8080\/a: 127\.0\.0\.1 is a private or local address/) });
  });
});
