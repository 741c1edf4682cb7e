import hnswlib from 'hnswlib-node';
import { LocalHashEmbeddings } from './src/embeddings/local.js';
import { embeddingText } from './src/index/index.js';
import { chunkArticle } from './src/ingest/index.js';
import { loadPool, synthesize, benchQueries } from './scripts/bench/corpus.js';
const N = Number(process.argv[2] ?? 100000); const efC = Number(process.argv[3] ?? 100); const dim = Number(process.argv[4] ?? 384); const M = Number(process.argv[5] ?? 16);
const pool = await loadPool();
const { articles } = await synthesize(pool, N);
const emb = new LocalHashEmbeddings(dim);
const vecs: number[][] = [];
let t = performance.now();
for (const a of articles) for (const s of await chunkArticle(a)) vecs.push(emb.embedText(embeddingText(a.text.slice(s.start, s.end), a)));
console.log('embed s', ((performance.now() - t) / 1000).toFixed(1), vecs.length);
const idx = new hnswlib.HierarchicalNSW('cosine', dim);
idx.initIndex({ maxElements: vecs.length, m: M, efConstruction: efC, randomSeed: 42, allowReplaceDeleted: true });
t = performance.now();
vecs.forEach((v, i) => idx.addPoint(v, i, true));
console.log('insert s', ((performance.now() - t) / 1000).toFixed(1), 'efC', efC, 'dim', dim, 'M', M);
const MAT = new Float32Array(vecs.length * dim); vecs.forEach((v, i) => MAT.set(v, i * dim));
const qs = benchQueries(pool, [], 200).map((q) => emb.embedText(q));
const exact = qs.map((q) => { const s = new Float32Array(vecs.length); for (let r = 0; r < vecs.length; r++) { let x = 0; const b = r * dim; for (let d = 0; d < dim; d++) x += MAT[b + d]! * q[d]!; s[r] = x; } return s; });
for (const ef of [50, 100, 200, 400, 800]) {
  idx.setEf(ef);
  let rec = 0, ratio = 0; const times: number[] = [];
  qs.forEach((q, i) => { const kth = [...exact[i]!].sort((a, b) => b - a)[9]!; const tt = performance.now(); const r = idx.searchKnn(q, 10); times.push(performance.now() - tt); rec += r.neighbors.filter((n) => exact[i]![n]! >= kth - 1e-5).length / 10; ratio += (1 - r.distances[9]!) / kth; });
  times.sort((a, b) => a - b);
  console.log(`ef ${ef}: recall@10 ${(rec / qs.length).toFixed(3)}, 10th-score ratio ${(ratio / qs.length).toFixed(4)}, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(2)} ms`);
}
