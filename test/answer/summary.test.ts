import { describe, expect, it } from 'vitest';
import { centralSentences } from '../../src/answer/summary.js';
import { authorOf } from '../../src/answer/meta.js';
import type { ArticleCandidate } from '../../src/answer/summary.js';
import { Terms } from '../../src/answer/terms.js';

const article = [
  'Le port de Nador ouvrira en 2026 et accueillera 3 millions de conteneurs par an.',
  'Le port de Nador ouvrira en 2026 et accueillera 3 millions de conteneurs par an, selon le ministère.',
  'La météo était clémente lors de la visite officielle des journalistes invités.',
  'Le chantier du port emploie 4 000 ouvriers, et le port créera 2 000 emplois permanents.',
  'Un concert a eu lieu le soir même dans une salle voisine de la ville.',
  'Le coût total du port atteint 50 milliards de dirhams, financés par des fonds publics et privés.',
].join(' ');

describe('extractive summary', () => {
  const chosen = centralSentences(article, 'fr', { count: 3 }).map((s) => s.text);

  it('keeps the lead and the sentences central to the article, in article order', () => {
    expect(chosen[0]).toMatch(/^Le port de Nador ouvrira en 2026/);
    expect(chosen).toContain('Le chantier du port emploie 4 000 ouvriers, et le port créera 2 000 emplois permanents.');
    expect(chosen.map((s) => article.indexOf(s))).toEqual([...chosen.map((s) => article.indexOf(s))].sort((a, b) => a - b));
  });

  it('never quotes the same statement twice', () => {
    expect(chosen.filter((s) => s.startsWith('Le port de Nador ouvrira'))).toHaveLength(1);
  });

  it('leaves out asides', () => {
    expect(chosen.join(' ')).not.toMatch(/météo|concert/);
  });
});

describe('a summary of a set number of things', () => {
  const text = [
    'La mairie a signé mardi trois conventions pour moderniser le port et la ville.',
    'La cérémonie a réuni de nombreux élus, venus de toute la région pour la signature des conventions.',
    'La première convention porte sur la rénovation des quais du port.',
    'Les élus ont salué des conventions qui feront date pour la ville et pour le port.',
    'La deuxième convention finance des bourses pour les étudiants.',
    'La troisième convention crée une école de code.',
  ].join(' ');

  it('takes each thing in turn, after the sentence that introduces them', () => {
    const chosen = centralSentences(text, 'fr', { items: 3 }).map((s) => s.text);
    expect(chosen).toEqual([
      'La mairie a signé mardi trois conventions pour moderniser le port et la ville.',
      'La première convention porte sur la rénovation des quais du port.',
      'La deuxième convention finance des bourses pour les étudiants.',
      'La troisième convention crée une école de code.',
    ]);
  });
});

describe('bylines', () => {
  const candidate = (text: string, author = ''): ArticleCandidate => ({
    meta: { id: 'a', title: 'T', source: 'S', url: '', date: '', author, lang: 'fr', file: 'a.md' },
    text,
    terms: new Terms(text),
    rank: 1,
  });

  it('reads the author from metadata, else from a byline line near the top', () => {
    expect(authorOf(candidate('Texte.', 'Jane Doe'))).toBe('Jane Doe');
    expect(authorOf(candidate('Premier paragraphe.\nPar K. A.\nSuite du texte.'))).toBe('K. A');
    expect(authorOf(candidate('Par ailleurs, le ministère a confirmé que le projet avance bien dans toutes les régions.'))).toBeUndefined();
  });
});
