// Question language: answers and refusals are written in it, so a wrong guess
// answers a French speaker in English. The fixture holds short chat-style
// questions typed the way people type on Discord.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/ingest/language.js';
import type { Lang } from '../../src/types.js';

const fixture = new URL('../fixtures/short-questions.jsonl', import.meta.url);
const questions: { lang: Lang; question: string }[] = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

describe('question language', () => {
  it('is right on at least 99% of short chat questions', () => {
    const wrong = questions.filter(({ lang, question }) => detectLanguage(question) !== lang);
    const accuracy = 1 - wrong.length / questions.length;
    expect(questions.length).toBeGreaterThanOrEqual(240);
    expect(accuracy, wrong.map((q) => `${q.lang}: ${q.question}`).join('\n')).toBeGreaterThanOrEqual(0.99);
  });

  it.each<[string, Lang]>([
    // French made of English tech loanwords and names
    ['le nearshore recrute encore ?', 'fr'],
    ['c quoi le cloud computing', 'fr'],
    ['outsourcing maroc chiffres 2024', 'fr'],
    // English around French names
    ['Who heads Maroc Numeric Cluster?', 'en'],
    ['What does the Agence de Développement du Digital do?', 'en'],
    ['when did Société Générale open its casa hub', 'en'],
    // IA is French, AI English
    ['IA generative maroc', 'fr'],
    ['ia et emploi', 'fr'],
    ['AI startups morocco', 'en'],
    ['ai and jobs', 'en'],
    // accents missing
    ['ou est situe le technopark', 'fr'],
    ['quelle duree pour la formation', 'fr'],
    ['strategie numerique 2030', 'fr'],
    // typed in capitals
    ['C QUOI LE NEARSHORE ??', 'fr'],
    ['IA ?', 'fr'],
    ['WHO RUNS INWI', 'en'],
  ])('%s is %s', (question, lang) => {
    expect(detectLanguage(question)).toBe(lang);
  });
});

describe('article language', () => {
  it('reads a French article as French, names and English loanwords notwithstanding', () => {
    const body = `Le groupe Capgemini a inauguré lundi à Casablanca un nouveau centre de nearshore
      consacré au cloud, à la data et à l'intelligence artificielle. Selon la direction, le site
      accueillera 800 ingénieurs d'ici 2026, recrutés en partie parmi les lauréats des écoles
      marocaines. La ministre de la Transition numérique a salué « un signal fort » pour
      l'écosystème des startups et de l'outsourcing, un secteur qui emploie déjà plus de
      140 000 personnes dans le Royaume.`;
    expect(detectLanguage(body)).toBe('fr');
  });

  it('reads an English article as English, French names notwithstanding', () => {
    const body = `The Ministry of Digital Transition and Maroc Numeric Cluster signed an agreement
      on Monday with the Agence de Développement du Digital to train 5,000 developers a year.
      The programme, run with the Université Mohammed VI Polytechnique and Société Générale
      Maroc, targets young graduates who have not found work, and it will open centres in
      Rabat, Fès and Tanger by the end of the year, officials said.`;
    expect(detectLanguage(body)).toBe('en');
  });
});
