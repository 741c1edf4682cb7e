// The floor of a fresh `akhbar ask` on a built index: a bare node process that
// reads every file of the live generation, opens the vector graph with hnswlib
// and runs one top-50 search. Any ask does at least this; what `akhbar ask`
// spends beyond it is imports, parsing, analysis and answering.
// Usage: node scripts/bench/ask-floor.mjs INDEX_DIR EF (the ef the product searches that index with)
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [indexDir, ef] = process.argv.slice(2);
const dir = path.join(indexDir, readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim());
const graph = readdirSync(dir).find((f) => f.endsWith('.hnsw'));
for (const f of readdirSync(dir)) if (f !== graph) readFileSync(path.join(dir, f));
const { dimension } = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).embedder;
const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node');
const index = new HierarchicalNSW('cosine', dimension);
index.readIndexSync(path.join(dir, graph), true);
index.setEf(Number(ef));
index.searchKnn(Array.from({ length: dimension }, (_, i) => Math.sin(i + 1)), 50);
