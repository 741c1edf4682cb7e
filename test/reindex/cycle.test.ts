import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchCorpus } from '../support/cli.js';
import { DEV_ARTICLES } from '../support/articles.js';
import { chunkIdsByArticle } from '../support/snapshot.js';

const questions = readFileSync(path.join(DEV_ARTICLES, '../dev-articles.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { article: string; question: string; lang: string });

describe('add, change and delete cycles', () => {
  const scratch = scratchCorpus();
  const dirs = ['--corpus', scratch.corpus, '--index', scratch.index];
  const NEW = '021-outsourcing-65-millions-dirhams-5050-emplois.md';
  const NEW_ID = NEW.replace(/\.md$/, '');
  const question = questions.find((q) => q.article === NEW)!;

  it('adds a file: only the new article gets chunk ids, and its question is answered from it', () => {
    expect(runCli(['index', ...dirs]).code).toBe(0);
    const before = chunkIdsByArticle(scratch.index);
    const asked = runCli(['ask', '--json', question.question, ...dirs]).json();
    expect(asked.citations.map((c: { articleId: string }) => c.articleId)).not.toContain(NEW_ID);

    const r = runCli(['add', '--json', path.join(DEV_ARTICLES, NEW), ...dirs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().items[0]).toMatchObject({ status: 'added', file: NEW, chunks: expect.any(Number) });
    expect(r.json().index).toMatchObject({ added: 1, updated: 0, removed: 0 });
    const after = chunkIdsByArticle(scratch.index);
    for (const [id, ids] of before) expect(after.get(id)).toEqual(ids);
    const fresh = after.get(NEW_ID)!;
    expect(fresh.length).toBe(r.json().items[0].chunks);
    expect(fresh.some((id) => [...before.values()].flat().includes(id))).toBe(false);

    const answer = runCli(['ask', '--json', question.question, ...dirs]).json();
    expect(answer.refused).toBe(false);
    expect(answer.citations[0].articleId).toBe(NEW_ID);
  });

  it('changes one article: only its chunk ids change', () => {
    const before = chunkIdsByArticle(scratch.index);
    const seed = [...before.keys()].find((id) => id.startsWith('002_'))!;
    appendFileSync(path.join(scratch.corpus, `${seed}.txt`), '\n\nMise à jour : le programme sera étendu à Oujda en 2026.\n');
    const r = runCli(['index', '--json', ...dirs]);
    expect(r.json()).toMatchObject({ added: 0, updated: 1, removed: 0 });
    const after = chunkIdsByArticle(scratch.index);
    for (const [id, ids] of before) {
      if (id === seed) expect(after.get(id)!.some((c) => ids.includes(c))).toBe(false);
      else expect(after.get(id)).toEqual(ids);
    }
    const hits = runCli(['search', '--json', '-k', '1', 'programme étendu à Oujda en 2026', ...dirs]).json().results;
    expect(hits[0]).toMatchObject({ articleId: seed });
    expect(hits[0].text).toContain('Oujda');
  });

  it('deletes an article: its chunks leave the index, the others stay as they were', () => {
    const before = chunkIdsByArticle(scratch.index);
    rmSync(path.join(scratch.corpus, NEW));
    const r = runCli(['index', '--json', ...dirs]);
    expect(r.json()).toMatchObject({ added: 0, updated: 0, removed: 1, articles: before.size - 1 });
    const after = chunkIdsByArticle(scratch.index);
    expect(after.has(NEW_ID)).toBe(false);
    for (const [id, ids] of after) expect(ids).toEqual(before.get(id));
    const answer = runCli(['ask', '--json', question.question, ...dirs]).json();
    expect(answer.citations.map((c: { articleId: string }) => c.articleId)).not.toContain(NEW_ID);
  });

  it('adding the same file again, even under another name, is recognised', () => {
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.dir, 'copy.md'));
    expect(runCli(['add', path.join(DEV_ARTICLES, NEW), ...dirs]).code).toBe(0);
    const again = runCli(['add', '--json', path.join(scratch.dir, 'copy.md'), ...dirs]);
    expect(again.json().items[0]).toMatchObject({ status: 'duplicate', file: NEW });
    expect(again.json().index).toBeNull();
  });
});
