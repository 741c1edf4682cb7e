import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';
import { HnswStore } from '../../src/index/index.js';
import { IndexBusyError, withIndexLock } from '../../src/index/lock.js';
import { ROOT, runCli, scratchCorpus } from '../support/cli.js';
import { chunkIdsByArticle } from '../support/snapshot.js';
import { writeSyntheticArticles } from '../support/synthetic.js';

const QUESTION = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";

/** Starts an index update in a child process and SIGKILLs it when `killWhen` sees its state. */
function crashUpdate(corpus: string, index: string, killWhen: (stdout: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/update-child.ts'), corpus, index], { cwd: ROOT });
    let out = '';
    const poll = setInterval(() => {
      if (killWhen(out)) child.kill('SIGKILL');
    }, 2);
    child.stdout.on('data', (d) => {
      out += d;
      if (killWhen(out)) child.kill('SIGKILL');
    });
    child.on('exit', () => {
      clearInterval(poll);
      resolve(out);
    });
  });
}

function engineFor(scratch: { corpus: string; index: string }) {
  return Akhbar.open(loadSettings({ CORPUS_DIR: scratch.corpus, INDEX_DIR: scratch.index, EMBEDDINGS_PROVIDER: 'local' }));
}

describe('never dark, never corrupt', () => {
  it.each([
    ['while embedding', (out: string) => out.includes('progress')],
    ['while writing the new generation', (_out: string, index?: string) => readdirSync(index!).some((f) => f.endsWith('.tmp'))],
  ])('a writer killed %s leaves the old index loadable and serving, and the next update recovers', async (_when, at) => {
    const scratch = scratchCorpus();
    expect(runCli(['index', '--corpus', scratch.corpus, '--index', scratch.index]).code).toBe(0);
    const before = chunkIdsByArticle(scratch.index);
    writeSyntheticArticles(scratch.corpus, 400);

    const out = await crashUpdate(scratch.corpus, scratch.index, (o) => at(o, scratch.index));
    expect(out).not.toContain('done');
    expect(existsSync(path.join(scratch.index, '.lock'))).toBe(true); // left behind by the dead writer

    const store = await HnswStore.load(scratch.index);
    expect(store!.articles()).toHaveLength(5);
    expect(chunkIdsByArticle(scratch.index)).toEqual(before);
    const answer = await (await engineFor(scratch)).ask(QUESTION);
    expect(answer.answer).toMatch(/1[ \u00a0\u202f]?500/);

    const r = runCli(['index', '--json', '--corpus', scratch.corpus, '--index', scratch.index]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ articles: 405, added: 400 });
    expect(readdirSync(scratch.index).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('runs two updates one after the other, never at once', async () => {
    const dir = scratchCorpus().index;
    let inside = 0;
    let overlap = false;
    const work = async () => {
      inside++;
      overlap ||= inside > 1;
      await new Promise((r) => setTimeout(r, 150));
      inside--;
    };
    await Promise.all([withIndexLock(dir, work), withIndexLock(dir, work), withIndexLock(dir, work)]);
    expect(overlap).toBe(false);
  });

  it('waits for a live writer of another process and gives up with a clear error', async () => {
    const dir = scratchCorpus().index;
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await withIndexLock(dir, async () => undefined, 0).catch(() => undefined);
      writeFileSync(path.join(dir, '.lock'), String(sleeper.pid));
      await expect(withIndexLock(dir, async () => 'ran', 300)).rejects.toThrow(IndexBusyError);
      await expect(withIndexLock(dir, async () => 'ran', 300)).rejects.toThrow(/Another process is updating the index/);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = scratchCorpus().index;
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    await withIndexLock(dir, async () => undefined);
    writeFileSync(path.join(dir, '.lock'), String(dead.pid));
    await expect(withIndexLock(dir, async () => 'ran', 5_000)).resolves.toBe('ran');
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
  });

  // Process start times come from /proc: elsewhere a lock names its writer by pid alone.
  it.skipIf(process.platform !== 'linux')('takes over a lock whose pid now belongs to another process (a reused pid), and respects a live writer', async () => {
    const dir = scratchCorpus().index;
    const script = `
      import { withIndexLock } from './src/index/lock.ts';
      await withIndexLock(${JSON.stringify(dir)}, async () => {
        console.log('locked');
        setInterval(() => undefined, 1_000);
        await new Promise(() => undefined);
      });`;
    const writer = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, detached: true });
    let unrelated: ReturnType<typeof spawn> | undefined;
    try {
      await new Promise<void>((resolve) => writer.stdout.on('data', (d) => String(d).includes('locked') && resolve()));
      // Started after the writer took the lock, so in a later clock tick: its start time tells it apart.
      unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { detached: true });
      await expect(withIndexLock(dir, async () => 'ran', 300)).rejects.toThrow(IndexBusyError);
      writer.kill('SIGKILL');
      await new Promise((r) => writer.on('exit', r));
      // As after a restart in a container: the dead writer's pid now runs something else.
      const lock = path.join(dir, '.lock');
      const record = JSON.parse(readFileSync(lock, 'utf8'));
      expect(record.pid).toBe(writer.pid);
      writeFileSync(lock, JSON.stringify({ ...record, pid: unrelated.pid }));
      await expect(withIndexLock(dir, async () => 'ran', 5_000)).resolves.toBe('ran');
      expect(existsSync(lock)).toBe(false);
    } finally {
      for (const child of [writer, unrelated].filter((c) => c !== undefined)) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });

  it('keeps answering from the old index while an update runs', async () => {
    const scratch = scratchCorpus();
    const engine = await engineFor(scratch);
    writeSyntheticArticles(scratch.corpus, 300);
    let finished = false;
    const update = engine.reindex().then((report) => {
      finished = true;
      return report;
    });
    const answer = await engine.ask(QUESTION);
    expect(finished).toBe(false);
    expect(answer.answer).toMatch(/1[ \u00a0\u202f]?500/);
    expect((await engine.stats()).articles).toBe(5);
    expect(await update).toMatchObject({ added: 300 });
    expect((await engine.stats()).articles).toBe(305);
  });
});
