import { describe, expect, it } from 'vitest';
import { saysAlternative, scoreNatural, type NaturalItem } from '../../src/eval/natural.js';
import type { AnswerResult } from '../../src/types.js';

describe('natural eval scoring', () => {
  it('matches from the start of a word, ignoring case and accents', () => {
    expect(saysAlternative('La cybersécurité au Maroc', 'cybersecurite')).toBe(true);
    expect(saysAlternative('Le Maroc', 'aroc')).toBe(false);
    expect(saysAlternative('les startups', 'startup')).toBe(true);
  });

  it('takes numbers whole, whatever their grouping', () => {
    expect(saysAlternative('1 500 emplois', '1 500')).toBe(true);
    expect(saysAlternative('1 500 emplois', '500')).toBe(false);
    expect(saysAlternative('500 emplois', '50')).toBe(false);
    expect(saysAlternative('33,3 millions', '33,3')).toBe(true);
  });

  it('needs a right citation and every mention group', async () => {
    const item: NaturalItem = { id: 'x', lang: 'fr', question: 'q', kind: 'fact', articles: ['a1.md'], mention: [['800'], ['Maroc', 'Morocco']] };
    const result = (answer: string, articleId: string): AnswerResult => ({
      question: 'q', language: 'fr', answer, refused: false, notices: [], timings: {},
      citations: [{ n: 1, articleId, title: 't', source: 's', url: '', date: '', quote: 'compte 800 employés' }],
    });
    const text = async () => 'Il compte 800 employés au Maroc.';
    expect((await scoreNatural(item, result('800 au Maroc [1]', 'a1'), text)).correct).toBe(true);
    expect((await scoreNatural(item, result('800 au Maroc [1]', 'b2'), text)).correct).toBe(false);
    expect((await scoreNatural(item, result('800 [1]', 'a1'), text)).missingGroups).toEqual([['Maroc', 'Morocco']]);
  });
});
