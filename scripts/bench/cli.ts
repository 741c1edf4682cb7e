// The CLI paths users run, through the built `bin/akhbar.js` in fresh processes, on
// the synthetic articles written out as Markdown files: building the index (time and
// peak RSS), `ask` on the built index beside its floor, a no-op `index` and `add` of
// one file. Each beside a floor from the same rounds (interleaved, so machine load
// weighs on all alike): compare the ratios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../../src/types.js';
import { ROOT } from './corpus.js';

export interface CliBuild {
  ms: number;
  /** Peak resident set of the `akhbar index` process (MB). */
  peakRssMb: number;
  /** Where the memory was at the sample nearest the peak (MB): the main thread's JS heap, memory JS holds outside it, the rest (hnswlib's graph, the preparation thread, code). */
  atPeak: { heapMb: number; externalMb: number; otherMb: number };
}

export interface CliPaths {
  node: number[];
  ask: number[];
  /** A bare process doing the least any ask must: see ask-floor.mjs. */
  askFloor: number[];
  noopIndex: number[];
  add: number[];
}

const NEW_ARTICLE = path.join(ROOT, 'eval/articles-dev/001-maroc-digital-2030-strategie-offensive.md');
const PEAK_RSS = path.join(ROOT, 'scripts/bench/peak-rss.cjs');

function run(args: string[], env: Record<string, string> = {}): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local', ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.slice(1).join(' ')} failed: ${r.stderr}`);
  return performance.now() - t;
}

/** The articles as Markdown files with front matter, as a user's corpus folder holds them. */
export function writeCorpus(corpus: string, articles: Article[]): void {
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  for (const a of articles) {
    const front = Object.entries({ title: a.title, source: a.source, url: a.url, date: a.date, lang: a.lang }).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    writeFileSync(path.join(corpus, a.file), `---\n${front.join('\n')}\n---\n${a.text}\n`);
  }
}

const akhbar = (corpus: string, index: string, ...args: string[]) => [path.join(ROOT, 'bin/akhbar.js'), ...args, '--corpus', corpus, '--index', index];

/** `akhbar index` from scratch on the corpus folder, with the process's peak RSS. */
export function cliBuild(corpus: string, index: string): CliBuild {
  rmSync(index, { recursive: true, force: true });
  const rssFile = `${index}.peak-rss`;
  const ms = run(['--require', PEAK_RSS, ...akhbar(corpus, index, 'index')], { AKHBAR_BENCH_RSS_FILE: rssFile });
  const rss = JSON.parse(readFileSync(rssFile, 'utf8')) as { peak: number; heapTotal: number; external: number; other: number };
  const mb = (bytes: number) => bytes / 2 ** 20;
  return { ms, peakRssMb: mb(rss.peak), atPeak: { heapMb: mb(rss.heapTotal), externalMb: mb(rss.external), otherMb: mb(rss.other) } };
}

/** `rounds` fresh processes of each path; `add` and the no-op `index` only when `writes` (they save a new generation each). */
export function cliPaths(corpus: string, index: string, questions: string[], rounds: number, writes: boolean): CliPaths {
  const cli = (...args: string[]) => run(akhbar(corpus, index, ...args));
  const out: CliPaths = { node: [], ask: [], askFloor: [], noopIndex: [], add: [] };
  for (let r = 0; r < rounds; r++) {
    out.node.push(run(['-e', '0']));
    out.askFloor.push(run([path.join(ROOT, 'scripts/bench/ask-floor.mjs'), index]));
    out.ask.push(cli('ask', questions[r % questions.length]!));
    if (!writes) continue;
    out.noopIndex.push(cli('index'));
    out.add.push(cli('add', NEW_ARTICLE));
    // Back to the same corpus for the next round (not timed).
    rmSync(path.join(corpus, path.basename(NEW_ARTICLE)));
    cli('index');
  }
  return out;
}
