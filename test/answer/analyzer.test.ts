import { describe, expect, it } from 'vitest';
import { assertSameEmbedder, EmbedderMismatchError } from '../../src/index/index.js';
import { GRAPH_SETTINGS } from '../../src/index/vector.js';
import { analyze, analyzeQuery, ANALYZER_FINGERPRINT, isStopWord, stem } from '../../src/text/analyze.js';

describe('text analysis, one language at a time', () => {
  it('keeps English "AI" although French "ai" is a stop word', () => {
    expect(analyzeQuery('What about AI?', 'en').map((t) => t.term)).toContain('ai');
    expect(analyze("j'ai vu l'IA", 'fr')).toEqual(['vu', 'ia']);
    expect(isStopWord('ai', 'en')).toBe(false);
    expect(isStopWord('ai', 'fr')).toBe(true);
  });

  it('leaves light verbs out of an English question: what goes where is in its other words', () => {
    expect(analyzeQuery('how much money will go to startups', 'en').map((t) => t.term)).not.toContain('go');
  });

  it('gives a word typed without accents the same terms as the article’s accented one', () => {
    expect(analyze('recolte cerealiere employes creee', 'fr')).toEqual(analyze('récolte céréalière employés créée', 'fr'));
  });

  it('translates a glossary phrase only when its words are said together', () => {
    const terms = (q: string, lang: 'fr' | 'en') => analyzeQuery(q, lang).map((t) => t.term);
    expect(terms('when did the bank set up in tangier?', 'en')).toContain(stem('installation', 'fr'));
    expect(terms('is the set complete?', 'en')).not.toContain(stem('installation', 'fr'));
    expect(terms('qui est le chef du gouvernement ?', 'fr')).toEqual(expect.arrayContaining([stem('prime', 'en'), stem('minister', 'en')]));
  });

  it('still drops the other language’s longer function words', () => {
    expect(isStopWord('the', 'fr')).toBe(true);
    expect(isStopWord('les', 'en')).toBe(true);
  });
});

describe('analyzer fingerprint', () => {
  const embedder = { info: { provider: 'local' as const, model: 'm' }, embeddings: undefined as never };

  it('accepts an index built by this analyzer and graph', () => {
    expect(() => assertSameEmbedder({ provider: 'local', model: 'm', dimension: 8, analyzer: ANALYZER_FINGERPRINT, graph: GRAPH_SETTINGS }, embedder, '/idx')).not.toThrow();
  });

  it('refuses an index whose graph was built with other settings, or unrecorded ones', () => {
    for (const graph of ['hnsw M16 efConstruction 100', undefined]) {
      const check = () => assertSameEmbedder({ provider: 'local', model: 'm', dimension: 8, analyzer: ANALYZER_FINGERPRINT, graph }, embedder, '/idx');
      expect(check).toThrow(/graph.*akhbar index --rebuild/);
    }
  });

  it('refuses an index built by another or an unrecorded analyzer, saying how to rebuild', () => {
    for (const analyzer of ['0123456789abcdef', undefined]) {
      const check = () => assertSameEmbedder({ provider: 'local', model: 'm', dimension: 8, analyzer }, embedder, '/idx');
      expect(check).toThrow(EmbedderMismatchError);
      expect(check).toThrow(/akhbar index --rebuild/);
    }
  });
});
