import { describe, expect, it } from 'vitest';
import { spansOf } from '../../src/answer/spans.js';

const texts = (text: string, type: Parameters<typeof spansOf>[1]) => spansOf(text, type).map((s) => s.text);

describe('answer spans', () => {
  const sentence =
    'La société investira 12,5 millions de dirhams (USD1.3 million) et créera 2 400 emplois, soit 35 % de plus, ' +
    'a annoncé le mercredi 3 juin à Tanger, Sophie Martin, directrice générale, pour des cursus de 4 à 9 mois.';

  it('finds money in French and English notations', () => {
    expect(texts(sentence, 'money')).toEqual(['12,5 millions de dirhams', 'USD1.3 million']);
  });

  it('finds percentages, durations and figures with their noun', () => {
    expect(texts(sentence, 'percent')).toEqual(['35 %']);
    expect(texts(sentence, 'duration')).toEqual(['4 à 9 mois']);
    expect(texts(sentence, 'number')).toContain('2 400 emplois');
  });

  it('finds dates, people and places', () => {
    expect(texts(sentence, 'date')).toEqual(['mercredi 3 juin']);
    expect(texts(sentence, 'person')).toContain('Sophie Martin');
    expect(texts(sentence, 'place')).toEqual(['Tanger']);
  });

  it('matches amounts and dates whatever their case, quoting the text as written', () => {
    // "İ" is the one letter whose lower case is longer: the spans after it must still be cut right.
    const text = 'İZMİR ET RABAT : LE GROUPE INVESTIRA 2 MILLIARDS DE DIRHAMS EN JUIN 2026, Soit 3 Milliards Moroccan Dirhams.';
    expect(texts(text, 'money')).toEqual(['2 MILLIARDS DE DIRHAMS', '3 Milliards Moroccan Dirhams']);
    expect(texts(text, 'date')).toEqual(['JUIN 2026']);
  });

  it('keeps units written as symbols, and never counts a written date’s day or year', () => {
    const text = 'RABAT, July 9, 2025 — a 500-megawatt plant on a site of 2000 m2 using 120 MHz will open by 2027.';
    expect(texts(text, 'number')).toEqual(['500-megawatt', '2000 m2', '120 MHz']);
  });

  it('does not count money as things: an amount answers "how much", not "how many"', () => {
    const text = 'Elle vise 42 milliards de DH de chiffre d’affaires, 3 000 startups et 1,2 milliard de dollars d’investissements.';
    expect(texts(text, 'number')).toEqual(['3 000 startups']);
  });

  it('reads a country\'s adjective between an amount and its currency', () => {
    expect(texts('It will channel 2 billion Moroccan dirhams into startups.', 'money')).toEqual(['2 billion Moroccan dirhams']);
  });

  it('does not count time as things: "two years" answers "how long", not "how many"', () => {
    const text = 'Au cours des deux dernières années, la société a recruté 800 ingénieurs, et 15 ans après son arrivée, elle emploie trois mille personnes.';
    expect(texts(text, 'number')).toEqual(['800 ingénieurs', 'trois mille personnes']);
  });

  it('does not take the verb "may" for a month', () => {
    expect(texts('The plant may open soon, in May 2026.', 'date')).toEqual(['May 2026']);
  });

  it('finds ages only where they are said', () => {
    expect(texts('Elle a 45 ans.', 'age')).toEqual(['45 ans']);
    expect(texts('Présente depuis 40 ans au Maroc.', 'age')).toEqual(['40 ans']);
    expect(texts('La ministre a présenté le plan.', 'age')).toEqual([]);
  });

  it('takes a length or a duration for "how long", never a speed', () => {
    expect(texts('Conçue pour 350 km/h, la ligne de 430 kilomètres sera livrée en dix-huit mois.', 'extent')).toEqual(['430 kilomètres', 'dix-huit mois']);
  });

  it('marks a place found only after "de"/"from" as unsure: it is as often an owner', () => {
    const spans = spansOf('Depuis Rabat, ils servent les clients de Nordia Conseil, installés dans le complexe Atlas Park.', 'place');
    expect(spans.map((s) => [s.text, s.unsure ?? false])).toEqual([
      ['Nordia Conseil', true],
      ['Atlas Park', false],
    ]);
  });
});
