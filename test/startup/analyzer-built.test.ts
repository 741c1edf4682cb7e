// The built CLI carries what the analyzer derives from its word lists, computed at
// build time (the glossary's stem links, the analyzer's fingerprint), and a copy of
// the stemming library trimmed to French and English; running from source computes
// them on first use with the whole library. Searches that lean on the glossary
// (English words for French articles) must rank alike either way, and an index built
// one way must be used as it is by the other, not rebuilt.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { ANALYZER_REBUILD_NOTE } from '../../src/index/index.js';
import { ANALYZER_FINGERPRINT } from '../../src/text/analyze.js';
import { runCli, scratchCorpus } from '../support/cli.js';

const QUERIES = ['jobs Inetum', 'cybersecurity training', 'investment data centre', 'employees offshoring', 'startups funding Morocco', 'artificial intelligence chief executive', 'set up United States'];

describe('the analyzer built into the CLI', () => {
  it('give the same search results as the links computed from source', async () => {
    const s = scratchCorpus();
    const engine = await Akhbar.open(loadSettings({ CORPUS_DIR: s.corpus, INDEX_DIR: s.index, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' }));
    for (const query of QUERIES) {
      const r = runCli(['search', '--json', query, '-k', '5', '--corpus', s.corpus, '--index', s.index]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain(ANALYZER_REBUILD_NOTE);
      const fromCli = r.json().results.map((h: { chunkId: number; score: number }) => [h.chunkId, h.score.toFixed(6)]);
      const inProcess = (await engine.search(query, 5)).map((h) => [h.chunk.id, h.score.toFixed(6)]);
      expect(fromCli, query).toEqual(inProcess);
    }
    await engine.close();
    const live = readFileSync(path.join(s.index, 'CURRENT'), 'utf8').trim();
    const manifest = JSON.parse(readFileSync(path.join(s.index, live, 'manifest.json'), 'utf8'));
    expect(manifest.embedder.analyzer).toBe(ANALYZER_FINGERPRINT);
  });
});
