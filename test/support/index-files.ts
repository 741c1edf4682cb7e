// Reads and rewrites the live index generation's files as older versions of akhbar wrote them:
// tests look at what the index records of each article, and make indexes of older formats.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeArticles, decodeSources, DELTA_SLOT } from '../../src/index/article-table.js';
import { decodeChunkRows, decodePassages } from '../../src/index/passages.js';
import type { Manifest, ManifestArticle } from '../../src/index/store.js';

export const liveGeneration = (index: string) => path.join(index, readFileSync(path.join(index, 'CURRENT'), 'utf8').trim());

export const manifestOf = (index: string) => JSON.parse(readFileSync(path.join(liveGeneration(index), 'manifest.json'), 'utf8')) as Manifest;

/** Every article the live generation lists, as format 3 listed it in its manifest (with chunk ids and text slot). */
export function indexedArticles(index: string): Array<ManifestArticle & { slot: number }> {
  const gen = liveGeneration(index);
  const sources = decodeSources(readFileSync(path.join(gen, 'sources.bin')));
  const records = decodeArticles(readFileSync(path.join(gen, 'articles.bin')), sources);
  const rows = decodeChunkRows(readFileSync(path.join(gen, 'chunks.bin'))).sort((a, b) => a.chunkNo - b.chunkNo);
  return records.map((r, i) => ({ ...r.meta(), ...r.source!, chunkIds: rows.filter((c) => c.articleIndex === i).map((c) => c.id), slot: r.slot }));
}

/**
 * Rewrites the live generation as akhbar wrote format 2 or 3: the articles in manifest.json (after
 * `edit`), the passage segments of a small update, no articles.bin nor sources.bin.
 */
export function rewriteAsFormat(index: string, format: 2 | 3, edit: (a: ManifestArticle) => void = () => undefined): void {
  const gen = liveGeneration(index);
  const { articleCount: _n, files, ...manifest } = manifestOf(index);
  const articles = indexedArticles(index).map(({ slot: _s, ...a }) => (edit(a), a));
  const slots = indexedArticles(index).map((a) => a.slot);
  const inOrder = slots.every((slot, i) => slot === i) && decodePassages(readFileSync(path.join(gen, 'passages.bin'))).length === slots.length;
  if (format === 2 && !inOrder) throw new Error('format 2 had no passage segments: rewrite a freshly built index');
  let passages: Manifest['passages'];
  if (!inOrder) {
    // Format 3 listed every text passages.bin holds, removed articles' too.
    const base = decodePassages(readFileSync(path.join(gen, 'passages.bin'))).map((_, i) => `removed-${i}`);
    const delta: string[] = [];
    slots.forEach((slot, i) => (slot >= DELTA_SLOT ? (delta[slot - DELTA_SLOT] = articles[i]!.id) : (base[slot] = articles[i]!.id)));
    passages = { base, delta };
  }
  const { 'articles.bin': _a, 'sources.bin': _b, ...older } = files!;
  for (const f of ['articles.bin', 'sources.bin']) rmSync(path.join(gen, f));
  writeFileSync(path.join(gen, 'manifest.json'), JSON.stringify({ ...manifest, format, articles, files: older, ...(passages ? { passages } : {}) }));
}
