import type { Article } from '../types.js';

export interface ChunkSpan {
  chunkNo: number;
  start: number;
  end: number;
}

export const CHUNK_SIZE = 700;
export const CHUNK_OVERLAP = 150;

// Paragraphs first, then sentence ends, then clauses: chunks break between
// sentences whenever a sentence fits. This is LangChain's RecursiveCharacterTextSplitter
// with these separators and keepSeparator, written out (a test holds the two equal on
// real articles): importing it loads @langchain/core, ~0.3 s that adding one file to
// the corpus would pay for a few string splits.
const SEPARATORS = ['\n\n', '\n', '. ', '! ', '? ', '; ', ', ', ' ', ''];

/** Pieces of `text` cut before each `separator` (which starts the next piece); '' cuts between UTF-16 code units. */
function splitBefore(text: string, separator: string): string[] {
  const pieces = separator ? text.split(new RegExp(`(?=${separator.replace(/[/\-\\^$*+?.()|[\]{}]/g, '\\$&')})`)) : text.split('');
  return pieces.filter((p) => p !== '');
}

/** Consecutive pieces joined into chunks of at most CHUNK_SIZE; each chunk starts with up to CHUNK_OVERLAP characters of pieces ending the previous one. */
function merge(pieces: string[]): string[] {
  const chunks: string[] = [];
  const current: string[] = [];
  let total = 0;
  const emit = () => {
    const chunk = current.join('').trim();
    if (chunk !== '') chunks.push(chunk);
  };
  for (const piece of pieces) {
    if (total + piece.length > CHUNK_SIZE && current.length > 0) {
      emit();
      while (total > CHUNK_OVERLAP || (total + piece.length > CHUNK_SIZE && total > 0)) total -= current.shift()!.length;
    }
    current.push(piece);
    total += piece.length;
  }
  emit();
  return chunks;
}

/** Cuts at the first separator the text holds; a piece still too long is cut again at the finer separators. */
function split(text: string, separators: string[]): string[] {
  let separator = separators.at(-1)!;
  let finer: string[] | undefined;
  for (const [i, s] of separators.entries()) {
    if (s === '' || text.includes(s)) {
      separator = s;
      if (s !== '') finer = separators.slice(i + 1);
      break;
    }
  }
  const chunks: string[] = [];
  let fitting: string[] = [];
  for (const piece of splitBefore(text, separator)) {
    if (piece.length < CHUNK_SIZE) {
      fitting.push(piece);
      continue;
    }
    if (fitting.length) chunks.push(...merge(fitting));
    fitting = [];
    chunks.push(...(finer ? split(piece, finer) : [piece]));
  }
  if (fitting.length) chunks.push(...merge(fitting));
  return chunks;
}

/** Splits an article's cleaned text and locates each piece in it (character offsets). */
export async function chunkArticle(article: Pick<Article, 'text'>): Promise<ChunkSpan[]> {
  const spans: ChunkSpan[] = [];
  let from = 0;
  for (const raw of split(article.text, SEPARATORS)) {
    const piece = raw.replace(/^[.!?;,]\s*/, '').trim();
    if (piece === '') continue;
    const start = article.text.indexOf(piece, from);
    if (start < 0) throw new Error(`chunk not found in article text: ${piece.slice(0, 60)}`);
    spans.push({ chunkNo: spans.length, start, end: start + piece.length });
    from = start + 1;
  }
  return spans;
}
