// The CLI paths users run, through the built `bin/akhbar.js` in fresh processes, on
// the synthetic articles written out as Markdown files: `ask` on the built index, a
// no-op `index` and `add` of one file. Each beside a bare `node -e 0` from the same
// rounds (interleaved, so machine load weighs on all alike): compare the ratios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../../src/types.js';
import { ROOT } from './corpus.js';

export interface CliPaths {
  node: number[];
  ask: number[];
  noopIndex: number[];
  add: number[];
}

const NEW_ARTICLE = path.join(ROOT, 'eval/articles-dev/001-maroc-digital-2030-strategie-offensive.md');

function run(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.slice(1).join(' ')} failed: ${r.stderr}`);
  return performance.now() - t;
}

export function cliPaths(work: string, articles: Article[], questions: string[], rounds: number): CliPaths {
  const corpus = path.join(work, 'cli-corpus');
  const index = path.join(work, 'cli-index');
  rmSync(corpus, { recursive: true, force: true });
  rmSync(index, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  for (const a of articles) {
    const front = Object.entries({ title: a.title, source: a.source, url: a.url, date: a.date, lang: a.lang }).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    writeFileSync(path.join(corpus, a.file), `---\n${front.join('\n')}\n---\n${a.text}\n`);
  }
  const cli = (...args: string[]) => run([path.join(ROOT, 'bin/akhbar.js'), ...args, '--corpus', corpus, '--index', index]);
  cli('index');
  const out: CliPaths = { node: [], ask: [], noopIndex: [], add: [] };
  for (let r = 0; r < rounds; r++) {
    out.node.push(run(['-e', '0']));
    out.ask.push(cli('ask', questions[r % questions.length]!));
    out.noopIndex.push(cli('index'));
    out.add.push(cli('add', NEW_ARTICLE));
    // Back to the same corpus for the next round (not timed).
    rmSync(path.join(corpus, path.basename(NEW_ARTICLE)));
    cli('index');
  }
  return out;
}
