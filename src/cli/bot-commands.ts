// The Discord commands of the CLI: bot, deploy-commands, feedback. They import
// src/discord lazily, so `akhbar ask` and `search` don't pay for loading discord.js.
import { Akhbar } from '../core/engine.js';
import type { Command, CommandContext } from './command.js';
import { reportFailure } from './errors.js';
import { createLogger, type Logger } from '../logger.js';
import { claimGracefulStop } from './shutdown.js';
import { writeStderr } from '../std-streams.js';

const discord = () => import('../discord/index.js');

/** Setup problems (missing or rejected token…) are one line on stderr and exit 1. */
async function withSetupErrors(run: () => Promise<number>): Promise<number> {
  const { BotConfigError } = await discord();
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof BotConfigError)) throw error;
    writeStderr(`${error.message}\n`);
    return 1;
  }
}

const bot: Command = async (ctx: CommandContext) => {
  // From here a stop signal is ours to handle: close the gateway and the store, then exit.
  const stopSignal = claimGracefulStop(ctx.settings.SHUTDOWN_TIMEOUT_MS);
  // A bot process (not a sharding manager, token set) starts loading the index while discord.js is imported.
  const manager = Boolean(ctx.settings.SHARD_COUNT) && process.env.SHARDING_MANAGER !== 'true';
  const opening = manager || !ctx.settings.DISCORD_TOKEN ? undefined : Akhbar.open(ctx.settings);
  opening?.catch(() => undefined); // awaited by startBot; handled here so it isn't reported as unhandled first
  const code = await withSetupErrors(async () => {
    const { startBot, installProcessGuards, isShardProcess, startShards, StartAbandonedError } = await discord();
    const logger = createLogger(ctx.settings.LOG_LEVEL);
    installProcessGuards(logger);
    if (ctx.settings.SHARD_COUNT && !isShardProcess()) return runShards(() => startShards(ctx.settings, logger), stopSignal, logger);
    const abandon = new AbortController();
    void stopSignal.then(() => abandon.abort());
    const running = await startBot({ settings: ctx.settings, logger, engine: opening, signal: abandon.signal }).catch(async (error: unknown) => {
      await opening?.then((engine) => engine.close(), () => undefined); // startBot leaves an engine it was given open
      if (error instanceof StartAbandonedError) return undefined;
      throw error;
    });
    if (!running) {
      logger.info(`${await stopSignal}: stopped before ready`);
      return 0;
    }
    const end = await Promise.race([stopSignal, running.disconnected]);
    await running.stop();
    await running.engine.close();
    if (end instanceof Error) return 1; // already logged; a supervisor can restart us
    logger.info(`${end}: disconnected`);
    return 0;
  }).catch(reportFailure);
  // Exit now rather than when the last handle closes: a login still in flight after a failed
  // start would otherwise keep a process online that drops every event.
  process.exit(code);
};

/** The sharding manager: runs until a signal, then stops its shards. */
async function runShards(start: () => Promise<{ stop(): Promise<void> }>, stopSignal: Promise<string>, logger: Logger): Promise<number> {
  const running = await start();
  const signal = await stopSignal;
  await running.stop();
  logger.info(`${signal}: shards stopped`);
  return 0;
}

const deployCommands: Command = (ctx) =>
  withSetupErrors(async () => {
    const { deployCommands: deploy } = await discord();
    const { count, scope } = await deploy({ settings: ctx.settings, guildId: ctx.options.guild });
    ctx.out(`Registered ${count} slash commands in ${scope}.`);
    return 0;
  });

const feedback: Command = async (ctx) => {
  const { summariseFeedback, formatFeedback } = await import('../discord/feedback.js');
  const summary = await summariseFeedback(ctx.settings.FEEDBACK_FILE);
  ctx.out(ctx.options.json ? JSON.stringify(summary) : formatFeedback(summary));
  return 0;
};

export const BOT_COMMANDS: Record<string, Command> = { bot, 'deploy-commands': deployCommands, feedback };
