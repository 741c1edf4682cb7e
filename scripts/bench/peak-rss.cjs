// Preloaded (`node --require`) into a CLI process the benchmark runs: writes the
// process's peak resident set, in bytes, to AKHBAR_BENCH_RSS_FILE as it exits.
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.AKHBAR_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));
