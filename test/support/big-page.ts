// A news page of several megabytes, as some sites serve them: a long article
// wrapped in heavy markup (inline script state, a long list of teasers).
import { devSentences } from './synthetic.js';

/** About `bytes` of HTML whose article is `articleParagraphs` paragraphs of real sentences. */
export function bigArticlePage(bytes: number, articleParagraphs = 300): string {
  const sentences = devSentences();
  const paragraphs = Array.from({ length: articleParagraphs }, (_, i) => Array.from({ length: 4 }, (_, j) => sentences[(i * 7 + j * 13) % sentences.length]).join(' '));
  const head = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le grand dossier du numérique | Le Quotidien</title>
<meta property="og:title" content="Le grand dossier du numérique"><meta property="og:site_name" content="Le Quotidien">
<meta property="article:published_time" content="2025-03-14T08:00:00Z"></head><body><nav><a href="/">Accueil</a> <a href="/eco">Économie</a></nav>
<main><article><h1>Le grand dossier du numérique</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></main><aside><ul>`;
  const tail = `</ul></aside><footer>© Le Quotidien</footer></body></html>`;
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const teaser = `<li class="teaser"><a href="/article/${i}"><img src="/img/${i}.jpg" alt=""><span>${sentences[i % sentences.length]!.slice(0, 80)}</span></a></li>\n`;
    parts.push(teaser);
    size += teaser.length;
  }
  parts.push(tail);
  return parts.join('');
}
