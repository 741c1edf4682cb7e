import type { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Article } from '../types.js';

export interface ChunkSpan {
  chunkNo: number;
  start: number;
  end: number;
}

export const CHUNK_SIZE = 700;
export const CHUNK_OVERLAP = 150;

// Paragraphs first, then sentence ends, then clauses: chunks break between
// sentences whenever a sentence fits. Loaded on first use: the splitter's
// imports cost ~0.13 s, which `akhbar ask` on a built index never needs.
let splitter: Promise<RecursiveCharacterTextSplitter> | undefined;

function getSplitter(): Promise<RecursiveCharacterTextSplitter> {
  splitter ??= import('@langchain/textsplitters').then(
    ({ RecursiveCharacterTextSplitter }) =>
      new RecursiveCharacterTextSplitter({
        chunkSize: CHUNK_SIZE,
        chunkOverlap: CHUNK_OVERLAP,
        separators: ['\n\n', '\n', '. ', '! ', '? ', '; ', ', ', ' ', ''],
        keepSeparator: true,
      }),
  );
  return splitter;
}

/** Splits an article's cleaned text and locates each piece in it (character offsets). */
export async function chunkArticle(article: Pick<Article, 'text'>): Promise<ChunkSpan[]> {
  const pieces = await (await getSplitter()).splitText(article.text);
  const spans: ChunkSpan[] = [];
  let from = 0;
  for (const raw of pieces) {
    const piece = raw.replace(/^[.!?;,]\s*/, '').trim();
    if (piece === '') continue;
    const start = article.text.indexOf(piece, from);
    if (start < 0) throw new Error(`chunk not found in article text: ${piece.slice(0, 60)}`);
    spans.push({ chunkNo: spans.length, start, end: start + piece.length });
    from = start + 1;
  }
  return spans;
}
