import { describe, expect, it } from 'vitest';
import { isNoAnswer, partialText, verifyCitations } from '../../src/answer/llm/citations.js';
import { parseRewrite } from '../../src/answer/llm/prompt.js';
import type { SearchHit } from '../../src/types.js';

function hit(n: number, articleId: string): SearchHit {
  return {
    rank: n,
    score: 1,
    chunk: { id: n, articleId, chunkNo: 0, start: 0, end: 10, text: `Passage ${n} of ${articleId}.` },
    article: { id: articleId, title: `Title ${articleId}`, source: 'Outlet', url: `https://example.org/${articleId}`, date: '2024-01-01', author: '', lang: 'fr', file: `${articleId}.md` },
  };
}

const hits = [hit(1, 'a'), hit(2, 'b'), hit(3, 'a'), hit(4, 'c')];

describe('citation verification', () => {
  it('drops unknown passage numbers, splits lists, and renumbers by first use', () => {
    const { text, citations } = verifyCitations('C is first [4]. A and B [1, 2; 9]. Nothing [0]. Again A [3].', hits);
    expect(text).toBe('C is first [1]. A and B [2][3]. Again A [2].');
    expect(citations.map((c) => [c.n, c.articleId])).toEqual([
      [1, 'c'],
      [2, 'a'],
      [3, 'b'],
    ]);
    // Two passages of one article make one source quoting both.
    expect(citations[1]!.quote).toBe('Passage 1 of a. … Passage 3 of a.');
  });

  it('collapses a source cited twice in a row', () => {
    expect(verifyCitations('A [1][3] [1].', hits).text).toBe('A [1].');
  });

  it('has no citations, and no text, when every marker is invalid', () => {
    expect(verifyCitations('Claim [5]. Other [12].', hits)).toEqual({ text: '', citations: [] });
  });

  it('drops a sentence whose only markers name passages it was not given, and keeps uncited and supported ones', () => {
    const reply = 'In short:\nA holds [1]. B was invented [7]. C too [9] [12]! D is both [2] [8]. E is plain.\n- F [6]\n- G [4]';
    expect(verifyCitations(reply, hits).text).toBe('In short:\nA holds [1]. D is both [2]. E is plain.\n- G [3]');
  });

  it('ties a marker after the full stop to the sentence before it', () => {
    expect(verifyCitations('A holds. [1] B was invented. [9] C holds. [4]', hits).text).toBe('A holds. [1] C holds. [2]');
  });

  it('holds back a marker still being streamed', () => {
    expect(partialText('Inetum [1] will create [', hits)).toBe('Inetum [1] will create');
    expect(partialText('Inetum [1] will create [7', hits)).toBe('Inetum [1] will create');
  });

  it('recognises the no-answer token, even dressed up', () => {
    expect(isNoAnswer('NO_ANSWER Les articles ne le disent pas.')).toBe(true);
    expect(isNoAnswer('**NO_ANSWER**: not said.')).toBe(true);
    expect(isNoAnswer('Inetum creates 1,500 jobs [1].')).toBe(false);
  });

  it('reads the two lines of a query rewrite, or nothing', () => {
    expect(parseRewrite('fr: Quand Inetum ?\nen: When Inetum?')).toEqual({ fr: 'Quand Inetum ?', en: 'When Inetum?' });
    expect(parseRewrite('**FR**: Quand ?\n**EN**: When?')).toEqual({ fr: 'Quand ?', en: 'When?' });
    expect(parseRewrite('I cannot help with that.')).toBeUndefined();
  });
});
