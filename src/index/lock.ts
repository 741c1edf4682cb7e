// One index writer at a time, across processes. The lock file holds the owner's
// pid; a lock whose process is gone is taken over, so a crash never wedges indexing.
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { indexWriteError } from './write-error.js';

export class IndexBusyError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8').catch(() => '')).trim());
}

/**
 * Removes a lock whose owner is dead. Two waiters may both see it dead: the
 * takeover file lets only one of them re-check and remove it, so nobody ever
 * removes a lock a live process has just taken.
 */
async function breakStaleLock(file: string, deadOwner: number): Promise<void> {
  const takeover = `${file}.takeover`;
  try {
    await (await open(takeover, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A takeover file older than a few seconds was left by a crash mid-takeover.
    const age = Date.now() - ((await stat(takeover).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (age > 5_000) await rm(takeover, { force: true });
    return;
  }
  try {
    if ((await ownerOf(file)) === deadOwner) await rm(file, { force: true });
  } finally {
    await rm(takeover, { force: true });
  }
}

async function tryAcquire(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(String(process.pid));
    } catch (error) {
      await handle.close();
      await rm(file, { force: true });
      throw indexWriteError(path.dirname(file), error);
    }
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = await ownerOf(file);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) return false;
    // An empty file may be a lock being written right now: only a dead pid is stale.
    if (owner > 0) await breakStaleLock(file, owner);
    else if (Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? Date.now()) > 5_000) await breakStaleLock(file, owner);
    return false;
  }
}

/** Runs `work` holding INDEX_DIR/.lock; waits for another live writer up to `waitMs`. */
export async function withIndexLock<T>(indexDir: string, work: () => Promise<T>, waitMs = 120_000): Promise<T> {
  await mkdir(indexDir, { recursive: true }).catch((error) => {
    throw indexWriteError(indexDir, error);
  });
  const file = path.join(indexDir, '.lock');
  const deadline = Date.now() + waitMs;
  while (!(await tryAcquire(file))) {
    if (Date.now() > deadline) throw new IndexBusyError(`Another process is updating the index in ${indexDir}; try again when it has finished.`);
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}
