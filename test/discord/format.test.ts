import { describe, expect, it } from 'vitest';
import { answerMessages, fitEmbed, LIMITS, splitMessage, wrapLinks } from '../../src/discord/format.js';
import type { Citation } from '../../src/types.js';

const sentence = (n: number, words = 30) => `Phrase ${n} ${'mot '.repeat(words).trim()} fin [${n}].`;

function citation(n: number, url = `https://example.com/${n}`): Citation {
  return { n, articleId: `a${n}`, title: `Titre ${n}`, source: 'Média', url, date: '2024-01-01', quote: '' };
}

describe('splitMessage', () => {
  it('leaves a short text alone', () => {
    expect(splitMessage('Bonjour.\n\nAu revoir.')).toEqual(['Bonjour.\n\nAu revoir.']);
  });

  it('splits on paragraphs first, every part within the limit, nothing lost', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => Array.from({ length: 3 }, (_, j) => sentence(i * 3 + j)).join(' '));
    const text = paragraphs.join('\n\n');
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(LIMITS.message);
    expect(parts.join('\n\n')).toBe(text);
    // Each part ends where a paragraph ended.
    for (const p of parts) expect(paragraphs.some((para) => p.endsWith(para))).toBe(true);
  });

  it('splits one long paragraph between sentences, never inside or before a [n] marker', () => {
    const text = Array.from({ length: 40 }, (_, i) => `« ${sentence(i)} »`).join(' ');
    const parts = splitMessage(text, 500);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect(p).toMatch(/^« Phrase \d+/);
      expect(p).toMatch(/\[\d+\]\. »$/);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('keeps a citation marker with the word before it when a sentence must be cut between words', () => {
    const text = `${'a'.repeat(10)} ${'mot '.repeat(120)}final [12] suite ${'mot '.repeat(20)}`.trim();
    const max = text.indexOf(' [12]') + 3;
    const parts = splitMessage(text, max);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(max);
    expect(parts.some((p) => p.startsWith('final [12]'))).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });

  it('never cuts a link', () => {
    const link = `<https://example.com/${'x'.repeat(80)}>`;
    const text = Array.from({ length: 30 }, (_, i) => `Voir ${link} pour ${i}.`).join(' ');
    const parts = splitMessage(text, 300);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(300);
      expect(p.split(link).join('')).not.toMatch(/<https|x>/);
    }
  });

  it('cuts a single word longer than a message as a last resort', () => {
    const parts = splitMessage('y'.repeat(4500));
    expect(parts.map((p) => p.length)).toEqual([2000, 2000, 500]);
  });
});

describe('answerMessages', () => {
  it('puts the sources block under the answer when both fit', () => {
    const parts = answerMessages({ answer: 'Réponse [1].', citations: [citation(1)], notices: ['Question tronquée.'], language: 'fr' });
    expect(parts).toEqual(['*Question tronquée.*\n\nRéponse [1].\n\n**Sources**\n[1] **Titre 1** — Média, 2024-01-01 <https://example.com/1>']);
  });

  it('keeps the sources block whole in its own message when it does not fit', () => {
    const answer = Array.from({ length: 30 }, (_, i) => sentence(i)).join(' ');
    const citations = [1, 2, 3, 4, 5].map((n) => citation(n, `https://example.com/${n}/${'p'.repeat(150)}`));
    const parts = answerMessages({ answer, citations, notices: [], language: 'en' });
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(LIMITS.message);
    const sources = parts.filter((p) => p.includes('**Sources**'));
    expect(sources).toHaveLength(1);
    expect(sources[0]).toBe(parts.at(-1));
    expect(sources[0].split('\n').filter((l) => /^\[\d\]/.test(l))).toHaveLength(5);
  });
});

describe('links and embeds', () => {
  it('wraps bare links so Discord shows no preview, once', () => {
    expect(wrapLinks('Lire https://example.com/a?b=1. Et <https://example.com/c>')).toBe('Lire <https://example.com/a?b=1>. Et <https://example.com/c>');
  });

  it('cuts an embed to the description, field and total limits', () => {
    const embed = fitEmbed({
      title: 't'.repeat(300),
      description: 'd'.repeat(5000),
      fields: Array.from({ length: 40 }, (_, i) => ({ name: `n${i}`, value: 'v'.repeat(1500) })),
    });
    expect(embed.title!.length).toBeLessThanOrEqual(256);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embed.fields!.length).toBeLessThanOrEqual(25);
    for (const f of embed.fields!) expect(f.value.length).toBeLessThanOrEqual(1024);
    const total = embed.title!.length + embed.description!.length + embed.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });
});
