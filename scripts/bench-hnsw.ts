// `npm run bench:hnsw [-- --size 100k --graphs 16/100,24/150 --efs 200,400,800]`: recall@10
// and top-50 search latency of bare hnswlib graphs over the bench corpus's local
// embeddings, per graph (M / efConstruction) and query-time ef, beside each
// graph's build time. What the HNSW constants in src/index/vector.ts were chosen from.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { loadSettings } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { readEvalSet } from '../src/eval/evaluate.js';
import { embeddingText } from '../src/index/index.js';
import { chunkArticle } from '../src/ingest/index.js';
import { benchQueries, loadPool, ROOT, synthesize } from './bench/corpus.js';
import { fmt, summarize } from './bench/stats.js';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '100k' },
    graphs: { type: 'string', default: '16/100,24/150,32/200' },
    efs: { type: 'string', default: '200,300,400,600,800' },
    queries: { type: 'string', default: '200' },
  },
});
const size = Number(args.size.replace(/k$/i, '')) * (/k$/i.test(args.size) ? 1000 : 1);
const log = (s: string) => process.stderr.write(`${s}\n`);
const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof import('hnswlib-node');

const embedder = await createEmbedder({ ...loadSettings({ ...process.env, LLM_PROVIDER: 'none' }), EMBEDDINGS_PROVIDER: 'local' });
const pool = await loadPool();
const { articles } = await synthesize(pool, size);
const texts: string[] = [];
for (const a of articles) for (const s of await chunkArticle(a)) texts.push(embeddingText(a.text.slice(s.start, s.end), a));
const vectors = await embedder.embeddings.embedDocuments(texts);
const dim = vectors[0]!.length;
const questions = [...(await readEvalSet(`${ROOT}/eval/dev.jsonl`)), ...(await readEvalSet(`${ROOT}/eval/dev-articles.jsonl`))].map((q) => q.question);
const queries = await Promise.all(benchQueries(pool, questions, Number(args.queries)).map((q) => embedder.embeddings.embedQuery(q)));
log(`${vectors.length} vectors of ${dim} dimensions, ${queries.length} queries`);

/** Exact top-10 threshold per query: the 10th best cosine (vectors are unit length). */
const matrix = new Float32Array(vectors.length * dim);
vectors.forEach((v, i) => matrix.set(v, i * dim));
const exact = queries.map((q) => {
  const scores = new Float32Array(vectors.length);
  for (let r = 0; r < vectors.length; r++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += matrix[r * dim + d]! * q[d]!;
    scores[r] = s;
  }
  return { scores, kth: [...scores].sort((a, b) => b - a)[9]! };
});

const lines = ['| M / efC | build (s) | ef | recall@10 mean / min | top-50 search median / p95 (ms) |', '| --- | --- | --- | --- | --- |'];
for (const graph of args.graphs.split(',')) {
  const [m, efConstruction] = graph.split('/').map(Number) as [number, number];
  const index = new HierarchicalNSW('cosine', dim);
  index.initIndex({ maxElements: vectors.length, m, efConstruction, randomSeed: 42 });
  let t = performance.now();
  vectors.forEach((v, i) => index.addPoint(v, i));
  const buildS = (performance.now() - t) / 1000;
  log(`M ${m} / efC ${efConstruction}: built in ${fmt(buildS)} s`);
  for (const ef of args.efs.split(',').map(Number)) {
    index.setEf(ef);
    const recalls = queries.map((q, i) => {
      const { neighbors } = index.searchKnn(q, 10);
      return neighbors.filter((n) => exact[i]!.scores[n]! >= exact[i]!.kth - 1e-5).length / 10;
    });
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      for (const q of queries) {
        t = performance.now();
        index.searchKnn(q, 50);
        times.push(performance.now() - t);
      }
    }
    const s = summarize(times);
    const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
    lines.push(`| ${m} / ${efConstruction} | ${fmt(buildS)} | ${ef} | ${mean.toFixed(3)} / ${Math.min(...recalls).toFixed(2)} | ${fmt(s.median)} / ${fmt(s.p95)} |`);
    log(lines.at(-1)!);
  }
}
console.log(lines.join('\n'));
