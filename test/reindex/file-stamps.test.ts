// A fresh `akhbar index` process trusts each corpus file's size and mtime as
// recorded in the index manifest: an unchanged file is neither read nor parsed.
// Files whose stamp moved are read and hashed; only changed bytes re-index.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchCorpus } from '../support/cli.js';
import { indexedArticles } from '../support/index-files.js';

const scratch = scratchCorpus();
const dirs = ['--corpus', scratch.corpus, '--index', scratch.index, '--json'];
const EDITED = '001_29438b4d4f2ca3d0.txt';
const TOUCHED = '002_ba2c7317b1bead2a.txt';
const corpusFile = (name: string) => path.join(scratch.corpus, name);
/** Whole seconds, so the stamps set here survive the round trip through utimes exactly. */
const JAN_1 = new Date('2026-01-01T00:00:00Z');
const FEB_1 = new Date('2026-02-01T00:00:00Z');

const current = () => readFileSync(path.join(scratch.index, 'CURRENT'), 'utf8');
const manifestStamp = (file: string) => indexedArticles(scratch.index).find((a) => a.file === file)!.stamp!;
const index = () => {
  const run = runCli(['index', ...dirs]);
  expect(run.code, run.stderr).toBe(0);
  return run.json();
};

describe('re-indexing in a fresh process', () => {
  it('records each file size and mtime in the manifest', () => {
    for (const name of [EDITED, TOUCHED]) utimesSync(corpusFile(name), JAN_1, JAN_1);
    expect(index()).toMatchObject({ articles: 5, added: 5 });
    const size = readFileSync(corpusFile(EDITED)).length;
    expect(manifestStamp(EDITED)).toEqual({ size, mtimeMs: JAN_1.getTime() });
  });

  it('does not read a file whose size and mtime are unchanged', () => {
    // Same size and mtime, other bytes: only a scan that reads the file could notice.
    const raw = readFileSync(corpusFile(EDITED));
    const at = raw.indexOf('a', 200);
    raw[at] = 'e'.charCodeAt(0);
    writeFileSync(corpusFile(EDITED), raw);
    utimesSync(corpusFile(EDITED), JAN_1, JAN_1);
    const before = current();
    expect(index()).toMatchObject({ articles: 5, added: 0, updated: 0, removed: 0 });
    expect(current()).toBe(before);
  });

  it('reads a file whose mtime moved, and re-indexes it when its bytes changed', () => {
    utimesSync(corpusFile(EDITED), FEB_1, FEB_1);
    expect(index()).toMatchObject({ added: 0, updated: 1, removed: 0 });
    expect(manifestStamp(EDITED).mtimeMs).toBe(FEB_1.getTime());
  });

  it('keeps a touched file with the same bytes, and records its new stamp once', () => {
    utimesSync(corpusFile(TOUCHED), FEB_1, FEB_1);
    const before = current();
    expect(index()).toMatchObject({ added: 0, updated: 0, removed: 0 });
    expect(manifestStamp(TOUCHED).mtimeMs).toBe(FEB_1.getTime());
    const restamped = current();
    expect(restamped).not.toBe(before);
    expect(index()).toMatchObject({ updated: 0 });
    expect(current()).toBe(restamped);
  });
});
