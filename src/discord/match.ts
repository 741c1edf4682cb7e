// Loose matching of typed titles: no case, no accents, no punctuation.
import { fold } from '../text/analyze.js';

export function foldForMatch(text: string): string {
  return fold(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
