// Loading trusts an index file while it keeps the size and times it was written
// with (hnswlib then reads the vectors once, not twice); `akhbar index --verify`
// reads every byte of every file.
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, scratchCorpus } from '../support/cli.js';

const QUESTION = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";

describe('index verification', () => {
  const s = scratchCorpus();
  const dirs = ['--corpus', s.corpus, '--index', s.index];
  const generation = () => path.join(s.index, readFileSync(path.join(s.index, 'CURRENT'), 'utf8').trim());
  const manifestFile = () => path.join(generation(), 'manifest.json');

  beforeEach(() => {
    expect(runCli(['index', '--rebuild', ...dirs]).code).toBe(0);
  });

  it('reports an intact index', () => {
    const r = runCli(['index', '--verify', '--json', ...dirs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ intact: true, articles: 5 });
    expect(runCli(['index', '--verify', ...dirs]).stdout).toMatch(/^The index in .* is intact: 5 articles, \d+ chunks/);
  });

  it.each(['vectors.hnsw', 'keyword.bin', 'passages.bin', 'chunks.bin'])('trusts an unchanged %s on load, and --verify still reads its bytes', (file) => {
    // A wrong checksum in the manifest, the file untouched: only a full check can tell.
    const manifest = JSON.parse(readFileSync(manifestFile(), 'utf8'));
    manifest.files[file].crc32 ^= 1;
    writeFileSync(manifestFile(), JSON.stringify(manifest));
    const ask = runCli(['ask', '--json', QUESTION, ...dirs]);
    expect(ask.code, ask.stderr).toBe(0);
    expect(ask.json().refused).toBe(false);
    const verify = runCli(['index', '--verify', ...dirs]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`${file}: checksum mismatch`);
    expect(verify.stderr).toContain('akhbar index --rebuild');
  });

  it('checks the bytes of a vector file changed in place, even with its modification time put back', () => {
    const file = path.join(generation(), 'vectors.hnsw');
    const { atime, mtime } = statSync(file);
    const data = readFileSync(file);
    for (let i = Math.floor(data.length / 3); i < data.length - 4; i += 101) data[i] = data[i]! ^ 0x5a;
    writeFileSync(file, data);
    utimesSync(file, atime, mtime);
    const ask = runCli(['ask', QUESTION, ...dirs]);
    expect(ask.code).toBe(1);
    expect(ask.stderr).toMatch(/vectors\.hnsw: checksum mismatch/);
  });

  it('refuses --verify with --rebuild, and without an index', () => {
    const both = runCli(['index', '--verify', '--rebuild', ...dirs]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/without --rebuild/);
    const none = runCli(['index', '--verify', '--corpus', s.corpus, '--index', path.join(s.dir, 'nothing')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/There is no index in .*nothing yet/);
  });
});
