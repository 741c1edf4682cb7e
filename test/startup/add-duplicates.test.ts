// Adding a file recognises an article already in the corpus by its text. The index
// records each article's text key, so a fresh `akhbar add` reads no other article's
// text; an index written before the key existed still catches duplicates.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchCorpus } from '../support/cli.js';

const INETUM = '003_acf14d9d752907f9.txt';

function manifestOf(index: string): { articles: Array<{ id: string; textKey?: string }> } & Record<string, unknown> {
  const generation = readFileSync(path.join(index, 'CURRENT'), 'utf8').trim();
  return JSON.parse(readFileSync(path.join(index, generation, 'manifest.json'), 'utf8'));
}

/** The Inetum article again, under another name, with other spacing and case. */
function respaced(corpus: string, dir: string): string {
  const copy = path.join(dir, 'inetum-copie.txt');
  writeFileSync(copy, readFileSync(path.join(corpus, INETUM), 'utf8').replace(/ /g, '  ').toUpperCase());
  return copy;
}

describe('adding an article already in the corpus', () => {
  it('is recognised from the key the index records', () => {
    const s = scratchCorpus();
    const dirs = ['--corpus', s.corpus, '--index', s.index];
    expect(runCli(['index', ...dirs]).code).toBe(0);
    const keys = manifestOf(s.index).articles.map((a) => a.textKey);
    expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k ?? ''))).toBe(true);
    const r = runCli(['add', '--json', respaced(s.corpus, s.dir), ...dirs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().items[0]).toMatchObject({ status: 'duplicate', file: INETUM });
    // The key stays out of what the CLI shows of an article.
    expect(Object.keys(runCli(['sources', '--json', ...dirs]).json().articles[0])).not.toContain('textKey');
  });

  it('is recognised from the text when the index has no keys (written by an earlier version)', () => {
    const s = scratchCorpus();
    const dirs = ['--corpus', s.corpus, '--index', s.index];
    expect(runCli(['index', ...dirs]).code).toBe(0);
    const generation = readFileSync(path.join(s.index, 'CURRENT'), 'utf8').trim();
    const manifest = manifestOf(s.index);
    for (const a of manifest.articles) delete a.textKey;
    writeFileSync(path.join(s.index, generation, 'manifest.json'), JSON.stringify(manifest));
    const r = runCli(['add', '--json', respaced(s.corpus, s.dir), ...dirs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().items[0]).toMatchObject({ status: 'duplicate', file: INETUM });
  });
});
