import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { watchCorpus } from '../../src/core/watch.js';
import { createLogger } from '../../src/logger.js';
import type { IndexReport } from '../../src/types.js';
import { DEV_ARTICLES } from '../support/articles.js';
import { scratchCorpus } from '../support/cli.js';

describe('corpus watcher', () => {
  it('re-indexes a burst of changes and logs what changed', async () => {
    const scratch = scratchCorpus();
    const settings = loadSettings({ CORPUS_DIR: scratch.corpus, INDEX_DIR: scratch.index, EMBEDDINGS_PROVIDER: 'local', CORPUS_WATCH_DEBOUNCE_MS: '300' });
    const engine = await Akhbar.open(settings);
    const lines: string[] = [];
    const reports: IndexReport[] = [];
    const watcher = watchCorpus(engine, createLogger('info', (l) => lines.push(l)), (r) => reports.push(r));
    await watcher.ready;
    // Whether the two files' events share one quiet spell depends on the machine's load: either
    // way every event is logged, and the re-indexes between them add each article once.
    const logged = () => lines.filter((l) => /corpus changed/.test(l)).join('\n');
    const total = (key: 'added' | 'removed') => reports.reduce((n, r) => n + r[key], 0);
    try {
      const files = ['013-huawei-veut-lancer-5g-maroc.md', '031-huawei-regional-logistics-hub-tanger-med.md'];
      for (const f of files) copyFileSync(path.join(DEV_ARTICLES, f), path.join(scratch.corpus, f));
      await expect.poll(logged, { timeout: 20_000 }).toMatch(/added 013-huawei/);
      await expect.poll(logged, { timeout: 20_000 }).toMatch(/added 031-huawei/);
      expect(total('added')).toBe(2);
      expect(reports.at(-1)).toMatchObject({ articles: 7 });
      expect(logged()).toMatch(/\): 2 added, 0 updated, 0 removed/);
      expect((await engine.search('Huawei Tanger Med logistics hub', 1))[0]!.article.id).toMatch(/^031-/);

      rmSync(path.join(scratch.corpus, files[0]!));
      await expect.poll(() => total('removed'), { timeout: 20_000 }).toBe(1);
      expect(reports.at(-1)).toMatchObject({ articles: 6 });
      expect(logged()).toMatch(/removed 013-huawei.*0 added, 0 updated, 1 removed/);
    } finally {
      await watcher.close();
    }
  });
  it('follows no symbolic link: two looping ones and one leading out of the corpus are skipped, and changes still index', async () => {
    const scratch = scratchCorpus();
    // A loop (sub/up → the corpus itself, down → sub) and a link to a file outside the corpus.
    mkdirSync(path.join(scratch.corpus, 'sub'));
    symlinkSync('..', path.join(scratch.corpus, 'sub', 'up'));
    symlinkSync('sub', path.join(scratch.corpus, 'down'));
    const outside = path.join(scratch.dir, 'private.md');
    writeFileSync(outside, '---\ntitle: Private memo\n---\n\nThe vault combination is 271828, known to the board only and never to be published.\n');
    symlinkSync(outside, path.join(scratch.corpus, 'memo.md'));
    const settings = loadSettings({ CORPUS_DIR: scratch.corpus, INDEX_DIR: scratch.index, EMBEDDINGS_PROVIDER: 'local', CORPUS_WATCH_DEBOUNCE_MS: '300' });
    const engine = await Akhbar.open(settings);
    expect((await engine.stats()).articles).toBe(5);
    const lines: string[] = [];
    let indexed!: (report: IndexReport) => void;
    const next = new Promise<IndexReport>((resolve) => (indexed = resolve));
    const watcher = watchCorpus(engine, createLogger('info', (l) => lines.push(l)), (r) => indexed(r));
    await watcher.ready;
    try {
      copyFileSync(path.join(DEV_ARTICLES, '013-huawei-veut-lancer-5g-maroc.md'), path.join(scratch.corpus, 'sub', '013-huawei.md'));
      expect(await next).toMatchObject({ added: 1, articles: 6 });
      expect(lines.filter((l) => / ERROR /.test(l))).toEqual([]);
      expect(lines.join('')).toMatch(/memo\.md: skipped \(a symbolic link/);
      expect((await engine.search('vault combination board', 5)).map((h) => h.article.title)).not.toContain('Private memo');
    } finally {
      await watcher.close();
    }
  });
});
