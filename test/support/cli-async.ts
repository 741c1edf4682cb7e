// The real `akhbar` CLI in a child process without blocking the test's event
// loop: for runs that must overlap, or be killed midway.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT, type CliResult } from './cli.js';

export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/akhbar.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr, json: () => JSON.parse(stdout) }));
  });
  return { child, done };
}
