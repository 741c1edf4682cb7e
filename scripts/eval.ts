// `npm run eval`: retrieval and answer figures on the dev sets, with the
// configured embedder (EMBEDDINGS_PROVIDER, default local). Each set gets a
// fresh corpus and index in a temporary folder.
//   --save FILE      write every figure as JSON
//   --compare FILE   print every figure beside the one saved in FILE
//   --misses         list the natural questions answered wrongly
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { loadSettings } from '../src/config.js';
import { Akhbar } from '../src/core/engine.js';
import { dropSharedStore } from '../src/index/pg/index.js';
import { containsEvidence, formatEvaluation, runEvaluation, type EvalReport } from '../src/eval/evaluate.js';
import { isExpectedArticle, naturalFigures, scoreNatural, type NaturalItem, type NaturalScore } from '../src/eval/natural.js';

loadDotenv({ quiet: true });
const { values: args } = parseArgs({ options: { save: { type: 'string' }, compare: { type: 'string' }, misses: { type: 'boolean' } } });
const root = path.resolve(import.meta.dirname, '..');
const sets = [
  { name: 'dev.jsonl (seed corpus)', file: 'eval/dev.jsonl', extra: [] as string[] },
  { name: 'dev-articles.jsonl (seeds + articles-dev)', file: 'eval/dev-articles.jsonl', extra: ['eval/articles-dev'] },
  // Written before any tuning, never tuned on: the check that a change generalises.
  { name: 'holdout.jsonl (seeds + articles-dev, held out)', file: 'eval/holdout.jsonl', extra: ['eval/articles-dev'] },
  { name: 'natural-dev.jsonl (seeds + articles-dev, chat-style)', file: 'eval/natural-dev.jsonl', extra: ['eval/articles-dev'], natural: true },
];

type Figures = Record<string, Record<string, number>>;
const figures: Record<string, Figures> = {};

function factFigures(r: EvalReport): Figures {
  const out: Figures = {};
  for (const [lang, m] of Object.entries(r.retrieval)) out[`retrieval ${lang}`] = { 'r@1': m.recall1, 'r@5': m.recall5, MRR: m.mrr };
  const a = r.answers;
  out.answers = { correct: a.correct / Math.max(1, a.checked), 'false refusals': a.falseRefusals, 'unanswerable refused': a.refused / Math.max(1, a.unanswerable) };
  return out;
}

async function runNatural(engine: Akhbar, file: string): Promise<{ scores: NaturalScore[]; retrieval: Figures }> {
  const items = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as NaturalItem & { evidence?: string });
  const articleText = async (id: string) => (await engine.getArticle(id))?.text;
  const scores: NaturalScore[] = [];
  // Rank of the passage holding the evidence, and of the first passage from a right article:
  // the answer stage reads the whole article, so the article's rank is what it depends on.
  const ranks = new Map<string, Array<{ evidence: number; article: number }>>();
  for (const item of items) {
    scores.push(await scoreNatural(item, await engine.ask(item.question), articleText));
    if (!item.evidence || !item.articles.length) continue;
    const hits = await engine.search(item.question, 5);
    const evidence = hits.findIndex((h) => containsEvidence(h.chunk.text, item.evidence!)) + 1;
    const article = hits.findIndex((h) => isExpectedArticle(item, h.article.id)) + 1;
    for (const key of [`retrieval ${item.lang}`, 'retrieval all']) ranks.set(key, [...(ranks.get(key) ?? []), { evidence, article }]);
  }
  const retrieval: Figures = {};
  for (const [key, list] of [...ranks].sort()) {
    const share = (test: (r: { evidence: number; article: number }) => boolean) => list.filter(test).length / list.length;
    retrieval[key] = {
      'r@1': share((r) => r.evidence === 1),
      'r@5': share((r) => r.evidence > 0),
      'article r@1': share((r) => r.article === 1),
      'article r@5': share((r) => r.article > 0),
    };
  }
  return { scores, retrieval };
}

function formatFigures(set: Figures, before: Figures | undefined): string {
  const columns = [...new Set(Object.values(set).flatMap((row) => Object.keys(row)))];
  const cell = (row: string, col: string) => {
    const now = set[row]?.[col];
    if (now === undefined || Number.isNaN(now)) return '';
    const show = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
    const old = before?.[row]?.[col];
    return old === undefined || Number.isNaN(old) || old === now ? show(now) : `${show(old)} → ${show(now)}`;
  };
  return [
    `| | ${columns.join(' | ')} |`,
    `| --- |${columns.map(() => ' --- |').join('')}`,
    ...Object.keys(set).map((row) => `| ${row} | ${columns.map((c) => cell(row, c)).join(' | ')} |`),
  ].join('\n');
}

const baseline = args.compare ? (JSON.parse(await readFile(args.compare, 'utf8')) as typeof figures) : undefined;
const work = await mkdtemp(path.join(tmpdir(), 'akhbar-eval-'));
try {
  for (const [i, set] of sets.entries()) {
    const corpus = path.join(work, `corpus-${i}`);
    await cp(path.join(root, 'corpus'), corpus, { recursive: true });
    for (const extra of set.extra) await cp(path.join(root, extra), corpus, { recursive: true });
    const settings = loadSettings({ ...process.env, CORPUS_DIR: corpus, INDEX_DIR: path.join(work, `index-${i}`) });
    if (settings.VECTOR_STORE === 'pgvector') {
      // Each set gets its own fresh tables in the shared database.
      settings.DATABASE_TABLE_PREFIX = `${settings.DATABASE_TABLE_PREFIX}eval${i}_`;
      await dropSharedStore(settings);
    }
    const started = performance.now();
    const engine = await Akhbar.open(settings);
    const buildMs = performance.now() - started;
    const stats = await engine.stats();
    console.log(`\n# ${set.name}: ${stats.articles} articles, ${stats.chunks} chunks, ${stats.embedder}, ${settings.VECTOR_STORE}, index built in ${buildMs.toFixed(0)} ms\n`);
    const file = path.join(root, set.file);
    if (set.natural) {
      const { scores, retrieval } = await runNatural(engine, file);
      figures[set.name] = { ...naturalFigures(scores), ...retrieval };
      console.log('correct, answered: shares of answerable questions; refused: of unanswerable and off-topic ones; language, verbatim: of all\n');
      console.log(formatFigures(figures[set.name]!, baseline?.[set.name]));
      const wrong = scores.filter((s) => (s.answerable ? !s.correct : !s.refusedRightly) || !s.languageMatches || !s.quotesVerbatim);
      if (args.misses) {
        console.log('\nmisses:');
        for (const s of wrong) {
          const why = s.answerable ? (s.answered ? `${s.citesRightArticle ? '' : 'wrong article; '}missing ${JSON.stringify(s.missingGroups.map((g) => g[0]))}` : 'refused') : 'answered';
          console.log(`- ${s.item.id} ${s.item.lang} ${s.item.kind} «${s.item.question}» ${why}${s.languageMatches ? '' : '; wrong language'}${s.quotesVerbatim ? '' : '; quote not verbatim'}`);
        }
      }
    } else {
      const report = await runEvaluation(engine, file);
      console.log(formatEvaluation('hybrid (answers included)', report));
      const f = factFigures(report);
      for (const mode of ['keyword', 'vector'] as const) {
        const r = await runEvaluation(engine, file, { mode, answers: false });
        for (const [lang, m] of Object.entries(r.retrieval)) f[`${mode}-only ${lang}`] = { 'r@1': m.recall1, 'r@5': m.recall5, MRR: m.mrr };
      }
      figures[set.name] = f;
      console.log(`\n${formatFigures(f, baseline?.[set.name])}`);
    }
    await engine.close();
  }
  if (args.save) await writeFile(args.save, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
