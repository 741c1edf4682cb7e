// The exact vector scan: over a real hnswlib file it returns what brute force over
// the same vectors returns (deleted points left out), refuses files of another
// layout, and the delta file of added and removed vectors reads back as written.
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlatVectors, unitVector } from '../../src/index/flat-vectors.js';
import { HnswFileError, HnswFileScan } from '../../src/index/hnsw-file.js';
import { VectorDelta, VectorDeltaError } from '../../src/index/vector-delta.js';
import { VectorIndex } from '../../src/index/vector.js';
import { rng } from '../support/rng.js';

const DIM = 16;

/** Vectors with some zero dimensions, as a hashed embedder makes them. */
function vectors(count: number, seed: number): number[][] {
  const random = rng(seed);
  return Array.from({ length: count }, () => Array.from({ length: DIM }, () => (random() < 0.4 ? 0 : random() - 0.3)));
}

const cosine = (a: number[], b: number[]) => {
  const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

/** The k best ids by cosine, computed the slow and obvious way. */
function bruteForce(points: Map<number, number[]>, query: number[], k: number): number[] {
  return [...points].map(([id, v]) => ({ id, score: cosine(v, query) })).sort((a, b) => b.score - a.score).slice(0, k).map((h) => h.id);
}

describe('exact vector scan', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-scan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const points = new Map(vectors(400, 3).map((v, i) => [i * 3 + 1, v]));
  const file = path.join(dir, 'vectors.hnsw');
  const index = VectorIndex.create(DIM, 64);
  for (const [id, v] of points) index.add(id, v);
  const removed = [...points.keys()].filter((_, i) => i % 9 === 0);
  for (const id of removed) {
    index.remove(id);
    points.delete(id);
  }
  index.save(file);

  it('finds in an hnswlib file the same top-k as brute force, leaving out points marked deleted', () => {
    const scan = HnswFileScan.open(file, DIM);
    for (const query of vectors(20, 9)) {
      const hits = scan.search(query, 10, () => true);
      expect(hits.map((h) => h.chunkId)).toEqual(bruteForce(points, query, 10));
      hits.forEach((h) => expect(h.score).toBeCloseTo(cosine(points.get(h.chunkId)!, query), 5));
    }
  });

  it('scores as hnswlib does (1 - cosine distance), and skips ids the caller no longer accepts', () => {
    const scan = HnswFileScan.open(file, DIM);
    const query = vectors(1, 11)[0]!;
    const graph = index.search(query, 5);
    const exact = scan.search(query, 5, () => true);
    exact.forEach((h, i) => expect(h.score).toBeCloseTo(graph[i]!.score, 5));
    const gone = new Set(exact.slice(0, 2).map((h) => h.chunkId));
    const rest = scan.search(query, 5, (id) => !gone.has(id));
    expect(rest.map((h) => h.chunkId)).toEqual(bruteForce(new Map([...points].filter(([id]) => !gone.has(id))), query, 5));
  });

  it('refuses a file of another dimension, a cut file and a foreign one', () => {
    expect(() => HnswFileScan.open(file, DIM + 1)).toThrow(HnswFileError);
    const cut = path.join(dir, 'cut.hnsw');
    writeFileSync(cut, '');
    expect(() => HnswFileScan.open(cut, DIM)).toThrow(HnswFileError);
    writeFileSync(cut, Buffer.alloc(4096, 7));
    expect(() => HnswFileScan.open(cut, DIM)).toThrow(HnswFileError);
    const copy = path.join(dir, 'short.hnsw');
    copyFileSync(file, copy);
    truncateSync(copy, 2000);
    expect(() => HnswFileScan.open(copy, DIM)).toThrow(HnswFileError);
  });

  it('finds in memory the same top-k as brute force, for sparse and dense queries alike', () => {
    const list = [...points];
    const floats = new Float32Array(list.length * DIM);
    list.forEach(([, v], i) => floats.set(unitVector(v), i * DIM));
    const flat = new FlatVectors(DIM, floats, Uint32Array.from(list, ([id]) => id), Uint32Array.from(list, (_, i) => i * DIM));
    const dense = Array.from({ length: DIM }, (_, i) => Math.sin(i + 1));
    for (const query of [...vectors(10, 5), dense]) expect(flat.search(query, 7).map((h) => h.chunkId)).toEqual(bruteForce(points, query, 7));
  });
});

describe('vector delta', () => {
  it('reads back what it wrote: added vectors searchable, removed graph ids remembered as stale', () => {
    const delta = new VectorDelta(DIM);
    const added = new Map(vectors(30, 21).map((v, i) => [1000 + i, v]));
    for (const [id, v] of added) delta.add(id, v);
    delta.remove(1003); // added here: simply dropped
    delta.remove(7); // not added here: a graph entry to delete at the next compaction
    added.delete(1003);
    expect(delta.size).toBe(30);
    const back = VectorDelta.decode(delta.encode(), DIM);
    expect([...back.stale]).toEqual([7]);
    expect(back.has(1003)).toBe(false);
    for (const query of vectors(5, 22)) expect(back.vectors().search(query, 5).map((h) => h.chunkId)).toEqual(bruteForce(added, query, 5));
  });

  it('refuses a foreign, cut or other-dimension file', () => {
    const delta = new VectorDelta(DIM);
    delta.add(1, vectors(1, 1)[0]!);
    const data = delta.encode();
    expect(() => VectorDelta.decode(data.subarray(0, data.length - 4), DIM)).toThrow(VectorDeltaError);
    expect(() => VectorDelta.decode(Buffer.alloc(data.length), DIM)).toThrow(VectorDeltaError);
    expect(() => VectorDelta.decode(data, DIM * 2)).toThrow(VectorDeltaError);
  });
});
