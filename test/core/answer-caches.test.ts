// The extractive answerer keeps what it learnt of recently quoted articles:
// those caches must stay within their limits however many articles are asked
// about, and answers must not depend on what is cached.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_TERMS_LIMITS, articleTerms, articleTermsCacheUse, Terms } from '../../src/answer/terms.js';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { analyze, initialisms } from '../../src/text/analyze.js';

const ARTICLES = ARTICLE_TERMS_LIMITS.articles + 40;
/** Long enough that the character limit binds before the article count does. */
const FILLER = Array.from({ length: 100 }, (_, i) => `La météo du jour ${i} annonce un ciel clair sur la côte atlantique et des vents modérés.`).join(' ');

/** A made-up company name per article, so each question points at one article. */
function companyName(n: number): string {
  const letters = 'bcdfghjklmnprstvz';
  const digit = (k: number) => letters[Math.floor(n / letters.length ** k) % letters.length];
  return `Kor${digit(0)}a${digit(1)}i${digit(2)}ex`;
}

describe('answer-stage caches', () => {
  let dir: string;
  let engine: Akhbar;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'akhbar-caches-'));
    const corpus = path.join(dir, 'corpus');
    mkdirSync(corpus);
    for (let n = 0; n < ARTICLES; n++) {
      const name = companyName(n);
      const text = `La société ${name} va créer ${100 + n} emplois à Rabat d'ici 2027. ${FILLER}`;
      writeFileSync(path.join(corpus, `a${String(n).padStart(3, '0')}.md`), `---\ntitle: ${name} recrute\nlang: fr\n---\n\n${text}\n`);
    }
    engine = await Akhbar.open(loadSettings({ CORPUS_DIR: corpus, INDEX_DIR: path.join(dir, 'index'), LOG_LEVEL: 'silent' }));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stays within its limits after questions about more articles than it holds, and answers the same once an article is evicted', async () => {
    const question = (n: number) => `Combien d'emplois la société ${companyName(n)} va-t-elle créer ?`;
    const first = await engine.ask(question(0));
    for (let n = 0; n < ARTICLES; n++) {
      const answer = await engine.ask(question(n));
      expect(answer.refused, question(n)).toBe(false);
      expect(answer.answer).toContain(`${100 + n} emplois`);
      const use = articleTermsCacheUse();
      expect(use.articles).toBeLessThanOrEqual(ARTICLE_TERMS_LIMITS.articles);
      expect(use.chars).toBeLessThanOrEqual(ARTICLE_TERMS_LIMITS.chars);
    }
    // The first article has long been evicted: worked out afresh, the answer is the same.
    const again = await engine.ask(question(0));
    expect({ ...again, timings: undefined }).toEqual({ ...first, timings: undefined });
  }, 60_000);

  it('reads an article again when its text changed under the same id (an edited article re-indexed)', () => {
    const concept = (word: string) => ({ variants: new Set(analyze(word, 'fr')) });
    expect(articleTerms('edited', 'La société ouvre une usine à Fès.', 'fr').mentions(concept('usine'))).toBe(true);
    const edited = articleTerms('edited', 'La société ouvre un centre de données à Fès.', 'fr');
    expect(edited.mentions(concept('usine'))).toBe(false);
    expect(edited.mentions(concept('données'))).toBe(true);
  });
});

describe('acronyms in a text', () => {
  const seeds = path.resolve(import.meta.dirname, '../../corpus');
  const texts = readdirSync(seeds).map((f) => readFileSync(path.join(seeds, f), 'utf8'));

  it('are found exactly when they are initials of a run of its words, in order or (three letters or more) in any order', () => {
    let said = 0;
    for (const text of texts) {
      const terms = new Terms(text);
      const known = initialisms(text);
      const asked = [...known].filter((l) => !l.startsWith('~')).filter((_, i) => i % 7 === 0);
      // Reversed and shuffled letters too: most are not initials of anything.
      for (const letters of asked.flatMap((l) => [l, [...l].reverse().join(''), `${l.slice(1)}q`])) {
        const expected = known.has(letters) || (letters.length >= 3 && known.has(`~${[...letters].sort().join('')}`));
        expect(terms.mentions({ variants: new Set(), acronym: letters }), letters).toBe(expected);
        if (expected) said++;
      }
    }
    expect(said).toBeGreaterThan(100);
  });
});
