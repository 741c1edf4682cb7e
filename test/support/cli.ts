// Runs the real `akhbar` CLI in a child process, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): CliResult {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/akhbar.js'), ...args], {
    cwd,
    env: { ...process.env, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    json: () => JSON.parse(result.stdout),
  };
}

/** A scratch folder holding a copy of the seed corpus and an empty index location. */
export function scratchCorpus(): { dir: string; corpus: string; index: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-test-'));
  const corpus = path.join(dir, 'corpus');
  cpSync(path.join(ROOT, 'corpus'), corpus, { recursive: true });
  return { dir, corpus, index: path.join(dir, 'index') };
}

/** Like runCli, without blocking this process: needed when the test itself serves the CLI (e.g. an LLM stub). */
export function runCliAsync(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/akhbar.js'), ...args], {
      cwd,
      env: { ...process.env, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}
