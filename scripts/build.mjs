// `npm run build`: the CLI bundled into dist/ by esbuild. A fresh process then loads a
// handful of files instead of ~100 modules (about a third of `akhbar ask`'s start-up),
// and each lazily imported part (the bot, an LLM, fetching, Postgres) stays its own
// file, loaded only by the commands that use it. Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SNOWBALL_FILE, snowballForBuild } from './snowball-build.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Packages bundled with our code: small pure JavaScript on the common paths (stopword's ES
 * modules let the bundle keep only its French and English lists). The others load from
 * node_modules: native addons (hnswlib-node, onnxruntime), and big ones only some commands need.
 */
const BUNDLED = new Set(['dotenv', 'snowball-stemmers', 'stopword', 'yaml']);

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.has(packageName(args.path)) ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Node's own modules are required, not imported: for an import Node builds a facade
 * that reads every export once, and node:fs's lazy getters then load all of Node's
 * streams, whatever the command needs (~10 ms of every fresh process).
 */
const builtinsRequired = {
  name: 'builtins-required',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.namespace === 'builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/** The glossary's stem links and the analyzer's fingerprint, computed by the text analysis code itself (bundled on its own and run). */
async function builtAnalyzer() {
  // Inside the project, so that its packages resolve.
  const file = path.join(ROOT, 'dist', `analyzer-built-${process.pid}.mjs`);
  try {
    await build({ absWorkingDir: ROOT, entryPoints: ['src/text/analyze.ts'], outfile: file, bundle: true, format: 'esm', platform: 'node', plugins: [externalPackages], logLevel: 'warning' });
    const { analyzerForBuild } = await import(pathToFileURL(file).href);
    return analyzerForBuild();
  } finally {
    await rm(file, { force: true });
  }
}

const analyzer = await builtAnalyzer();
const snowball = snowballForBuild();
// dist/ is not emptied first: a running bot still finds the files its lazy imports name (chunk names change with their content).
await build({
  absWorkingDir: ROOT,
  // The workers are their own entries: parse-thread.ts and prepare-thread.ts start them from the file beside their chunk.
  entryPoints: { 'cli/main': 'src/cli/main.ts', 'cli/parse-worker': 'src/ingest/parse-worker.ts', 'cli/prepare-worker': 'src/index/prepare-worker.ts' },
  outdir: 'dist',
  // Beside main.js: code that finds bin/ from its own folder (src/discord/shards.ts) sits at the same depth.
  chunkNames: 'cli/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  // Bundled CommonJS (dotenv) calls require() for Node's own modules.
  banner: { js: "import { createRequire as akhbarCreateRequire } from 'node:module'; const require = akhbarCreateRequire(import.meta.url);" },
  plugins: [
    builtinsRequired,
    externalPackages,
    {
      name: 'built-analyzer',
      setup(b) {
        b.onLoad({ filter: /src\/text\/analyzer-built\.ts$/ }, () => ({ contents: `export const BUILT_ANALYZER = ${JSON.stringify(analyzer)};`, loader: 'js' }));
      },
    },
    {
      name: 'snowball-for-build',
      setup(b) {
        b.onLoad({ filter: /snowball-stemmers\.js$/ }, (args) => (args.path === SNOWBALL_FILE ? { contents: snowball, loader: 'js' } : undefined));
      },
    },
  ],
  logLevel: 'warning',
});
