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

/** The password in a connection string, with or without its scheme (`user:pass@host/db` too). */
function connectionPassword(url: string): string | undefined {
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const at = withoutScheme.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = withoutScheme.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon >= 0 && colon < userinfo.length - 1 ? userinfo.slice(colon + 1) : undefined;
}

function secrets(): string[] {
  const values = Object.entries(process.env)
    .filter(([k, v]) => v && v.length >= 6 && /TOKEN|KEY|SECRET|PASSWORD/i.test(k))
    .map(([, v]) => v!);
  const dbPassword = connectionPassword(process.env.DATABASE_URL ?? '');
  return dbPassword ? [...values, dbPassword] : values;
}

/** Masks the environment's secrets and any `user:password@` of a URL in `text`: every message that may name a database goes through here. */
export function redact(text: string): string {
  let out = text.replace(/(\/\/[^\s:/@]+):[^\s@/]+@/g, '$1:***@');
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
