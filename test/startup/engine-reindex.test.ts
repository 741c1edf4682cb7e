// A running engine (the bot) re-indexes from its live store's stamps, as one-shot
// commands do from the manifest: files that kept their size and modification time
// are not read again, even on the first re-index after start.
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { runCli, scratchCorpus } from '../support/cli.js';

describe('re-indexing a running engine', () => {
  const s = scratchCorpus();
  const settings = loadSettings({ CORPUS_DIR: s.corpus, INDEX_DIR: s.index, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' });
  afterAll(() => rmSync(s.dir, { recursive: true, force: true }));

  it('reads only the files whose stamp moved', async () => {
    const file = path.join(s.corpus, '003_acf14d9d752907f9.txt');
    // Whole seconds, so that putting the time back below restores it exactly.
    const mtime = new Date('2026-01-02T03:04:05Z');
    utimesSync(file, mtime, mtime);
    // Built by another process: this one has read no corpus file yet, as a bot at start.
    expect(runCli(['index', '--corpus', s.corpus, '--index', s.index]).code).toBe(0);
    const engine = await Akhbar.open(settings);
    const original = readFileSync(file, 'utf8');
    // Same size and modification time, other bytes: only a read of the file could tell.
    writeFileSync(file, original.replace('Inetum', 'Itenum'));
    utimesSync(file, mtime, mtime);
    expect(await engine.reindex()).toMatchObject({ articles: 5, added: 0, updated: 0, removed: 0 });

    utimesSync(file, mtime, new Date(mtime.getTime() + 5_000));
    expect(await engine.reindex()).toMatchObject({ articles: 5, updated: 1 });
    expect((await engine.getArticle('003_acf14d9d752907f9'))?.text).toContain('Itenum');
    await engine.close();
  });
});
