// Scheduled feed sync for the bot: every FEEDS_SYNC_MINUTES (0 = off), new feed
// items are added to the corpus and indexed. A failed round is logged, never fatal.
import path from 'node:path';
import { fetchLimits } from '../ingest/fetch-url.js';
import type { FeedSyncReport } from '../ingest/feeds.js';
import type { Logger } from '../logger.js';
import type { Akhbar } from './engine.js';

/** One sync round: fetch feeds, add new items, re-index when anything was added. */
export async function syncFeedsOnce(engine: Akhbar): Promise<FeedSyncReport[]> {
  const { syncFeeds } = await import('../ingest/feeds.js'); // the XML and HTML parsers: not needed until the first round
  const reports = await syncFeeds(path.resolve(engine.settings.FEEDS_FILE), engine.corpusDir, fetchLimits(engine.settings));
  if (reports.some((r) => r.added.length)) await engine.reindex();
  return reports;
}

/** Starts the schedule when FEEDS_SYNC_MINUTES > 0; returns a function that stops it. */
export function startFeedSchedule(engine: Akhbar, logger: Logger): () => void {
  const minutes = engine.settings.FEEDS_SYNC_MINUTES;
  if (minutes <= 0) return () => undefined;
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      for (const r of await syncFeedsOnce(engine)) {
        logger.info(`feed ${r.feed}: ${r.added.length} added, ${r.duplicates} already in the corpus`);
        for (const e of r.errors) logger.warn(`feed ${r.feed}: ${e}`);
      }
    } catch (error) {
      logger.error('feed sync failed', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), minutes * 60_000);
  timer.unref();
  logger.info(`feeds sync every ${minutes} min from ${engine.settings.FEEDS_FILE}`);
  return () => clearInterval(timer);
}
