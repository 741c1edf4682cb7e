// Starts and stops test/support/pglite-server.ts as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './cli.js';

export interface TestDatabase {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server process (SIGTERM, data kept). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
}

async function launch(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/pglite-server.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`PGlite server exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line).port));
  });
  return { child, port };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startTestDatabase(options: { vector?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akhbar-pglite-'));
  const extra = options.vector === false ? ['--no-vector'] : [];
  let { child, port } = await launch(['--data-dir', dataDir, ...extra]);
  return {
    url: `postgres://postgres:secret-pw@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () => stopChild(child),
    async restart() {
      await stopChild(child);
      ({ child } = await launch(['--data-dir', dataDir, '--port', String(port), ...extra]));
    },
  };
}
