// Index files damaged under a running engine or before start: the engine keeps
// answering from memory, a new process refuses with a clear message (never a
// crash, never garbage), and a rebuild repairs the files.
import { copyFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { IndexCorruptError } from '../../src/index/index.js';
import { ROOT, runCli, scratchCorpus } from '../support/cli.js';

const INETUM_FR = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";
const FILES = ['vectors.hnsw', 'keyword.bin', 'passages.bin', 'chunks.bin', 'articles.bin'];

function liveGeneration(index: string): string {
  return path.join(index, readFileSync(path.join(index, 'CURRENT'), 'utf8').trim());
}

function expectInetumAnswer(answer: { refused: boolean; answer: string; citations: Array<{ articleId: string }> }) {
  expect(answer.refused).toBe(false);
  expect(answer.answer).toMatch(/1[ \u00a0\u202f,.]?500/);
  expect(answer.citations[0]!.articleId).toMatch(/^003_/);
}

describe('index files damaged while the engine runs', () => {
  it('keeps answering from memory, refuses new processes clearly, and a rebuild repairs the files', async () => {
    const s = scratchCorpus();
    const engine = await Akhbar.open(loadSettings({ CORPUS_DIR: s.corpus, INDEX_DIR: s.index, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' }));
    expectInetumAnswer(await engine.ask(INETUM_FR));

    const gen = liveGeneration(s.index);
    truncateSync(path.join(gen, 'vectors.hnsw'), 100);
    truncateSync(path.join(gen, 'keyword.bin'), 0);
    rmSync(path.join(gen, 'passages.bin'));
    expectInetumAnswer(await engine.ask(INETUM_FR));
    expect((await engine.search('Thales Holding Maroc', 3))[0]!.article.id).toMatch(/^004_/);

    const cold = runCli(['ask', INETUM_FR, '--corpus', s.corpus, '--index', s.index]);
    expect(cold.code).toBe(1);
    expect(cold.stderr).toMatch(/damaged or incomplete.*--rebuild/);
    expect(cold.stdout).toBe('');

    // An incremental update cannot start from damaged files: it says so and the engine keeps serving.
    await expect(engine.reindex()).rejects.toBeInstanceOf(IndexCorruptError);
    expectInetumAnswer(await engine.ask(INETUM_FR));

    const report = await engine.reindex({ rebuild: true });
    expect(report.articles).toBe(5);
    expectInetumAnswer(await engine.ask(INETUM_FR));
    const repaired = runCli(['ask', '--json', INETUM_FR, '--corpus', s.corpus, '--index', s.index]);
    expect(repaired.code, repaired.stderr).toBe(0);
    expectInetumAnswer(repaired.json());
  });
});

describe('a corrupt or foreign index at start', () => {
  const s = scratchCorpus();
  const dirs = ['--corpus', s.corpus, '--index', s.index];
  const built = runCli(['index', ...dirs]);
  const gen = liveGeneration(s.index);
  const backup = path.join(s.dir, 'backup');
  runCli(['index', '--index', backup, '--corpus', s.corpus]);
  const backupGen = liveGeneration(backup);

  function restore() {
    for (const f of [...FILES, 'manifest.json']) copyFileSync(path.join(backupGen, f), path.join(gen, f));
  }

  function expectRefusal(detail: RegExp) {
    const r = runCli(['ask', '--json', INETUM_FR, ...dirs]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/The index in .* (is damaged or incomplete|was written by another version).*akhbar index --rebuild/);
    expect(r.stderr).toMatch(detail);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+|Segmentation|Unexpected error/);
    restore();
  }

  it.each(FILES)('refuses %s with bytes altered in place (hnswlib would crash on an altered graph)', (file) => {
    expect(built.code).toBe(0);
    const data = readFileSync(path.join(gen, file));
    for (let i = Math.floor(data.length / 3); i < data.length - 4; i += 101) data[i] = data[i]! ^ 0x5a;
    writeFileSync(path.join(gen, file), data);
    expectRefusal(new RegExp(`${file.replace('.', '\\.')}: checksum mismatch`));
  });

  it.each(FILES)('refuses %s cut short or deleted', (file) => {
    truncateSync(path.join(gen, file), 10);
    expectRefusal(/10 bytes, expected \d+/);
    rmSync(path.join(gen, file));
    expectRefusal(/ENOENT/);
  });

  it('refuses a foreign file put in place of the passages, and a manifest that is not JSON', () => {
    copyFileSync(path.join(ROOT, 'package.json'), path.join(gen, 'passages.bin'));
    expectRefusal(/passages\.bin/);
    writeFileSync(path.join(gen, 'manifest.json'), 'not json at all');
    expectRefusal(/manifest\.json/);
  });

  it('refuses an index written by another version and rebuilds it on request', () => {
    const manifest = JSON.parse(readFileSync(path.join(gen, 'manifest.json'), 'utf8'));
    writeFileSync(path.join(gen, 'manifest.json'), JSON.stringify({ ...manifest, format: 1 }));
    const r = runCli(['ask', INETUM_FR, ...dirs]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/written by another version of akhbar \(format 1; this version reads format \d+\)/);
    expect(runCli(['index', '--rebuild', ...dirs]).code).toBe(0);
    const after = runCli(['ask', '--json', INETUM_FR, ...dirs]);
    expect(after.code, after.stderr).toBe(0);
    expectInetumAnswer(after.json());
  });
});
