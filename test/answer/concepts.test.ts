// What a question asks about, on a hand-made idf table: its concepts, and the
// attribute a quote must say.
import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/answer/concepts.js';

/** Every term equally known: idf 2, below the ceiling an absent term gets. */
const idf = async (terms: string[]) => new Map(terms.map((t) => [t, t === '\u0000absent' ? 10 : 2]));
const words = async (q: string, lang: 'fr' | 'en') => (await analyzeQuestion(q, lang, idf)).concepts.map((c) => c.word);
const focus = async (q: string, lang: 'fr' | 'en') => (await analyzeQuestion(q, lang, idf)).focus?.word;

describe('question concepts', () => {
  it('takes the head of the asked noun phrase for the attribute', async () => {
    expect(await focus('what is the computing capacity of the plant?', 'en')).toBe('capacity');
    expect(await focus('quelle est la capacité de calcul du centre ?', 'fr')).toBe('capacité');
  });

  it('asks no attribute of "what is X doing": the question is what X does', async () => {
    expect(await focus('What is Acme doing in Tangier?', 'en')).toBeUndefined();
    expect(await focus('What is Acme planning for its workers?', 'en')).toBeUndefined();
  });

  it('leaves out framing phrases, reporting verbs and "why"', async () => {
    expect(await words('Quelles mesures sont prévues dans le cadre du plan Vert ?', 'fr')).not.toContain('cadre');
    expect(await words('What share of jobs did the minister say AI will change?', 'en')).not.toContain('say');
    expect(await words('why did acme pick tangier?', 'en')).not.toContain('why');
  });
});
