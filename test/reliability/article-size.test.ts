// A corpus file far larger than any article (a dump, a log dropped by mistake)
// is skipped with a line naming the limit, instead of holding the process for
// seconds while it is parsed.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCliAsync, scratchCorpus } from '../support/cli.js';

it('skips a file over MAX_ARTICLE_BYTES with a clear warning and indexes the rest', async () => {
  const s = scratchCorpus();
  const paragraph = 'Le Maroc accélère sa transformation numérique avec de nouveaux centres de données. ';
  writeFileSync(path.join(s.corpus, 'dump.md'), `---\ntitle: Dump\n---\n\n${paragraph.repeat(20_000)}\n`);
  const r = await runCliAsync(['index', '--json', '--corpus', s.corpus, '--index', s.index], { MAX_ARTICLE_BYTES: '1000000' });
  expect(r.code, r.stderr).toBe(0);
  expect(r.json()).toMatchObject({ articles: 5 });
  expect(r.stderr).toMatch(/^warning: dump\.md: skipped \(\d+ bytes; the limit is MAX_ARTICLE_BYTES=1000000\)$/m);
  const sources = await runCliAsync(['sources', '--json', '--corpus', s.corpus, '--index', s.index]);
  expect(sources.json().articles.map((a: { title: string }) => a.title)).not.toContain('Dump');
});

it('`akhbar add` refuses a file over MAX_ARTICLE_BYTES in one line, and leaves the corpus as it was', async () => {
  const s = scratchCorpus();
  const dump = path.join(s.dir, 'dump.md');
  writeFileSync(dump, `---\ntitle: Dump\n---\n\n${'Le Maroc accélère sa transformation numérique. '.repeat(1_000)}\n`);
  const before = readdirSync(s.corpus);
  const r = await runCliAsync(['add', dump, '--corpus', s.corpus, '--index', s.index], { MAX_ARTICLE_BYTES: '10000' });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^Not added: .*dump\.md: too long to index \(\d+ bytes; the limit is MAX_ARTICLE_BYTES=10000\)\n$/);
  expect(readdirSync(s.corpus)).toEqual(before);
});
