import { describe, expect, it } from 'vitest';
import { resolveDate } from '../../src/answer/dates.js';

describe('relative dates resolved against the article date', () => {
  it.each([
    ['mercredi', '2024-04-04', 'fr', '3 avril 2024'],
    ['Wednesday', '2024-04-03', 'en', 'April 3, 2024'],
    ["aujourd'hui", '2023-10-01', 'fr', '1er octobre 2023'],
    ['hier', '2023-03-01', 'fr', '28 février 2023'],
    ['last year', '2022-06-10', 'en', '2021'],
    ['le mois dernier', '2024-01-15', 'fr', 'décembre 2023'],
    ['Sept. 12', '2025-09', 'en', 'September 12, 2025'],
    ['le mercredi 29 mai', '2024-05', 'fr', '29 mai 2024'],
    ['en septembre dernier', '2023-10-02', 'fr', 'septembre 2023'],
    ['in February', '2025-04-30', 'en', 'February 2025'],
    ['vendredi', '2021-02', 'en', 'February 2021'],
  ])('%s in an article of %s (%s) → %s', (span, date, lang, expected) => {
    expect(resolveDate(span, date, lang as 'fr' | 'en')).toBe(expected);
  });

  it('leaves complete dates and undated articles alone', () => {
    expect(resolveDate('3 avril 2024', '2024-04-04', 'fr')).toBeUndefined();
    expect(resolveDate('mardi 30 janvier', '', 'fr')).toBeUndefined();
  });
});
