// The Discord commands of the CLI: bot, deploy-commands, feedback. They import
// src/discord lazily, so `akhbar ask` and `search` don't pay for loading discord.js.
import { Akhbar } from '../core/engine.js';
import type { Command, CommandContext } from './command.js';
import { createLogger } from '../logger.js';

const discord = () => import('../discord/index.js');

/** Setup problems (missing or rejected token…) are one line on stderr and exit 1. */
async function withSetupErrors(run: () => Promise<number>): Promise<number> {
  const { BotConfigError } = await discord();
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof BotConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

const bot: Command = (ctx: CommandContext) => {
  // A bot process (not a sharding manager, token set) starts loading the index while discord.js is imported.
  const manager = Boolean(ctx.settings.SHARD_COUNT) && process.env.SHARDING_MANAGER !== 'true';
  const opening = manager || !ctx.settings.DISCORD_TOKEN ? undefined : Akhbar.open(ctx.settings);
  opening?.catch(() => undefined); // awaited by startBot; handled here so it isn't reported as unhandled first
  return withSetupErrors(async () => {
    const { startBot, installProcessGuards, isShardProcess, startShards } = await discord();
    const logger = createLogger(ctx.settings.LOG_LEVEL);
    installProcessGuards(logger);
    if (ctx.settings.SHARD_COUNT && !isShardProcess()) return runShards(() => startShards(ctx.settings, logger), logger);
    const running = await startBot({ settings: ctx.settings, logger, engine: opening }).catch((error: unknown) => {
      void opening?.then((engine) => engine.close(), () => undefined); // startBot leaves an engine it was given open
      throw error;
    });
    const signals = ['SIGINT', 'SIGTERM'].map((s) => new Promise<string>((r) => process.once(s, () => r(s))));
    const end = await Promise.race([...signals, running.disconnected]);
    await running.stop();
    await running.engine.close();
    // A shard's IPC channel to its ShardingManager would keep this process up.
    if (isShardProcess()) process.disconnect?.();
    if (end instanceof Error) return 1; // already logged; a supervisor can restart us
    logger.info(`${end}: disconnected`);
    return 0;
  });
};

/** The sharding manager: runs until a signal, then stops its shards. */
async function runShards(start: () => Promise<{ stop(): Promise<void> }>, logger: ReturnType<typeof createLogger>): Promise<number> {
  const running = await start();
  const signal = await Promise.race(['SIGINT', 'SIGTERM'].map((s) => new Promise<string>((r) => process.once(s, () => r(s)))));
  await running.stop();
  logger.info(`${signal}: shards stopped`);
  // Nothing is left to do here: don't let a stray handle of the manager keep the process up.
  setTimeout(() => process.exit(0), 1_000).unref();
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
