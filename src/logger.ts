// Logs go to stderr, one line each, never with secrets: values of the
// environment's *TOKEN*, *KEY*, *PASSWORD* and DATABASE_URL credentials are masked.
// Why not pino: the bot writes a few lines a minute, synchronously, and what it
// needs from a logger (masking values of the environment, never failing or
// looping on a broken stderr) is this file; pino would add a dependency and its
// own asynchronous stream whose failures would need the same handling.
import type { Settings } from './config.js';
import { writeStderr } from './std-streams.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Settings['LOG_LEVEL'], number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

function secrets(): string[] {
  const values = Object.entries(process.env)
    .filter(([k, v]) => v && v.length >= 6 && /TOKEN|KEY|SECRET|PASSWORD/i.test(k))
    .map(([, v]) => v!);
  const dbPassword = /:\/\/[^:/]+:([^@]+)@/.exec(process.env.DATABASE_URL ?? '')?.[1];
  return dbPassword ? [...values, dbPassword] : values;
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets()) out = out.split(s).join('***');
  return out;
}

export interface Logger {
  debug(message: string, extra?: unknown): void;
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

export function createLogger(level: Settings['LOG_LEVEL'] = 'info', write: (line: string) => void = writeStderr): Logger {
  const log = (lvl: Level) => (message: string, extra?: unknown) => {
    if (ORDER[lvl] < ORDER[level]) return;
    try {
      const detail = extra instanceof Error ? `\n${extra.stack ?? extra.message}` : extra === undefined ? '' : ` ${JSON.stringify(extra)}`;
      write(`${new Date().toISOString()} ${lvl.toUpperCase()} ${redact(message + detail)}\n`);
    } catch {
      // A line that can't be built or written is lost; the caller is never failed by its log.
    }
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
