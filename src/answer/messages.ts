// Every sentence the bot says on its own, in both languages.
import type { Lang } from '../types.js';

const MESSAGES = {
  fr: {
    according: 'D’après les articles :',
    /** Said when the quotes are in the other language than the question. */
    quotedIn: (quoteLang: Lang) => (quoteLang === 'en' ? '(Citation en anglais, telle quelle.)' : '(Citation en français, telle quelle.)'),
    notFound: 'Je n’ai pas trouvé la réponse à cette question dans les articles indexés.',
    closest: (titles: string[]) => `Les passages les plus proches portent sur : ${titles.map((t) => `« ${t} »`).join(', ')}.`,
    emptyCorpus: 'Aucun article n’est indexé pour l’instant.',
    truncated: (max: number) => `Votre question était trop longue : seuls ses ${max} premiers caractères ont été pris en compte.`,
    llmUnavailable: 'Le modèle de langage n’était pas disponible : voici une réponse extraite directement des articles.',
    llmUngrounded: 'La réponse générée ne citait pas correctement ses sources : voici une réponse extraite directement des articles.',
    sources: 'Sources',
  },
  en: {
    according: 'According to the articles:',
    quotedIn: (quoteLang: Lang) => (quoteLang === 'fr' ? '(Quoted verbatim, in French.)' : '(Quoted verbatim, in English.)'),
    notFound: 'I could not find the answer to this question in the indexed articles.',
    closest: (titles: string[]) => `The closest passages are about: ${titles.map((t) => `“${t}”`).join(', ')}.`,
    emptyCorpus: 'No articles are indexed yet.',
    truncated: (max: number) => `Your question was too long: only its first ${max} characters were used.`,
    llmUnavailable: 'The language model was unavailable, so here is an answer taken directly from the articles.',
    llmUngrounded: 'The generated answer did not cite its sources correctly, so here is an answer taken directly from the articles.',
    sources: 'Sources',
  },
} as const;

export type Messages = (typeof MESSAGES)[Lang];

export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}

/** Quotation marks of the answer's language around a quote in any language. */
export function quote(text: string, lang: Lang): string {
  return lang === 'fr' ? `« ${text} »` : `“${text}”`;
}
