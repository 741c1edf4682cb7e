// Run inside a network namespace (ip netns exec): serves one article page on
// every address of the namespace, port 8080 (/to-loopback redirects to
// 127.0.0.1), then fetches each URL given on the
// command line with the default guard (private hosts refused) and prints one
// JSON line per URL: { url, ok, bytes? , error? }.
import { createServer } from 'node:http';
import { fetchResource } from '../../src/ingest/fetch-url.js';
import { articleHtml, devArticle } from './articles.js';

const page = articleHtml(devArticle('013-huawei-veut-lancer-5g-maroc.md'));
const server = createServer((req, res) => {
  if (req.url === '/to-loopback') return res.writeHead(302, { location: 'http://127.0.0.1:8080/a' }).end();
  res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});
await new Promise<void>((resolve) => server.listen(8080, '::', resolve));
const limits = { timeoutMs: 5_000, maxBytes: 1_000_000, maxRedirects: 2, allowPrivateHosts: false };
for (const url of process.argv.slice(2)) {
  try {
    const fetched = await fetchResource(url, limits);
    console.log(JSON.stringify({ url, ok: true, bytes: fetched.body.length }));
  } catch (error) {
    console.log(JSON.stringify({ url, ok: false, error: (error as Error).message }));
  }
}
server.close();
