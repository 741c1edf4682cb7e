// Time to add one article to an index of about 10,000 chunks with the local
// embedder, against a full rebuild. Run: npx tsx scripts/bench-add.ts [chunks]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { updateIndex } from '../src/index/index.js';
import { addSources } from '../src/ingest/add.js';
import { fetchLimits } from '../src/ingest/fetch-url.js';
import { scanCorpus } from '../src/ingest/index.js';
import { DEV_ARTICLES } from '../test/support/articles.js';
import { writeSyntheticArticles } from '../test/support/synthetic.js';

const target = Number(process.argv[2] ?? 10_000);
const settings = loadSettings({ ...process.env, EMBEDDINGS_PROVIDER: 'local' });
const embedder = await createEmbedder(settings);
const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-bench-add-'));
const corpus = path.join(dir, 'corpus');
const indexDir = path.join(dir, 'index');

const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const result = await work();
  return [result, performance.now() - t];
};

try {
  // About 4.3 chunks per synthetic article of 6 paragraphs; probe, then fill up to the target.
  writeSyntheticArticles(corpus, 50);
  const probe = await updateIndex({ indexDir, scan: await scanCorpus(corpus), embedder });
  const perArticle = probe.report.chunks / 50;
  writeSyntheticArticles(corpus, Math.ceil(target / perArticle));
  const [full, fullMs] = await time(async () => updateIndex({ indexDir, scan: await scanCorpus(corpus), embedder, rebuild: true }));
  console.log(`full rebuild: ${full.report.articles} articles, ${full.report.chunks} chunks in ${(fullMs / 1000).toFixed(2)} s`);

  const runs: number[] = [];
  const files = ['021-outsourcing-65-millions-dirhams-5050-emplois.md', '013-huawei-veut-lancer-5g-maroc.md', '043-morocco-attracts-1-2bn-sovereign-ai-factory.md'];
  for (const file of files) {
    const [[, report], ms] = await time(async () => {
      const outcome = await addSources(corpus, [path.join(DEV_ARTICLES, file)], fetchLimits(settings));
      const scanned = await scanCorpus(corpus);
      return [outcome, (await updateIndex({ indexDir, scan: scanned, embedder })).report] as const;
    });
    runs.push(ms);
    console.log(`add ${file}: ${report.added} added, ${report.chunks} chunks now; ${ms.toFixed(0)} ms (update step ${report.ms} ms)`);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  console.log(`add one article (copy + scan + incremental update), median of ${runs.length}: ${sorted[1]!.toFixed(0)} ms; full rebuild ${fullMs.toFixed(0)} ms`);
  // The same through the CLI: a fresh process also pays start-up and one parse of the whole corpus.
  const cliStart = performance.now();
  const cli = spawnSync(process.execPath, ['bin/akhbar.js', 'add', path.join(DEV_ARTICLES, '039-morocco-mistral-ai-sign-deal-digital-innovation.md'), '--corpus', corpus, '--index', indexDir], {
    env: { ...process.env, EMBEDDINGS_PROVIDER: 'local' },
    encoding: 'utf8',
  });
  console.log(`akhbar add (CLI process, end to end): ${(performance.now() - cliStart).toFixed(0)} ms — ${cli.stdout.trim().split('\n').at(-1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
