// The longest the event loop is held while a running engine re-indexes N new
// articles (default 300): what a Discord interaction arriving meanwhile waits
// before the bot can acknowledge it (Discord allows 3 s).
//   npx tsx scripts/bench-reindex-delay.ts [N]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadSettings } from '../src/config.js';
import { Akhbar } from '../src/core/engine.js';
import { parseOffThread } from '../src/ingest/parse-thread.js';
import { scratchCorpus } from '../test/support/cli.js';
import { writeSyntheticArticles } from '../test/support/synthetic.js';

const count = Number(process.argv[2] ?? 300);
// As the bot does: parsing on the worker thread.
parseOffThread();
const scratch = scratchCorpus();
const engine = await Akhbar.open(loadSettings({ CORPUS_DIR: scratch.corpus, INDEX_DIR: scratch.index, EMBEDDINGS_PROVIDER: 'local', LLM_PROVIDER: 'none' }));
writeSyntheticArticles(scratch.corpus, count);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
const report = await engine.reindex();
delay.disable();
const ms = (ns: number) => Math.round(ns / 1e6);
console.log(
  `re-indexed ${report.added} new articles in ${Math.round(performance.now() - started)} ms; ` +
    `event-loop delay: max ${ms(delay.max)} ms, p99 ${ms(delay.percentile(99))} ms, median ${ms(delay.percentile(50))} ms`,
);
await engine.close();
