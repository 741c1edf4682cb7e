// The Discord surface, as the CLI sees it (imported lazily: discord.js is slow to load).
export { BotConfigError, deployCommands, installProcessGuards, StartAbandonedError, startBot, type RunningBot, type StartOptions } from './bot.js';
export { commandDefinitions } from './commands/index.js';
export { formatFeedback, summariseFeedback } from './feedback.js';
export { isShardProcess, startShards } from './shards.js';
