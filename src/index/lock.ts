// One index writer at a time, across processes. The lock file holds the owner's
// pid; a lock whose process is gone is taken over, so a crash never wedges indexing.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
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
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) return false;
    await rm(file, { force: true });
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
