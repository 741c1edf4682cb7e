import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/answer/score.js';
import { claimEvidenceFirst } from '../../src/answer/yesno.js';

const candidate = (sentence: string) => ({ sentence }) as Candidate;

describe('yes/no evidence', () => {
  it('puts sentences that give figures first when the claim has one, keeping their order', () => {
    const ranked = [candidate('The deal aims to strengthen ties.'), candidate('It plans 1 500 jobs by 2027.'), candidate('It opened 3 offices.')];
    expect(claimEvidenceFirst('is the 1,500 jobs target for 2026?', ranked).map((c) => c.sentence)).toEqual([
      'It plans 1 500 jobs by 2027.',
      'It opened 3 offices.',
      'The deal aims to strengthen ties.',
    ]);
  });

  it('puts sentences that name a place first when the claim puts something somewhere', () => {
    const ranked = [candidate('The AI factory will serve the whole region.'), candidate('The factory will be built in Casablanca.')];
    expect(claimEvidenceFirst('is the ai factory in rabat?', ranked)[0]?.sentence).toBe('The factory will be built in Casablanca.');
  });

  it('leaves the order alone for a claim without figures', () => {
    const ranked = [candidate('The deal aims to strengthen ties.'), candidate('It plans 1 500 jobs by 2027.')];
    expect(claimEvidenceFirst('is the deal about jobs?', ranked)).toEqual(ranked);
  });
});
