// akhbar's splitter is LangChain's RecursiveCharacterTextSplitter written out (so that
// chunking loads no LangChain): the chunks must stay exactly the library's, or every
// index built before would disagree with the next update.
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_OVERLAP, CHUNK_SIZE, chunkArticle } from '../../src/ingest/chunk.js';
import { scanCorpus } from '../../src/ingest/index.js';
import { DEV_ARTICLES } from '../support/articles.js';
import { ROOT } from '../support/cli.js';
import { writeSyntheticArticles } from '../support/synthetic.js';

const library = new RecursiveCharacterTextSplitter({
  chunkSize: CHUNK_SIZE,
  chunkOverlap: CHUNK_OVERLAP,
  separators: ['\n\n', '\n', '. ', '! ', '? ', '; ', ', ', ' ', ''],
  keepSeparator: true,
});

/** The chunks as the library cuts them, with akhbar's clean-up of each piece. */
async function libraryChunks(text: string): Promise<string[]> {
  return (await library.splitText(text)).map((p) => p.replace(/^[.!?;,]\s*/, '').trim()).filter(Boolean);
}

async function ownChunks(text: string): Promise<string[]> {
  return (await chunkArticle({ text })).map((s) => text.slice(s.start, s.end));
}

describe('chunking', () => {
  it('cuts the real and synthetic articles exactly as LangChain does', async () => {
    const synthetic = mkdtempSync(path.join(tmpdir(), 'akhbar-chunks-'));
    writeSyntheticArticles(synthetic, 40, 9);
    const scans = await Promise.all([path.join(ROOT, 'corpus'), DEV_ARTICLES, synthetic].map((dir) => scanCorpus(dir)));
    const texts = scans.flatMap((s) => s.articles.map((a) => a.text));
    expect(texts.length).toBeGreaterThan(60);
    let chunks = 0;
    for (const text of texts) {
      const own = await ownChunks(text);
      expect(own).toEqual(await libraryChunks(text));
      chunks += own.length;
    }
    expect(chunks).toBeGreaterThan(texts.length * 2);
  });

  it.each([
    ['an empty text', ''],
    ['one long word', 'x'.repeat(2_000)],
    ['a run of words with no punctuation', Array.from({ length: 600 }, (_, i) => `mot${i}`).join(' ')],
    ['long lines with no blank line', Array.from({ length: 30 }, (_, i) => `Ligne ${i}; ${'un deux trois, '.repeat(12)}fin.`).join('\n')],
    ['sentences ending in ! and ?', Array.from({ length: 80 }, (_, i) => (i % 2 ? `Vraiment ${i} ? ` : `Oui ${i} ! `)).join('')],
    ['surrogate pairs past the chunk size', '🇲🇦'.repeat(500)],
  ])('cuts %s exactly as LangChain does', async (_name, text) => {
    expect(await ownChunks(text)).toEqual(await libraryChunks(text));
  });
});
