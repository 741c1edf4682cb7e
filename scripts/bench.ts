// `npm run bench [-- --sizes 1k,10k,100k --runs 3 --repeat 3 --cli-rounds 7 --no-eval]`: speed,
// size, memory and recall of akhbar on synthetic corpora re-sampled from the
// real articles. Prints a Markdown table and writes it to bench-results.md.
// A benchmark, not a test: figures are medians and p95 over repeated runs.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings } from '../src/config.js';
import { Akhbar } from '../src/core/engine.js';
import { createEmbedder, type Embedder } from '../src/embeddings/index.js';
import { readEvalSet, runEvaluation } from '../src/eval/evaluate.js';
import { HnswStore } from '../src/index/index.js';
import { HNSW_EF_CONSTRUCTION, HNSW_M } from '../src/index/vector.js';
import { detectLanguage } from '../src/ingest/language.js';
import { analyzeQuery } from '../src/text/analyze.js';
import { bareHnswBuild, buildIndex, indexSize, type BuildRun } from './bench/build.js';
import { benchQueries, loadPool, ROOT, synthesize } from './bench/corpus.js';
import { cliBuild, cliPaths, writeCorpus, type CliBuild, type CliPaths } from './bench/cli.js';
import { askUnderLoad, botFloor, botStartToReady, type ConcurrencyResult } from './bench/discord.js';
import { embedStoredChunks, hnswRecall } from './bench/recall.js';
import { cell, fmt, summarize, type Summary } from './bench/stats.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1k,10k,100k' },
    runs: { type: 'string', default: '3' },
    repeat: { type: 'string', default: '3' },
    queries: { type: 'string', default: '200' },
    'cli-rounds': { type: 'string', default: '7' },
    'no-eval': { type: 'boolean', default: false },
    'no-discord': { type: 'boolean', default: false },
  },
});
const sizes = args.sizes.split(',').map((s) => Math.round(Number(s.replace(/k$/i, '')) * (/k$/i.test(s) ? 1000 : 1)));
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
const log = (s: string) => process.stderr.write(`${s}\n`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

interface SizeResult {
  size: number;
  chunks: number;
  articles: number;
  /** In process, per stage (none at 100k and above). */
  builds: BuildRun[];
  /** `akhbar index` on the corpus as files, from scratch. */
  cliBuilds: CliBuild[];
  /** A bare hnswlib graph of as many vectors (the product's M and efConstruction), one beside each CLI build. */
  bareHnswMs: number[];
  bytes: Record<string, number>;
  probe: ProbeResult;
  recall: number[];
  /** HNSW ef the index searched with. */
  ef: number;
  /** Per query: BM25 postings scored with pruning, and postings in the query terms' lists. */
  postings: { scored: number[]; listed: number[] };
  cli: CliPaths;
  botReady?: number[];
  /** A bare process logging in and loading the graph: see bench/bot-floor.mjs. */
  botFloor?: number[];
  discord?: ConcurrencyResult[];
  loads: string[];
}

interface ProbeResult {
  loadMs: number;
  rssLoaded: number;
  rssAfter: number;
  search: number[];
  ask: number[];
  parts: Record<string, number[]>;
}

function runProbe(indexDir: string, queriesFile: string, repeat: number): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench/probe.ts'), indexDir, queriesFile, String(repeat)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`probe exited with ${code}`))));
  });
}

async function benchSize(size: number, work: string, embedder: Embedder, pool: Awaited<ReturnType<typeof loadPool>>, questions: string[]): Promise<SizeResult> {
  const loads = [load()];
  const { articles, chunks } = await synthesize(pool, size);
  log(`${label(size)}: ${articles.length} articles, ${chunks} chunks (load ${load()})`);
  // In process, per stage; skipped at 100k and above, where the CLI build below takes minutes already.
  const runs = size >= 100_000 ? 0 : Number(args.runs);
  const builds: BuildRun[] = [];
  for (let r = 0; r < runs; r++) {
    builds.push(await buildIndex(path.join(work, `staged-${label(size)}`), articles, embedder));
    log(`  build ${r + 1}/${runs}: ${fmt(builds.at(-1)!.totalMs)} ms (load ${load()})`);
  }
  const corpusDir = path.join(work, `corpus-${label(size)}`);
  const indexDir = path.join(work, `index-${label(size)}`);
  writeCorpus(corpusDir, articles);
  const cliBuilds = [cliBuild(corpusDir, indexDir)];
  const store = (await HnswStore.load(indexDir))!;
  const embedded = await embedStoredChunks(store, embedder);
  // Each CLI build beside a bare one, in turn, so that machine load weighs on both alike.
  const bareHnswMs: number[] = [];
  for (let r = 0; r < Math.max(1, runs); r++) {
    if (r > 0) cliBuilds.push(cliBuild(corpusDir, indexDir));
    bareHnswMs.push(bareHnswBuild(embedded));
    log(`  \`akhbar index\` ${r + 1}: ${fmt(cliBuilds[r]!.ms)} ms, peak RSS ${fmt(cliBuilds[r]!.peakRssMb)} MB (near it: JS heap ${fmt(cliBuilds[r]!.atPeak.heapMb)}, external ${fmt(cliBuilds[r]!.atPeak.externalMb)}, graph, thread and code ${fmt(cliBuilds[r]!.atPeak.otherMb)}); bare hnswlib ${fmt(bareHnswMs[r]!)} ms (load ${load()})`);
  }
  const bytes = await indexSize(indexDir);
  const queries = benchQueries(pool, questions, Number(args.queries));
  const queriesFile = path.join(work, 'queries.json');
  await writeFile(queriesFile, JSON.stringify(queries));
  const probe = await runProbe(indexDir, queriesFile, Number(args.repeat));
  loads.push(load());
  log(`  probe: load ${fmt(probe.loadMs)} ms, RSS ${fmt(probe.rssAfter)} MB (load ${load()})`);
  const recall = await hnswRecall(store, embedded, embedder, queries);
  const postings = keywordPostings(store, queries);
  // add and the no-op index write a new generation per round: minutes at 100k, and not what this size is for.
  const cli = cliPaths(corpusDir, indexDir, questions, Number(args['cli-rounds']), size <= 20_000);
  log(`  CLI paths: ${cli.ask.length} rounds (load ${load()})`);
  let botReady: number[] | undefined;
  let floorReady: number[] | undefined;
  let discord: ConcurrencyResult[] | undefined;
  if (!args['no-discord'] && size >= 10_000) {
    botReady = [];
    floorReady = [];
    for (let r = 0; r < 3; r++) {
      botReady.push(await botStartToReady(indexDir));
      floorReady.push(await botFloor(indexDir));
    }
    log(`  bot ready: ${botReady.map(fmt).join(', ')} ms; its floor ${floorReady.map(fmt).join(', ')} ms (load ${load()})`);
    if (size === 10_000) {
      discord = await askUnderLoad(indexDir, questions, [
        { users: 1, rounds: 30 },
        { users: 10, rounds: 5 },
        { users: 50, rounds: 3 },
        { users: 200, rounds: 2 },
      ]);
    }
  }
  loads.push(load());
  return { size, chunks, articles: articles.length, builds, cliBuilds, bareHnswMs, bytes, probe, recall, ef: store.vectors?.ef ?? 0, postings, cli, botReady, botFloor: floorReady, discord, loads };
}

/** How much of the query terms' postings BM25's pruning scores for the top 50 retrieval asks for. */
function keywordPostings(store: HnswStore, queries: string[]): SizeResult['postings'] {
  const scored: number[] = [];
  const listed: number[] = [];
  for (const q of queries) {
    const terms = analyzeQuery(q, detectLanguage(q));
    store.keyword.search(terms, 50);
    scored.push(store.keyword.lastScored);
    listed.push(terms.reduce((sum, t) => sum + store.keyword.documentFrequency(t.term), 0));
  }
  return { scored, listed };
}

async function evidenceRecall(work: string): Promise<string[]> {
  const sets = [
    { name: 'dev.jsonl', file: 'eval/dev.jsonl', extra: [] as string[] },
    { name: 'dev-articles.jsonl', file: 'eval/dev-articles.jsonl', extra: ['eval/articles-dev'] },
  ];
  const lines = ['| dev set | n | hybrid r@1 / r@5 | vector-only r@1 / r@5 | keyword-only r@1 / r@5 |', '| --- | --- | --- | --- | --- |'];
  for (const [i, set] of sets.entries()) {
    const corpus = path.join(work, `eval-corpus-${i}`);
    await cp(path.join(ROOT, 'corpus'), corpus, { recursive: true });
    for (const extra of set.extra) await cp(path.join(ROOT, extra), corpus, { recursive: true });
    const engine = await Akhbar.open(loadSettings({ ...process.env, CORPUS_DIR: corpus, INDEX_DIR: path.join(work, `eval-index-${i}`), LLM_PROVIDER: 'none' }));
    const cells: string[] = [];
    let n = 0;
    for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
      const r = (await runEvaluation(engine, path.join(ROOT, set.file), { mode, answers: false })).retrieval.all!;
      n = r.n;
      cells.push(`${r.recall1.toFixed(3)} / ${r.recall5.toFixed(3)}`);
    }
    lines.push(`| ${set.name} | ${n} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function table(results: SizeResult[], embedderName: string): string[] {
  const cols = results.map((r) => `${label(r.size)} (${r.chunks.toLocaleString('en-US')} chunks)`);
  const lines = [`| figure (median / p95) | ${cols.join(' | ')} | target |`, `| --- | ${cols.map(() => '---').join(' | ')} | --- |`];
  const row = (name: string, f: (r: SizeResult) => string, target = '') => lines.push(`| ${name} | ${results.map(f).join(' | ')} | ${target} |`);
  const perBuild = (r: SizeResult, f: (b: BuildRun) => number) => summarize(r.builds.map(f));
  const rate = (r: SizeResult, ms: (b: BuildRun) => number) => cell(perBuild(r, (b) => (b.chunks / ms(b)) * 1000));
  row(`build in process, whole update (chunks/s, ${embedderName}; not run at 100k)`, (r) => `${rate(r, (b) => b.totalMs)} (n=${r.builds.length})`, '≥ 2,000 at 10k');
  row('· chunking (chunks/s)', (r) => rate(r, (b) => b.phases.chunkMs));
  row('· embedding (chunks/s)', (r) => rate(r, (b) => b.phases.embedMs));
  row('· vector insert (chunks/s)', (r) => rate(r, (b) => b.phases.insertMs - b.postingsMs));
  row('· keyword index: analysis + postings (chunks/s)', (r) => rate(r, (b) => b.phases.analyzeMs + b.postingsMs));
  row('· save to disk (ms)', (r) => cell(perBuild(r, (b) => b.phases.saveMs)));
  row('index size on disk (MB)', (r) => fmt(Object.values(r.bytes).reduce((a, b) => a + b, 0) / 2 ** 20));
  row('· per file (MB)', (r) => Object.entries(r.bytes).map(([f, b]) => `${f} ${fmt(b / 2 ** 20)}`).join(', '));
  row('index load in a fresh process (ms)', (r) => fmt(r.probe.loadMs));
  row('process RSS after load + queries (MB)', (r) => `${fmt(r.probe.rssAfter)} (loaded: ${fmt(r.probe.rssLoaded)})`, '≤ 500 at 100k');
  row('hybrid search, in process (ms)', (r) => cell(summarize(r.probe.search)), '≤ 2 at 10k, ≤ 5 at 100k');
  for (const [key, name] of [['embedMs', 'query embedding'], ['vectorMs', 'vector search (top 50)'], ['keywordMs', 'keyword search (top 50)'], ['fuseMs', 'fusion + passages']]) {
    row(`· ${name} (ms)`, (r) => cell(summarize(r.probe.parts[key]!)));
  }
  row('· BM25 postings scored per query, pruned (of those in the query terms\' lists)', (r) => `${cell(summarize(r.postings.scored))} (${cell(summarize(r.postings.listed))})`);
  row('extractive ask, in process (ms)', (r) => cell(summarize(r.probe.ask)), '≤ 20 at 10k');
  row('· answer (ms)', (r) => cell(summarize(r.probe.parts.answerMs!)));
  row('HNSW recall@10 vs exact cosine (mean / min over queries)', (r) => `ef ${r.ef}: ${summarize(r.recall).n && (r.recall.reduce((a, b) => a + b, 0) / r.recall.length).toFixed(3)} / ${Math.min(...r.recall).toFixed(2)}`, '≥ 0.98');
  const median = (xs: number[]) => summarize(xs).median;
  const cliBuildMs = (r: SizeResult) => median(r.cliBuilds.map((b) => b.ms));
  row('`akhbar index` from scratch on the corpus files, fresh process (s; chunks/s)', (r) => `${fmt(cliBuildMs(r) / 1000)} s; ${fmt((r.chunks / cliBuildMs(r)) * 1000)}/s (n=${r.cliBuilds.length})`);
  row(`· bare hnswlib build of as many vectors, M ${HNSW_M} / efC ${HNSW_EF_CONSTRUCTION}, same run (s)`, (r) => `${fmt(median(r.bareHnswMs) / 1000)} (n=${r.bareHnswMs.length})`);
  row('· `akhbar index` / bare hnswlib build', (r) => `${(cliBuildMs(r) / median(r.bareHnswMs)).toFixed(2)}×`, '≤ 2×');
  row('· peak RSS of the `akhbar index` process (MB)', (r) => fmt(median(r.cliBuilds.map((b) => b.peakRssMb))), '≤ 600 at 113k');
  // A path's median over a floor's median, from the same rounds.
  const cliRow = (name: string, key: keyof CliPaths, target = '', floor: keyof CliPaths = 'node') =>
    row(name, (r) => {
      if (!r.cli[key].length) return '–';
      const ratio = key === floor ? '' : ` (${(median(r.cli[key]) / median(r.cli[floor])).toFixed(2)}× ${floor === 'node' ? 'node' : 'floor'})`;
      return `${cell(summarize(r.cli[key]))}${ratio}`;
    }, target);
  cliRow('fresh process: bare `node -e 0` (ms)', 'node');
  cliRow('`akhbar ask` on the built index, fresh process (ms)', 'ask', '≤ 4× node at 10k');
  cliRow('· ask floor: node reading the index files + one exact scan of the vectors (ms)', 'askFloor');
  cliRow('· `akhbar ask` over its floor', 'ask', '≤ 1.5× at 113k', 'askFloor');
  cliRow('no-op `akhbar index`, fresh process (ms)', 'noopIndex', '≤ 500 ms at 2k files');
  cliRow('`akhbar add` of one file, fresh process (ms)', 'add', '≤ 600 ms at 10k');
  row('bot start-to-ready, `akhbar bot` process, fake Discord (ms)', (r) => (r.botReady ? cell(summarize(r.botReady)) : '–'), '≤ 1,000 at 100k');
  row('· bot floor: node logging discord.js in while it reads the index files and loads the graph with hnswlib (ms)', (r) => (r.botFloor ? cell(summarize(r.botFloor)) : '–'));
  row('· bot start-to-ready over its floor', (r) => (r.botReady && r.botFloor ? `${(median(r.botReady) / median(r.botFloor)).toFixed(2)}× floor` : '–'), '≤ 2×');
  for (const users of [1, 10, 50, 200]) {
    row(`/ask through the fake Discord, ${users} concurrent user${users > 1 ? 's' : ''} (ms; answered/sent)`, (r) => {
      const c = r.discord?.find((d) => d.users === users);
      return c ? `${cell(summarize(c.latencies))} (${c.answered}/${c.sent})` : '–';
    }, users >= 50 ? 'all answered, p95 reported' : '');
  }
  row('load average (1/5/15 min) at start, after probe, at end', (r) => r.loads.join('; '));
  return lines;
}

const started = new Date();
const work = await mkdtemp(path.join(tmpdir(), 'akhbar-bench-'));
try {
  const settings = loadSettings({ ...process.env, LLM_PROVIDER: 'none' });
  const embedder = await createEmbedder({ ...settings, EMBEDDINGS_PROVIDER: 'local' });
  const pool = await loadPool();
  const questions = [...(await readEvalSet(path.join(ROOT, 'eval/dev.jsonl'))), ...(await readEvalSet(path.join(ROOT, 'eval/dev-articles.jsonl')))].map((q) => q.question);
  log(`pool: ${pool.sentences.fr.length} French and ${pool.sentences.en.length} English sentences from ${pool.real.length} articles`);
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await benchSize(size, work, embedder, pool, questions));
  const out = [
    `# akhbar benchmark`,
    '',
    `${started.toISOString()}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores; load average at start ${load()}. ` +
      `Latencies over ${args.queries} queries × ${args.repeat} (dev questions + sampled phrases); builds: ${args.runs} runs below 100k in process and through the CLI, 1 through the CLI at 100k.`,
    '',
    ...table(results, embedder.info.model),
    '',
    `Corpora: sentences of the ${pool.real.length} real articles (corpus/, eval/articles-dev) re-sampled into synthetic articles, 30% of their words swapped for words drawn from the same language's running text so sentences stay unique (scripts/bench/corpus.ts).`,
    '',
    'Embedders: `local` measured. `transformers` (multilingual-e5-small) cannot load offline here: Hugging Face is unreachable and no npm package ships its weights.',
  ];
  if (!args['no-eval']) out.push('', '## Evidence recall on the dev sets (real corpus)', '', ...(await evidenceRecall(work)));
  const text = out.join('\n');
  console.log(text);
  await writeFile(path.join(ROOT, 'bench-results.md'), `${text}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
