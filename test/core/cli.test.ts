import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, scratchCorpus } from '../support/cli.js';

const INETUM_FR = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";
const INETUM_EN = 'How many jobs will Inetum create by 2027?';

describe('akhbar CLI on the seed corpus', () => {
  const scratch = scratchCorpus();
  const dirs = ['--corpus', scratch.corpus, '--index', scratch.index];

  beforeAll(() => {
    const r = runCli(['index', '--json', ...dirs]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('indexes the corpus and reports the contract fields', () => {
    const r = runCli(['index', '--json', ...dirs]);
    expect(r.code).toBe(0);
    const report = r.json();
    expect(report).toMatchObject({ articles: 5, added: 0, updated: 0, removed: 0 });
    expect(report.chunks).toBeGreaterThan(5);
    expect(typeof report.ms).toBe('number');
    expect(report.embedder).toMatch(/^local:/);
  });

  it.each([INETUM_FR, INETUM_EN])('answers %s with 1 500 and a citation of the Inetum article', (question) => {
    const r = runCli(['ask', '--json', question, ...dirs]);
    expect(r.code, r.stderr).toBe(0);
    const answer = r.json();
    expect(answer.refused).toBe(false);
    expect(answer.answer).toMatch(/1[ \u00a0\u202f,.]?500/);
    expect(answer.language).toBe(question === INETUM_FR ? 'fr' : 'en');
    expect(answer.citations[0]).toMatchObject({ n: 1, articleId: expect.stringMatching(/^003_/), title: expect.stringMatching(/Inetum/) });
    expect(answer.citations[0].quote).toMatch(/1 500 emplois/);
    expect(answer.answer).toContain('[1]');
    // The quote stays verbatim; an English reader is told it is French.
    expect(/\(Quoted verbatim, in French\.\)$/.test(answer.answer)).toBe(question === INETUM_EN);
    expect(answer.timings.totalMs).toBeGreaterThan(0);
  });

  it('prints a readable answer followed by numbered sources', () => {
    const r = runCli(['ask', INETUM_FR, ...dirs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 500 emplois[\s\S]*\[1\][\s\S]*Sources:\n {2}\[1\] .*Inetum/);
  });

  it('finds a French article from an English question', () => {
    const r = runCli(['search', '--json', '-k', '3', 'Who is the CEO of Thales Holding Maroc?', ...dirs]);
    const { query, results } = r.json();
    expect(query).toMatch(/Thales/);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ rank: 1, articleId: expect.stringMatching(/^004_/), lang: 'fr' });
    expect(results[0].text).toContain('Hicham Alj');
    for (const field of ['score', 'title', 'source', 'url', 'date', 'chunkId']) expect(results[0]).toHaveProperty(field);
  });

  it('refuses in the question’s language when the articles do not say', () => {
    const fr = runCli(['ask', '--json', "Quel est le salaire moyen d'un ingénieur recruté par Inetum ?", ...dirs]).json();
    // Inetum is in the articles, its salaries are not: the refusal says so, then what they say about it.
    expect(fr).toMatchObject({ refused: true, language: 'fr' });
    expect(fr.answer).toMatch(/^Les articles ne donnent pas cette information/);
    expect(fr.citations.map((c: { articleId: string }) => c.articleId)).toEqual([expect.stringMatching(/^003_/)]);
    const en = runCli(['ask', '--json', 'What is the population of Canada?', ...dirs]).json();
    expect(en).toMatchObject({ refused: true, language: 'en' });
    expect(en.answer).toMatch(/could not find/);
  });

  it('answers a batch in one process, one JSON line per input', () => {
    const batch = path.join(scratch.dir, 'batch.jsonl');
    writeFileSync(batch, [{ id: 'a', question: INETUM_FR }, { id: 'b', question: 'Since when has Inetum been present in Morocco?' }, { id: 'c', question: '  ' }].map((l) => JSON.stringify(l)).join('\n'));
    const r = runCli(['ask', '--batch', batch, ...dirs]);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[1].answer).toContain('2003');
    expect(lines[2].error).toMatch(/empty/);
  });

  it('rejects an empty question with exit code 2', () => {
    const r = runCli(['ask', '', ...dirs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/question is empty/);
  });

  it('on a Node.js older than 22.12, says which version it needs instead of failing inside', () => {
    const r = runCli(['ask', 'Combien d’emplois Inetum va-t-il créer ?', ...dirs], { NODE_OPTIONS: `--import ${path.join(ROOT, 'test/support/older-node.mjs')}` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('akhbar needs Node.js 22.12 or later; this is v20.11.1. "Run it" in the README says how to get it.');
  });

  it('truncates a 20,000-character question with a notice and still answers', () => {
    const long = `${INETUM_FR} ${'blabla '.repeat(2900)}`;
    const r = runCli(['ask', '--json', long, ...dirs]);
    expect(r.code).toBe(0);
    const answer = r.json();
    expect(answer.notices.join(' ')).toMatch(/trop longue|too long/);
    expect(answer.question.length).toBeLessThan(long.length);
  });

  it('lists the indexed articles', () => {
    const { articles } = runCli(['sources', '--json', ...dirs]).json();
    expect(articles).toHaveLength(5);
    expect(articles.map((a: { source: string }) => a.source)).toContain('Journaleco');
  });
});

describe('akhbar CLI with bad input', () => {
  it('names a missing corpus folder', () => {
    const r = runCli(['index', '--corpus', '/nonexistent/akhbar', '--index', '/tmp/akhbar-none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Corpus folder not found: \/nonexistent\/akhbar/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('indexes the other files when one is binary, and names it', () => {
    const s = scratchCorpus();
    writeFileSync(path.join(s.corpus, 'photo.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    const r = runCli(['index', '--json', '--corpus', s.corpus, '--index', s.index]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/photo\.txt: this is a binary file/);
    expect(r.json().articles).toBe(5);
  });

  it('says so when the corpus is empty', () => {
    const s = scratchCorpus();
    for (const f of readdirSync(s.corpus)) writeFileSync(path.join(s.corpus, f), '');
    const r = runCli(['ask', '--json', INETUM_FR, '--corpus', s.corpus, '--index', s.index]);
    expect(r.stderr).toMatch(/the file is empty/);
    expect(r.json()).toMatchObject({ refused: true });
  });

  it('detects a damaged index and repairs it with --rebuild', () => {
    const s = scratchCorpus();
    const dirs = ['--corpus', s.corpus, '--index', s.index];
    expect(runCli(['index', ...dirs]).code).toBe(0);
    const gen = readFileSync(path.join(s.index, 'CURRENT'), 'utf8').trim();
    writeFileSync(path.join(s.index, gen, 'chunks.bin'), '[[0,0,0');
    const broken = runCli(['ask', INETUM_FR, ...dirs]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/damaged or incomplete.*--rebuild/);
    expect(runCli(['index', '--rebuild', ...dirs]).code).toBe(0);
    expect(runCli(['ask', '--json', INETUM_FR, ...dirs]).json().refused).toBe(false);
  });

  it('rebuilds, with one line saying why, an index built by another version of the text analysis', () => {
    const s = scratchCorpus();
    const dirs = ['--corpus', s.corpus, '--index', s.index];
    const analyzedBy = (other: string) => {
      const manifest = path.join(s.index, readFileSync(path.join(s.index, 'CURRENT'), 'utf8').trim(), 'manifest.json');
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/"analyzer":"[0-9a-f]+"/, `"analyzer":"${other}"`));
    };
    expect(runCli(['index', ...dirs]).code).toBe(0);
    analyzedBy('0123456789abcdef');
    const asked = runCli(['ask', '--json', INETUM_FR, ...dirs]);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toMatch(/another version of the text analysis or vector graph: it was rebuilt/);
    expect(asked.json().refused).toBe(false);
    analyzedBy('fedcba9876543210');
    const indexed = runCli(['index', '--json', ...dirs]);
    expect(indexed.stderr).toMatch(/another version of the text analysis or vector graph: it was rebuilt/);
    expect(indexed.json()).toMatchObject({ added: 5, removed: 0 });
    expect(runCli(['index', '--json', ...dirs]).json()).toMatchObject({ added: 0, updated: 0 });
  });

  it('refuses to query an index built by another embedder', () => {
    const s = scratchCorpus();
    const dirs = ['--corpus', s.corpus, '--index', s.index];
    expect(runCli(['index', ...dirs]).code).toBe(0);
    const r = runCli(['ask', INETUM_FR, ...dirs], { EMBEDDINGS_DIMENSIONS: '256' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was built with local:akhbar-hash-v1-384.*--rebuild/);
  });
});

describe('incremental indexing', () => {
  it('re-embeds only the changed article and follows additions and removals', () => {
    const s = scratchCorpus();
    const dirs = ['--corpus', s.corpus, '--index', s.index];
    const first = runCli(['index', '--json', ...dirs]).json();
    expect(first.added).toBe(5);
    const thales = readdirSync(s.corpus).find((f) => f.startsWith('004'))!;
    appendFileSync(path.join(s.corpus, thales), '\nLe centre accueillera aussi un laboratoire de cryptographie post-quantique.');
    copyFileSync(path.join(ROOT, 'eval/articles-dev/013-huawei-veut-lancer-5g-maroc.md'), path.join(s.corpus, '013-huawei.md'));
    const second = runCli(['index', '--json', ...dirs]).json();
    expect(second).toMatchObject({ articles: 6, added: 1, updated: 1, removed: 0 });
    const answer = runCli(['ask', '--json', 'Quel laboratoire le centre de Thales accueillera-t-il ?', ...dirs]).json();
    expect(answer.answer).toMatch(/post-quantique/);
    mkdirSync(path.join(s.dir, 'removed'));
    copyFileSync(path.join(s.corpus, thales), path.join(s.dir, 'removed', thales));
    writeFileSync(path.join(s.corpus, thales), '');
    const third = runCli(['index', '--json', ...dirs]);
    expect(third.json()).toMatchObject({ articles: 5, removed: 1 });
  });
});
