// The HNSW index searches with a breadth (ef) that follows its live size, set
// again after a load (hnswlib's own default is 10), and finds the exact nearest
// neighbours of a small index read back from disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { efSearch, HNSW_EF_MIN, VectorIndex } from '../../src/index/vector.js';
import { rng } from '../support/rng.js';

const unit = (v: number[]) => {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
};

describe('vector index', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-hnsw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('widens ef as the index grows past the floor, and keeps it after a save and load', async () => {
    expect(efSearch(0)).toBe(HNSW_EF_MIN);
    expect(efSearch(1_000)).toBe(HNSW_EF_MIN);
    expect(efSearch(100_000)).toBeGreaterThanOrEqual(300);
    const random = rng(1);
    // Past the floor by 300 points, so removing 500 brings ef back down to it.
    let floorEnds = 1;
    while (efSearch(floorEnds + 1) === HNSW_EF_MIN) floorEnds++;
    const size = floorEnds + 300;
    const index = VectorIndex.create(4, 1024);
    for (let id = 0; id < size; id++) index.add(id, unit([random() - 0.5, random() - 0.5, random() - 0.5, random() - 0.5]));
    expect(index.ef).toBe(efSearch(size));
    expect(index.ef).toBeGreaterThan(HNSW_EF_MIN);
    const file = path.join(dir, 'grown.hnsw');
    index.save(file);
    const loaded = await VectorIndex.load(file, 4, size);
    expect(loaded.ef).toBe(efSearch(size));
    for (let id = 0; id < 500; id++) loaded.remove(id);
    expect(loaded.ef).toBe(HNSW_EF_MIN);
  }, 120_000); // 8.6k inserts: a few seconds, more on a busy machine

  it('finds the exact 10 nearest neighbours of clustered vectors after a load', async () => {
    const random = rng(2);
    const dimension = 24;
    const centres = Array.from({ length: 20 }, () => Array.from({ length: dimension }, () => random() - 0.5));
    const vectors = Array.from({ length: 1500 }, (_, i) => unit(centres[i % centres.length]!.map((x) => x + (random() - 0.5) * 0.3)));
    const index = VectorIndex.create(dimension, 1024);
    vectors.forEach((v, id) => index.add(id, v));
    const file = path.join(dir, 'clustered.hnsw');
    index.save(file);
    const loaded = await VectorIndex.load(file, dimension, vectors.length);
    for (let q = 0; q < 50; q++) {
      const query = unit(centres[q % centres.length]!.map((x) => x + (random() - 0.5) * 0.3));
      const exact = vectors
        .map((v, id) => ({ id, score: v.reduce((s, x, d) => s + x * query[d]!, 0) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10)
        .map((h) => h.id);
      expect(loaded.search(query, 10).map((h) => h.chunkId).sort((a, b) => a - b)).toEqual(exact.sort((a, b) => a - b));
    }
  });
});
