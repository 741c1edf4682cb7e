// Everything the bot says about itself (not answers), in French and English.
import type { IndexReport, Lang } from '../types.js';

const TEXT = {
  fr: {
    apology: (id: string) => `Désolé, quelque chose s’est mal passé de mon côté. Si cela se reproduit, signalez l’incident \`${id}\` à un administrateur.`,
    rateLimited: (perMinute: number, seconds: number) =>
      `Doucement 🙂 Vous pouvez poser ${perMinute} questions par minute : réessayez dans ${seconds} s.`,
    emptyQuestion: 'Posez-moi une question sur les articles, par exemple : « Combien d’emplois Inetum va-t-il créer ? »',
    notAdmin: 'Cette commande est réservée aux personnes qui peuvent gérer le serveur.',
    guildOnly: 'Cette commande ne fonctionne que sur un serveur.',
    unknownCommand: (name: string) => `Je ne connais pas (ou plus) la commande \`/${name}\`. Tapez \`/aide\` pour voir celles que je comprends.`,
    stopping: 'Je redémarre : reposez votre question dans un instant.',
    reindexed: (r: IndexReport) =>
      `Index à jour : ${r.articles} articles, ${r.chunks} passages (${r.added} ajoutés, ${r.updated} modifiés, ${r.removed} supprimés) en ${r.ms} ms.`,
    feedbackThanks: 'Merci pour votre avis !',
    feedbackGone: 'Je ne retrouve plus cette réponse (le bot a peut-être redémarré) : votre avis n’a pas été enregistré.',
    noHits: 'Aucun passage ne correspond.',
    noArticles: 'Aucun article n’est indexé pour l’instant.',
    articleNotFound: (t: string) => `Je ne trouve pas d’article « ${t} ». Choisissez un titre dans la liste proposée.`,
    page: (n: number, total: number, count: number) => `Page ${n}/${total} · ${count} articles`,
    previous: 'Précédent',
    next: 'Suivant',
    statsTitle: 'Statistiques',
    stats: { articles: 'Articles', chunks: 'Passages', embedder: 'Embeddings', answerMode: 'Réponses', uptime: 'En ligne depuis', answered: 'Questions répondues' },
    articleFields: { source: 'Média', date: 'Date', lang: 'Langue', author: 'Auteur' },
    help: [
      '**akhbar** répond à vos questions sur les articles indexés, en citant ses sources.',
      '`/demander question` : une réponse avec sources numérotées (`prive` pour une réponse visible de vous seul)',
      '`/chercher requete` : les passages les plus proches, sans réponse',
      '`/sources` : les articles indexés · `/article titre` : un article',
      '`/statistiques` : l’état du bot · `/reindexer` : relire le corpus · `/ajouter url` : ajouter un article (gestionnaires du serveur)',
      'Vous pouvez aussi me mentionner, m’écrire en privé, ou répondre à une de mes réponses pour préciser.',
    ].join('\n'),
  },
  en: {
    apology: (id: string) => `Sorry, something went wrong on my side. If it happens again, report incident \`${id}\` to an administrator.`,
    rateLimited: (perMinute: number, seconds: number) => `Easy 🙂 You can ask ${perMinute} questions a minute: try again in ${seconds} s.`,
    emptyQuestion: 'Ask me something about the articles, for example: “How many jobs will Inetum create?”',
    notAdmin: 'This command is for people who can manage the server.',
    guildOnly: 'This command only works in a server.',
    unknownCommand: (name: string) => `I don’t know (or no longer know) the command \`/${name}\`. Type \`/help\` to see the ones I understand.`,
    stopping: 'I’m restarting: ask again in a moment.',
    reindexed: (r: IndexReport) =>
      `Index up to date: ${r.articles} articles, ${r.chunks} passages (${r.added} added, ${r.updated} updated, ${r.removed} removed) in ${r.ms} ms.`,
    feedbackThanks: 'Thanks for your feedback!',
    feedbackGone: 'I no longer have this answer (the bot may have restarted): your feedback was not recorded.',
    noHits: 'No matching passages.',
    noArticles: 'No articles are indexed yet.',
    articleNotFound: (t: string) => `I can’t find an article “${t}”. Pick a title from the suggestions.`,
    page: (n: number, total: number, count: number) => `Page ${n}/${total} · ${count} articles`,
    previous: 'Previous',
    next: 'Next',
    statsTitle: 'Statistics',
    stats: { articles: 'Articles', chunks: 'Passages', embedder: 'Embeddings', answerMode: 'Answers', uptime: 'Up for', answered: 'Questions answered' },
    articleFields: { source: 'Outlet', date: 'Date', lang: 'Language', author: 'Author' },
    help: [
      '**akhbar** answers your questions about the indexed articles, citing its sources.',
      '`/ask question`: an answer with numbered sources (`private` for an answer only you see)',
      '`/search query`: the closest passages, no answer',
      '`/sources`: the indexed articles · `/article title`: one article',
      '`/stats`: the bot’s state · `/reindex`: re-read the corpus · `/add url`: add an article (server managers)',
      'You can also mention me, DM me, or reply to one of my answers to follow up.',
    ].join('\n'),
  },
};

export type Text = (typeof TEXT)['fr'];

export function text(lang: Lang): Text {
  return TEXT[lang];
}

/** Discord locales are like "fr", "en-US", "en-GB". */
export function langOf(locale: string | null | undefined): Lang {
  return locale?.startsWith('fr') ? 'fr' : 'en';
}
