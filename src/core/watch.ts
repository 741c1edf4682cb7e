// Keeps the index in step with the corpus folder while the bot runs: file events
// are collected, and after a quiet spell (debounce) one re-index runs for all of them.
import path from 'node:path';
import { watch } from 'chokidar';
import type { Logger } from '../logger.js';
import type { IndexReport } from '../types.js';
import type { Akhbar } from './engine.js';

export interface CorpusWatcher {
  close(): Promise<void>;
  /** Resolves once the watcher is listening. */
  ready: Promise<void>;
}

export function watchCorpus(engine: Akhbar, logger: Logger, onIndexed?: (report: IndexReport) => void): CorpusWatcher {
  const dir = engine.corpusDir;
  const seen = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    const events = [...seen].map(([file, kind]) => `${kind} ${file}`);
    seen.clear();
    try {
      const report = await engine.reindex();
      logger.info(`corpus changed (${events.join(', ')}): ${report.added} added, ${report.updated} updated, ${report.removed} removed; ${report.articles} articles, ${report.chunks} chunks`);
      for (const w of report.warnings) logger.warn(w);
      onIndexed?.(report);
    } catch (error) {
      logger.error('re-indexing after a corpus change failed; the previous index keeps serving', error);
    }
  };
  const watcher = watch(dir, {
    ignoreInitial: true,
    // Our own atomic writes go through dot-files; editors' swap files too.
    ignored: (file) => path.basename(file).startsWith('.') && file !== dir,
    awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
    // Links are not followed (the scan skips them too): two looping ones would be walked forever.
    followSymlinks: false,
  });
  const record = (kind: string) => (file: string) => {
    seen.set(path.relative(dir, file), kind);
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), engine.settings.CORPUS_WATCH_DEBOUNCE_MS);
  };
  watcher.on('add', record('added')).on('change', record('changed')).on('unlink', record('removed'));
  watcher.on('error', (error) => logger.error('corpus watcher error', error));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
