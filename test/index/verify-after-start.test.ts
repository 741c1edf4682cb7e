// The check a long-running bot makes once it answers: every byte of the live
// generation against the manifest's CRCs, on a real index on disk, without
// loading it. A load trusts files that kept their stamp; this catches the rest.
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { createEmbedder } from '../../src/embeddings/index.js';
import { updateIndex, verifyLiveFiles } from '../../src/index/index.js';
import { scanCorpus } from '../../src/ingest/index.js';
import { scratchCorpus } from '../support/cli.js';

const live = (index: string) => path.join(index, readFileSync(path.join(index, 'CURRENT'), 'utf8').trim());

/** Flips one byte in the middle of a file, keeping its size. */
function flipByte(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const byte = Buffer.alloc(1);
    const at = Math.floor(readFileSync(file).length / 2);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(fd, byte, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

describe('the full index check after start', () => {
  it('finds nothing wrong in an intact index, and names the file whose bytes changed', async () => {
    const scratch = scratchCorpus();
    const embedder = await createEmbedder(loadSettings({ EMBEDDINGS_PROVIDER: 'local' }));
    await updateIndex({ indexDir: scratch.index, scan: await scanCorpus(scratch.corpus), embedder, searches: 'none' });
    expect(await verifyLiveFiles(scratch.index)).toBeUndefined();

    flipByte(path.join(live(scratch.index), 'keyword.bin'));
    const problem = await verifyLiveFiles(scratch.index);
    expect(problem?.message).toMatch(/keyword\.bin: checksum mismatch.*akhbar index --rebuild/);
  });

  it('has nothing to check where there is no index yet', async () => {
    expect(await verifyLiveFiles(path.join(scratchCorpus().index, 'none'))).toBeUndefined();
  });
});
