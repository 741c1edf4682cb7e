// Runs the real `akhbar` CLI as a child process without blocking this one, so
// a fake server in the test process can answer it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './cli.js';

export interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number>;
  /** Resolves once stderr matches `pattern` (rejects if the process exits first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILLs the child's whole process group (for teardown: nothing it started survives the test). */
  killGroup(): void;
}

export function spawnCli(args: string[], env: Record<string, string | undefined>): Child {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/akhbar.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local', DISCORD_GUILD_ID: '', ...env },
    // Its own process group, so killGroup() reaches whatever it spawns (shards…).
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    killGroup() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
    waitForStderr(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${err}`)), timeoutMs);
        const check = () => {
          const m = pattern.exec(err);
          if (m) {
            clearTimeout(timer);
            child.stderr!.off('data', check);
            resolve(m[0]);
          }
        };
        child.stderr!.on('data', check);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`exited before ${pattern}:\n${err}`));
        });
        check();
      });
    },
  };
}
