// The commands a user runs most start in a fraction of a second only if they leave
// the heavy packages alone: these record what a real CLI process imports.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, scratchCorpus } from '../support/cli.js';

/** Never needed to answer from, or to check, a built embedded index with the built-in embedder. */
const HEAVY = ['discord.js', 'zod', 'undici', '@huggingface/transformers', 'pg', '@langchain/core', 'linkedom', '@mozilla/readability', 'fast-xml-parser', 'chokidar'];

describe('packages loaded by a fresh CLI process', () => {
  const scratch = scratchCorpus();
  const dirs = ['--corpus', scratch.corpus, '--index', scratch.index];
  const record = path.join(mkdtempSync(path.join(tmpdir(), 'akhbar-packages-')), 'packages.txt');

  const packagesOf = (args: string[]): string[] => {
    rmSync(record, { force: true });
    const r = runCli(args, { NODE_OPTIONS: `--import ${path.join(ROOT, 'test/support/record-packages.mjs')}`, AKHBAR_PACKAGES_FILE: record });
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(record, 'utf8').split('\n').filter(Boolean);
  };

  beforeAll(() => {
    expect(runCli(['index', ...dirs]).code).toBe(0);
  });
  afterAll(() => rmSync(scratch.dir, { recursive: true, force: true }));

  it('ask loads none of the heavy packages, nor the vector library (one question scans the vectors exactly)', () => {
    const loaded = packagesOf(['ask', 'Combien d’emplois Inetum va-t-il créer ?', ...dirs]);
    expect(loaded).not.toContain('hnswlib-node');
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('adding a Markdown file loads no fetcher, HTML or feed parser, nor LangChain, nor the vector library (the graph is linked, not rewritten)', () => {
    const file = path.join(scratch.dir, 'note.md');
    writeFileSync(file, '---\ntitle: Une note\nlang: fr\n---\nInetum ouvre un nouveau centre à Fès, avec 300 ingénieurs recrutés cette année.\n');
    const loaded = packagesOf(['add', file, ...dirs]);
    expect(loaded).not.toContain('hnswlib-node');
    expect(loaded.filter((p) => HEAVY.includes(p) || p.startsWith('@langchain/'))).toEqual([]);
  });

  it('a no-op index loads neither the heavy packages nor the vector library', () => {
    const loaded = packagesOf(['index', ...dirs]);
    expect(loaded.filter((p) => HEAVY.includes(p) || p === 'hnswlib-node')).toEqual([]);
  });
});
