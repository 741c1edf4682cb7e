// Search latency through each store (hnswlib on disk, Postgres + pgvector) at
// about 10k chunks: `npm run bench:stores` (pgvector needs DATABASE_URL; without it
// only hnswlib runs). Articles are made by recombining paragraphs of the dev
// articles, so chunks read like news text.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { loadSettings } from '../src/config.js';
import { Akhbar } from '../src/core/engine.js';
import { readEvalSet } from '../src/eval/evaluate.js';
import { dropSharedStore } from '../src/index/pg/index.js';

loadDotenv({ quiet: true });
const root = path.resolve(import.meta.dirname, '..');
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 1930);
const ROUNDS = 3;

async function syntheticCorpus(dir: string): Promise<void> {
  const source = path.join(root, 'eval/articles-dev');
  const paragraphs: string[] = [];
  for (const f of await readdir(source)) {
    const body = (await readFile(path.join(source, f), 'utf8')).replace(/^---[\s\S]*?---/, '');
    paragraphs.push(...body.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 200));
  }
  await mkdir(dir, { recursive: true });
  let seed = 7;
  const pick = () => paragraphs[(seed = (seed * 48271) % 2147483647) % paragraphs.length]!;
  for (let i = 0; i < ARTICLES; i++) {
    const body = [`Dépêche numéro ${i} de la rédaction.`, pick(), pick(), pick(), pick()].join('\n\n');
    await writeFile(path.join(dir, `bench-${String(i).padStart(5, '0')}.md`), `---\ntitle: "Dépêche ${i}"\nsource: "Bench"\nlang: fr\n---\n${body}\n`);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const work = await mkdtemp(path.join(tmpdir(), 'akhbar-bench-'));
try {
  const corpus = path.join(work, 'corpus');
  await syntheticCorpus(corpus);
  const questions = (await readEvalSet(path.join(root, 'eval/dev-articles.jsonl'))).map((q) => q.question);
  const stores = process.env.DATABASE_URL ? (['hnswlib', 'pgvector'] as const) : (['hnswlib'] as const);
  for (const store of stores) {
    const settings = loadSettings({ ...process.env, VECTOR_STORE: store, CORPUS_DIR: corpus, INDEX_DIR: path.join(work, 'index'), DATABASE_TABLE_PREFIX: 'akhbar_bench_' });
    if (store === 'pgvector') await dropSharedStore(settings);
    const started = performance.now();
    const engine = await Akhbar.open(settings);
    const buildMs = performance.now() - started;
    const { chunks } = await engine.stats();
    for (const q of questions.slice(0, 5)) await engine.search(q, 5);
    const times = { search: [] as number[], vector: [] as number[], keyword: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const q of questions) {
        const t = performance.now();
        await engine.search(q, 5);
        times.search.push(performance.now() - t);
        const { timings } = await engine.ask(q);
        times.vector.push(timings.vectorMs!);
        times.keyword.push(timings.keywordMs!);
      }
    }
    const stat = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return `p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms`;
    };
    console.log(
      `${store}: ${chunks} chunks, index built in ${(buildMs / 1000).toFixed(1)} s, ${times.search.length} queries\n` +
        `  hybrid search (k=5, 50+50 candidates, passages fetched): ${stat(times.search)}\n` +
        `  vector top-50: ${stat(times.vector)}; keyword (BM25) top-50: ${stat(times.keyword)}`,
    );
    if (store === 'pgvector' && !process.env.BENCH_KEEP) await dropSharedStore(settings);
    await engine.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
