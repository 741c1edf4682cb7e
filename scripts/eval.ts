// `npm run eval`: retrieval and answer figures on the dev sets, with the
// configured embedder (EMBEDDINGS_PROVIDER, default local). Each set gets a
// fresh corpus and index in a temporary folder.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { loadSettings } from '../src/config.js';
import { Akhbar } from '../src/core/engine.js';
import { dropSharedStore } from '../src/index/pg/index.js';
import { formatEvaluation, runEvaluation } from '../src/eval/evaluate.js';

loadDotenv({ quiet: true });
const root = path.resolve(import.meta.dirname, '..');
const sets = [
  { name: 'dev.jsonl (seed corpus)', file: 'eval/dev.jsonl', extra: [] as string[] },
  { name: 'dev-articles.jsonl (seeds + articles-dev)', file: 'eval/dev-articles.jsonl', extra: ['eval/articles-dev'] },
  // Written before any tuning, never tuned on: the check that a change generalises.
  { name: 'holdout.jsonl (seeds + articles-dev, held out)', file: 'eval/holdout.jsonl', extra: ['eval/articles-dev'] },
];

const work = await mkdtemp(path.join(tmpdir(), 'akhbar-eval-'));
try {
  for (const set of sets) {
    const corpus = path.join(work, `corpus-${sets.indexOf(set)}`);
    await cp(path.join(root, 'corpus'), corpus, { recursive: true });
    for (const extra of set.extra) await cp(path.join(root, extra), corpus, { recursive: true });
    const settings = loadSettings({ ...process.env, CORPUS_DIR: corpus, INDEX_DIR: path.join(work, `index-${sets.indexOf(set)}`) });
    if (settings.VECTOR_STORE === 'pgvector') {
      // Each set gets its own fresh tables in the shared database.
      settings.DATABASE_TABLE_PREFIX = `${settings.DATABASE_TABLE_PREFIX}eval${sets.indexOf(set)}_`;
      await dropSharedStore(settings);
    }
    const started = performance.now();
    const engine = await Akhbar.open(settings);
    const buildMs = performance.now() - started;
    const stats = await engine.stats();
    console.log(`\n# ${set.name}: ${stats.articles} articles, ${stats.chunks} chunks, ${stats.embedder}, ${settings.VECTOR_STORE}, index built in ${buildMs.toFixed(0)} ms\n`);
    const file = path.join(root, set.file);
    console.log(formatEvaluation('hybrid (answers included)', await runEvaluation(engine, file)));
    for (const mode of ['keyword', 'vector'] as const) {
      const r = await runEvaluation(engine, file, { mode, answers: false });
      const f = (x: number | undefined) => (x ?? 0).toFixed(3);
      const row = (l: string) => `${l} r@1 ${f(r.retrieval[l]?.recall1)} r@5 ${f(r.retrieval[l]?.recall5)} MRR ${f(r.retrieval[l]?.mrr)}`;
      console.log(`\n${mode}-only retrieval: ${['fr', 'en', 'all'].filter((l) => r.retrieval[l]).map(row).join(' | ')}`);
    }
    await engine.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
