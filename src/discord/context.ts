// What every handler needs: the engine, settings, logger and the bot's own state.
import type { Settings } from '../config.js';
import type { Akhbar } from '../core/engine.js';
import type { Logger } from '../logger.js';
import { Conversations } from './conversations.js';
import { RateLimiter } from './rate-limit.js';

export interface BotContext {
  engine: Akhbar;
  settings: Settings;
  logger: Logger;
  limiter: RateLimiter;
  conversations: Conversations;
  startedAt: number;
  counters: { questionsAnswered: number };
}

export function createContext(engine: Akhbar, settings: Settings, logger: Logger): BotContext {
  return {
    engine,
    settings,
    logger,
    limiter: new RateLimiter(settings.RATE_LIMIT_PER_MINUTE),
    conversations: new Conversations(),
    startedAt: Date.now(),
    counters: { questionsAnswered: 0 },
  };
}
