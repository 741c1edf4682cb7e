// Preloaded (`node --require`) into a CLI process the benchmark runs: writes the
// process's peak resident set to AKHBAR_BENCH_RSS_FILE as it exits, as JSON with
// where the memory was when it was sampled nearest that peak (every 250 ms): the
// main thread's JS heap, memory outside it that JS holds (buffers, typed arrays),
// and the rest (hnswlib's graph, the preparation thread, code), in bytes.
const { writeFileSync } = require('node:fs');

const SAMPLE_MS = 250;
let atPeak = { rss: 0, heapTotal: 0, external: 0 };
const sample = () => {
  const { rss, heapTotal, external } = process.memoryUsage();
  if (rss >= atPeak.rss) atPeak = { rss, heapTotal, external };
};
setInterval(sample, SAMPLE_MS).unref();

process.on('exit', () => {
  sample();
  const peak = process.resourceUsage().maxRSS * 1024;
  const { heapTotal, external, rss } = atPeak;
  writeFileSync(process.env.AKHBAR_BENCH_RSS_FILE, JSON.stringify({ peak, sampledRss: rss, heapTotal, external, other: rss - heapTotal - external }));
});
