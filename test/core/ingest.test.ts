import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkArticle, scanCorpus } from '../../src/ingest/index.js';
import { parseArticle } from '../../src/ingest/load.js';
import { normalizeForMatch } from '../../src/eval/evaluate.js';
import { ROOT } from '../support/cli.js';

const corpusDir = path.join(ROOT, 'corpus');
const load = (name: string) => {
  const file = readdirSync(corpusDir).find((f) => f.startsWith(name))!;
  return parseArticle(readFileSync(path.join(corpusDir, file)), file);
};

describe('cleaning the seed articles', () => {
  it('keeps every evidence span of the dev set', async () => {
    const { articles } = await scanCorpus(corpusDir);
    const items = readFileSync(path.join(ROOT, 'eval/dev.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const withEvidence = items.filter((i) => i.evidence);
    expect(withEvidence.length).toBeGreaterThan(10);
    for (const item of withEvidence) {
      const article = articles.find((a) => a.id.startsWith(item.source_seed))!;
      expect(normalizeForMatch(article.text), item.id).toContain(normalizeForMatch(item.evidence));
    }
  });

  it('strips share links, comment boxes, ads and cross-links to other stories', async () => {
    const { articles } = await scanCorpus(corpusDir);
    const all = articles.map((a) => a.text).join('\n');
    for (const junk of ['Leave a Comment', 'ADVERTISEMENT', 'Akismet', 'Pinterest', 'Facebook', 'Lire aussi', 'Shelbourne', 'Idarati', 'vous pourriez aussi aimer', 'Laisser un commentaire', 'publish_date', '#coup', 'podcast']) {
      expect(all, junk).not.toContain(junk);
    }
  });

  it('removes repeated paragraphs but keeps one copy', () => {
    const onepoint = load('000');
    const occurrences = onepoint.text.split('L\'initiative prévoit également le recrutement de 500 ingénieurs marocains').length - 1;
    expect(occurrences).toBe(1);
    expect(onepoint.text).toContain('David Layani');
  });

  it('reads headline, outlet, date and author off headerless files', () => {
    expect(load('003')).toMatchObject({ date: '2024-04', lang: 'fr' });
    expect(load('003').title).toMatch(/Inetum/);
    expect(load('003').text.startsWith('Un accord conclu')).toBe(true);
    expect(load('001')).toMatchObject({ author: 'Samira Njoya' });
    expect(load('001').title).toMatch(/alliance avec axa/i);
    expect(load('004')).toMatchObject({ source: 'Journaleco', title: 'Thales va ouvrir un centre de cybersécurité nearshore au Maroc' });
    expect(load('002').source).toBe('Nouvelles Du Monde');
    expect(load('002').title).toMatch(/^Développement de l’innovation digitale/);
    expect(load('000').title).toBe("500 ingénieurs marocains pour conquérir l'avenir numérique !");
  });

  it('uses front matter when a Markdown file has it, and detects English', () => {
    const file = '027-morocco-capgemini-engineering-mou-1500-jobs-2026.md';
    const a = parseArticle(readFileSync(path.join(ROOT, 'eval/articles-dev', file)), file);
    expect(a).toMatchObject({ source: 'The North Africa Post', lang: 'en' });
    expect(a.url).toMatch(/^https:\/\/northafricapost\.com/);
    expect(a.text).not.toMatch(/^---/);
  });

  it('extracts the article and its metadata from an HTML page', () => {
    const html = `<!doctype html><html lang="fr"><head><title>Site | Titre</title>
      <meta property="og:site_name" content="Le Journal"><meta property="article:published_time" content="2024-05-02T10:00:00Z">
      <meta property="og:title" content="Un nouveau centre à Rabat"></head><body>
      <nav><a href="/">Accueil</a> <a href="/eco">Économie</a></nav>
      <article><h1>Un nouveau centre à Rabat</h1>
      <p>Le groupe Exemple ouvrira un centre de données à Rabat en 2025, avec 300 emplois à la clé pour les jeunes diplômés de la région.</p>
      <p>Le projet représente un investissement de 200 millions de dirhams, selon le communiqué publié par le groupe mardi dernier.</p>
      <p>Partager</p></article><footer>© 2024 Le Journal — Tous droits réservés</footer></body></html>`;
    const a = parseArticle(Buffer.from(html), 'exemple.html');
    expect(a).toMatchObject({ title: 'Un nouveau centre à Rabat', source: 'Le Journal', date: '2024-05-02', lang: 'fr' });
    expect(a.text).toContain('300 emplois');
    expect(a.text).not.toContain('Tous droits réservés');
    expect(a.text).not.toMatch(/^Partager$/m);
  });

  it('rejects binary files with a message naming the file', () => {
    expect(() => parseArticle(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]), 'image.txt')).toThrow(/image\.txt: this is a binary file/);
  });
});

describe('chunking', () => {
  it('produces sentence-aligned chunks whose offsets point into the cleaned text', async () => {
    const article = load('003');
    const spans = await chunkArticle(article);
    expect(spans.length).toBeGreaterThan(1);
    spans.forEach((s, i) => {
      expect(s.chunkNo).toBe(i);
      const text = article.text.slice(s.start, s.end);
      expect(text.length).toBeLessThanOrEqual(700);
      expect(text).toMatch(/[.!?»"]$/);
    });
  });
});
