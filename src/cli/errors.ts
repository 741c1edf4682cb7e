// Known failures become one clear line on stderr; anything else gets a short
// message too, with the stack only when LOG_LEVEL=debug. Secrets are masked in all of them.
import { ConfigError } from '../config.js';
import { EmptyQuestionError } from '../core/engine.js';
import { EmbedderError } from '../embeddings/index.js';
import { EmbedderMismatchError, IndexCorruptError, IndexWriteError } from '../index/index.js';
import { IndexBusyError } from '../index/lock.js';
import { DatabaseUnavailableError, PgvectorMissingError, SchemaTooNewError } from '../index/pg/errors.js';
import { CorpusError } from '../ingest/errors.js';
import { redact } from '../logger.js';
import { writeStderr } from '../std-streams.js';


const KNOWN = [
  ConfigError,
  EmbedderError,
  EmbedderMismatchError,
  IndexCorruptError,
  IndexWriteError,
  IndexBusyError,
  CorpusError,
  DatabaseUnavailableError,
  PgvectorMissingError,
  SchemaTooNewError,
];

export function reportFailure(error: unknown): number {
  if (error instanceof EmptyQuestionError) {
    writeStderr(`${redact(error.message)}\n`);
    return 2;
  }
  if (KNOWN.some((k) => error instanceof k)) {
    writeStderr(`${redact((error as Error).message)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeStderr(`Unexpected error: ${redact(message)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) writeStderr(`${redact(error.stack ?? '')}\n`);
  return 1;
}
