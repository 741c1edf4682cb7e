// The transformers.js embedder run for real, offline, on a tiny model the test
// writes itself: load from EMBEDDINGS_MODEL_PATH, tokenize, run the ONNX graph,
// mean-pool, normalise, and the E5 prefixes on queries and passages.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { createEmbedder, EmbedderError } from '../../src/embeddings/index.js';
import { runCli, scratchCorpus } from '../support/cli.js';
import { expectedEmbedding, TINY_DIMENSION, writeTinyModel } from '../support/tiny-model.js';

const root = mkdtempSync(path.join(tmpdir(), 'akhbar-models-'));
const env = (model: string) => ({
  EMBEDDINGS_PROVIDER: 'transformers',
  EMBEDDINGS_MODEL: model,
  EMBEDDINGS_MODEL_PATH: root,
  EMBEDDINGS_CACHE_DIR: path.join(root, 'cache'),
});
const embedder = (model: string) => createEmbedder(loadSettings(env(model)));

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
}

beforeAll(() => {
  writeTinyModel(root, 'test/tiny-e5');
  writeTinyModel(root, 'test/tiny');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the transformers embedder on a local model', () => {
  it('embeds an E5 query as the normalised mean of its tokens, "query: " first', async () => {
    const { embeddings, info } = await embedder('test/tiny-e5');
    expect(info).toEqual({ provider: 'transformers', model: 'test/tiny-e5' });
    expectClose(await embeddings.embedQuery('Maroc emplois'), expectedEmbedding(['query', ':', 'maroc', 'emplois']));
  });

  it('embeds passages with "passage: ", pooling only real tokens of a padded batch, across batches', async () => {
    const { embeddings } = await embedder('test/tiny-e5');
    const texts = ['Maroc', 'Inetum\nemplois Capgemini maroc', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? 'rabat data centre' : 'data'))];
    const vectors = await embeddings.embedDocuments(texts);
    expect(vectors).toHaveLength(texts.length);
    expectClose(vectors[0]!, expectedEmbedding(['passage', ':', 'maroc']));
    expectClose(vectors[1]!, expectedEmbedding(['passage', ':', 'inetum', 'emplois', 'capgemini', 'maroc']));
    expectClose(vectors[41]!, expectedEmbedding(['passage', ':', 'rabat', 'data', 'centre']));
  });

  it('adds no prefix for models outside the E5 family', async () => {
    const { embeddings } = await embedder('test/tiny');
    const expected = expectedEmbedding(['inetum', 'rabat']);
    expectClose(await embeddings.embedQuery('Inetum Rabat'), expected);
    expectClose((await embeddings.embedDocuments(['Inetum Rabat']))[0]!, expected);
  });

  it('names the missing model folder and the fix', async () => {
    const failure = embedder('test/absent');
    await expect(failure).rejects.toBeInstanceOf(EmbedderError);
    await expect(failure).rejects.toThrow(`Could not load the embedding model "test/absent" from ${path.join(root, 'test/absent')} (missing)`);
    await expect(failure).rejects.toThrow(/EMBEDDINGS_MODEL_PATH\/test\/absent/);
  });

  it('builds the index and searches it through the CLI', () => {
    const s = scratchCorpus();
    // The first search of an empty index folder builds the index: one process loads the model once.
    const search = runCli(['search', 'Inetum emplois', '--json', '--corpus', s.corpus, '--index', s.index], env('test/tiny-e5'));
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/Inetum/);
    const manifest = JSON.parse(readFileSync(path.join(s.index, readFileSync(path.join(s.index, 'CURRENT'), 'utf8'), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ embedder: { provider: 'transformers', model: 'test/tiny-e5', dimension: TINY_DIMENSION } });
    expect(manifest.articleCount).toBe(5);
  }, 120_000); // loading onnxruntime in a fresh process is slow on a loaded machine; not a figure under test
});
