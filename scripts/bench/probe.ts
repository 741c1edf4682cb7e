// Child process of the benchmark: opens an index the way the CLI and the bot do,
// then times search and extractive ask per query. Its own process, so load time
// and RSS are those of one index, not of the benchmark's leftovers.
// Usage: tsx scripts/bench/probe.ts INDEX_DIR QUERIES.json REPEAT
import { mkdirSync, readFileSync } from 'node:fs';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';

const [indexDir, queriesFile, repeatArg] = process.argv.slice(2);
const queries = JSON.parse(readFileSync(queriesFile!, 'utf8')) as string[];
const repeat = Number(repeatArg ?? 1);
const mb = () => process.memoryUsage().rss / 2 ** 20;

// An empty corpus folder (bench.ts makes it): this process loads only what `akhbar ask` loads.
const corpusDir = `${indexDir}-corpus`;
mkdirSync(corpusDir, { recursive: true });
const rssBefore = mb();
let t = performance.now();
const engine = await Akhbar.open(loadSettings({ ...process.env, INDEX_DIR: indexDir, CORPUS_DIR: corpusDir, LLM_PROVIDER: 'none', LOG_LEVEL: 'silent' }));
const loadMs = performance.now() - t;
const rssLoaded = mb();

for (const q of queries.slice(0, 20)) await engine.ask(q); // warm-up: JIT, stem caches
const search: number[] = [];
const ask: number[] = [];
const parts: Record<string, number[]> = { embedMs: [], vectorMs: [], keywordMs: [], fuseMs: [], answerMs: [] };
for (let r = 0; r < repeat; r++) {
  for (const q of queries) {
    t = performance.now();
    await engine.search(q, 5);
    search.push(performance.now() - t);
    t = performance.now();
    const result = await engine.ask(q);
    ask.push(performance.now() - t);
    for (const key of Object.keys(parts)) parts[key]!.push(result.timings[key] ?? 0);
  }
}
process.stdout.write(JSON.stringify({ loadMs, rssBefore, rssLoaded, rssAfter: mb(), search, ask, parts }));
