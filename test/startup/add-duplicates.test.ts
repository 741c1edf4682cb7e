// Adding a file recognises an article already in the corpus by its text. The index
// records each article's text key, so a fresh `akhbar add` reads no other article's
// text; an index written before the key existed still catches duplicates.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { textKey } from '../../src/ingest/files.js';
import { runCli, scratchCorpus } from '../support/cli.js';
import { indexedArticles, rewriteAsFormat } from '../support/index-files.js';

const INETUM = '003_acf14d9d752907f9.txt';

/** The Inetum article again, under another name, with other spacing and case. */
function respaced(corpus: string, dir: string): string {
  const copy = path.join(dir, 'inetum-copie.txt');
  writeFileSync(copy, readFileSync(path.join(corpus, INETUM), 'utf8').replace(/ /g, '  ').toUpperCase());
  return copy;
}

describe('adding an article already in the corpus', () => {
  it('keys a text by the SHA-256 of its normalised form alone, as the keys indexes already hold were made', () => {
    const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(textKey('  L’ÉTAT\n investit   3 Mds ')).toBe(sha256('l’état investit 3 mds'));
    expect(textKey('ﬁn de l’année')).toBe(sha256('fin de l’année'));
  });

  it('is recognised from the key the index records', () => {
    const s = scratchCorpus();
    const dirs = ['--corpus', s.corpus, '--index', s.index];
    expect(runCli(['index', ...dirs]).code).toBe(0);
    const keys = indexedArticles(s.index).map((a) => a.textKey);
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
    rewriteAsFormat(s.index, 3, (a) => delete a.textKey);
    const r = runCli(['add', '--json', respaced(s.corpus, s.dir), ...dirs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().items[0]).toMatchObject({ status: 'duplicate', file: INETUM });
  });
});
