// The longest the event loop is held while a running engine adds one big web
// page (default 4.75 MB of HTML, as `/add url:` does): fetch, article
// extraction, chunking, embedding and the index write. Discord allows 3 s to
// acknowledge an interaction that arrives meanwhile.
//   npx tsx scripts/bench-add-delay.ts [MB]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadSettings } from '../src/config.js';
import { Akhbar } from '../src/core/engine.js';
import { parseOffThread } from '../src/ingest/parse-thread.js';
import { bigArticlePage } from '../test/support/big-page.js';
import { send, startSite } from '../test/support/articles.js';
import { scratchCorpus } from '../test/support/cli.js';

const megabytes = Number(process.argv[2] ?? 4.75);
const page = bigArticlePage(Math.round(megabytes * 1_000_000));
const site = await startSite({ '/big': send('text/html', page) });
// As the bot does: parsing on the worker thread.
parseOffThread();
const scratch = scratchCorpus();
const engine = await Akhbar.open(
  loadSettings({ CORPUS_DIR: scratch.corpus, INDEX_DIR: scratch.index, EMBEDDINGS_PROVIDER: 'local', LLM_PROVIDER: 'none', FETCH_ALLOW_PRIVATE_HOSTS: 'true' }),
);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
const outcome = await engine.add([site.url('/big')]);
delay.disable();
const ms = (ns: number) => Math.round(ns / 1e6);
console.log(
  `added a ${(page.length / 1e6).toFixed(2)} MB page (${outcome.results[0]?.status ?? outcome.failures[0]?.message}; ${outcome.report?.chunks ?? '?'} chunks in the index) in ${Math.round(performance.now() - started)} ms; ` +
    `event-loop delay: max ${ms(delay.max)} ms, p99 ${ms(delay.percentile(99))} ms, median ${ms(delay.percentile(50))} ms`,
);
await engine.close();
await site.close();
