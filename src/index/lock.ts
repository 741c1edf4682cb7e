// One index writer at a time, across processes. The lock file names its owner
// by pid, process start time and boot id: a lock whose process is gone, or whose
// pid now belongs to another process (pids are reused: pid 1 in a container
// after a restart), is taken over, so a crash never wedges indexing.
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { indexWriteError } from './write-error.js';

export class IndexBusyError extends Error {}

interface LockOwner {
  pid: number;
  /** Start time of the process (clock ticks since boot, from /proc); absent where /proc isn't. */
  started?: string;
  boot?: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What tells this process apart from a later one given the same pid (Linux; elsewhere nothing). */
async function identityOf(pid: number): Promise<Pick<LockOwner, 'started' | 'boot'>> {
  const procStat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Fields after the command name, which may itself hold spaces and parentheses: starttime is the 20th.
  const started = procStat?.slice(procStat.lastIndexOf(')') + 2).split(' ')[19];
  const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
  return { started, boot: boot || undefined };
}

let ownRecord: Promise<string> | undefined;
function ownLockRecord(): Promise<string> {
  ownRecord ??= identityOf(process.pid).then((identity) => JSON.stringify({ pid: process.pid, ...identity }));
  return ownRecord;
}

/** The owner a lock file names: a JSON record, or a bare pid (locks written by older versions). */
function parseOwner(raw: string): LockOwner | undefined {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** True while the process that wrote the lock still runs (not merely some process with its pid). */
async function ownerRuns(owner: LockOwner): Promise<boolean> {
  if (!isAlive(owner.pid)) return false;
  if (owner.started === undefined) return true; // a bare pid: that is all we can check
  const now = await identityOf(owner.pid);
  if (now.started === undefined) return true;
  return now.started === owner.started && now.boot === owner.boot;
}

/**
 * Removes a stale lock. Two waiters may both see it stale: the takeover file
 * lets only one of them re-check and remove it, so nobody ever removes a lock a
 * live process has just taken.
 */
async function breakStaleLock(file: string, staleRecord: string): Promise<void> {
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
    if ((await readFile(file, 'utf8').catch(() => undefined)) === staleRecord) await rm(file, { force: true });
  } finally {
    await rm(takeover, { force: true });
  }
}

async function tryAcquire(file: string): Promise<boolean> {
  const record = await ownLockRecord();
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(record);
    } catch (error) {
      await handle.close();
      await rm(file, { force: true });
      throw indexWriteError(path.dirname(file), error);
    }
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raw = await readFile(file, 'utf8').catch(() => undefined);
    if (raw === undefined) return false; // removed meanwhile: try again
    const owner = parseOwner(raw);
    if (owner && (await ownerRuns(owner))) return false;
    // An unreadable record may be a lock being written right now: stale only once it has aged.
    if (owner) await breakStaleLock(file, raw);
    else if (Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? Date.now()) > 5_000) await breakStaleLock(file, raw);
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
