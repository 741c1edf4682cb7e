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
    /** Before what the articles say about a subject when they don't give the fact asked. */
    factAbsent: 'Les articles ne donnent pas cette information. Voici ce qu’ils disent à ce sujet :',
    yes: 'Oui, d’après les articles :',
    no: 'Non, d’après les articles :',
    sourcesDiffer: (figure: string, n: number) => `(${figure} selon [${n}] : les sources divergent)`,
    resolvedDate: (date: string) => `(soit ${date})`,
    inBrief: 'En bref :',
    published: (title: string, outlet: string, date: string) => `« ${title} » a été publié par **${outlet}**${date ? `, le ${date}` : ''}`,
    publishedOn: (title: string, date: string) => `« ${title} » est daté du **${date}**`,
    wroteBy: (author: string, title: string) => `« ${title} » est signé **${author}**`,
    metaUnknown: (what: string, title: string) => `L’article « ${title} » n’indique pas ${what}.`,
    metaWhat: { outlet: 'son média', author: 'son auteur', published: 'sa date de publication' },
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
    factAbsent: 'The articles don’t give that. Here is what they say on the subject:',
    yes: 'Yes, according to the articles:',
    no: 'No, according to the articles:',
    sourcesDiffer: (figure: string, n: number) => `(${figure} according to [${n}]: the sources differ)`,
    resolvedDate: (date: string) => `(that is, ${date})`,
    inBrief: 'In brief:',
    published: (title: string, outlet: string, date: string) => `“${title}” was published by **${outlet}**${date ? ` on ${date}` : ''}`,
    publishedOn: (title: string, date: string) => `“${title}” is dated **${date}**`,
    wroteBy: (author: string, title: string) => `“${title}” was written by **${author}**`,
    metaUnknown: (what: string, title: string) => `The article “${title}” doesn’t say ${what}.`,
    metaWhat: { outlet: 'which outlet published it', author: 'who wrote it', published: 'when it was published' },
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

/** The colon before a quote: French typography puts a space before it. */
export function colon(lang: Lang): string {
  return lang === 'fr' ? ' :' : ':';
}
