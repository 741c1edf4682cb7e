// Child process for crash tests: runs one index update and reports each step on
// stdout, so the parent can kill it (SIGKILL) at a known point.
import { createEmbedder } from '../../src/embeddings/index.js';
import { updateIndex } from '../../src/index/index.js';
import { loadSettings } from '../../src/config.js';
import { scanCorpus } from '../../src/ingest/index.js';

const [corpus, index] = process.argv.slice(2) as [string, string];
const settings = loadSettings({ EMBEDDINGS_PROVIDER: 'local' });
const scan = await scanCorpus(corpus);
process.stdout.write('locked\n');
await updateIndex({
  indexDir: index,
  scan,
  embedder: await createEmbedder(settings),
  onProgress: (done, total) => process.stdout.write(`progress ${done}/${total}\n`),
});
process.stdout.write('done\n');
