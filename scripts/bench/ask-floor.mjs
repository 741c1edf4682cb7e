// The floor of a fresh `akhbar ask` on a built index: a bare node process that
// reads every file of the live generation and scores every stored vector
// against one query (a dense dot product over the vector file's floats, as
// many as the index holds). A one-question ask searches the vectors exactly
// without building the graph, so any ask does at least this; what `akhbar ask`
// spends beyond it is imports, parsing, analysis and answering.
// Usage: node scripts/bench/ask-floor.mjs INDEX_DIR
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [indexDir] = process.argv.slice(2);
const dir = path.join(indexDir, readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim());
const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f))]));
const { embedder, chunkCount } = JSON.parse(files.get('manifest.json').toString('utf8'));
const graph = [...files].find(([f]) => f.endsWith('.hnsw'))[1];
const floats = new Float32Array(graph.buffer, graph.byteOffset, Math.floor(graph.byteLength / 4));
const query = Float32Array.from({ length: embedder.dimension }, (_, i) => Math.sin(i + 1));
const scores = new Float32Array(chunkCount);
for (let v = 0; v < chunkCount; v++) {
  const base = ((v * embedder.dimension) % (floats.length - embedder.dimension)) | 0;
  let dot = 0;
  for (let d = 0; d < embedder.dimension; d++) dot += query[d] * floats[base + d];
  scores[v] = dot;
}
