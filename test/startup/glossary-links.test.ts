// The built CLI carries the glossary's stem links computed at build time; running
// from source computes them on first use. Searches that lean on the glossary
// (English words for French articles) must rank alike either way.
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { runCli, scratchCorpus } from '../support/cli.js';

const QUERIES = ['jobs Inetum', 'cybersecurity training', 'investment data centre', 'employees offshoring', 'startups funding Morocco', 'artificial intelligence chief executive', 'set up United States'];

describe('glossary links built into the CLI', () => {
  it('give the same search results as the links computed from source', async () => {
    const s = scratchCorpus();
    const engine = await Akhbar.open(loadSettings({ CORPUS_DIR: s.corpus, INDEX_DIR: s.index, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' }));
    for (const query of QUERIES) {
      const r = runCli(['search', '--json', query, '-k', '5', '--corpus', s.corpus, '--index', s.index]);
      expect(r.code, r.stderr).toBe(0);
      const fromCli = r.json().results.map((h: { chunkId: number; score: number }) => [h.chunkId, h.score.toFixed(6)]);
      const inProcess = (await engine.search(query, 5)).map((h) => [h.chunk.id, h.score.toFixed(6)]);
      expect(fromCli, query).toEqual(inProcess);
    }
    await engine.close();
  });
});
