import { franc } from 'franc';
import type { Lang } from '../types.js';

// Restricted to the two languages we serve: unrestricted, franc calls short
// French questions Catalan or Italian (../shared/NOTES.md).
export function detectLanguage(text: string): Lang {
  return franc(text.slice(0, 2000), { only: ['fra', 'eng'], minLength: 1 }) === 'eng' ? 'en' : 'fr';
}
