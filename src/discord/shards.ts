// `npm start` past one process: discord.js's ShardingManager runs `akhbar bot`
// once per gateway shard (SHARD_COUNT), each shard a child process answering
// from the same store (with VECTOR_STORE=pgvector, one shared Postgres).
import path from 'node:path';
import { REST, Routes, ShardingManager } from 'discord.js';
import type { Settings } from '../config.js';
import type { Logger } from '../logger.js';
import { BotConfigError, loginError } from './bot.js';

const CLI = path.resolve(import.meta.dirname, '../../bin/akhbar.js');

/** Set by ShardingManager in its children: this process is one shard, not a manager. */
export function isShardProcess(): boolean {
  return process.env.SHARDING_MANAGER === 'true';
}

/**
 * Discord's recommended shard count. Why not totalShards: 'auto': discord.js
 * then asks discord.com directly, ignoring DISCORD_API_URL (a proxy, or a test's fake).
 */
async function recommendedShards(settings: Settings, token: string): Promise<number> {
  // No sweeper timers: this one request must not keep the manager process alive.
  const rest = new REST({ ...(settings.DISCORD_API_URL ? { api: settings.DISCORD_API_URL } : {}), hashSweepInterval: 0, handlerSweepInterval: 0 }).setToken(token);
  try {
    const { shards } = (await rest.get(Routes.gatewayBot())) as { shards: number };
    return Math.max(1, shards);
  } catch (error) {
    throw loginError(error);
  }
}

export interface RunningShards {
  manager: ShardingManager;
  stop(): Promise<void>;
}

export async function startShards(settings: Settings, logger: Logger): Promise<RunningShards> {
  const token = settings.DISCORD_TOKEN;
  if (!token) throw new BotConfigError('DISCORD_TOKEN is not set: copy .env.example to .env and put your bot token there (see "Run it on your server" in the README).');
  // Asked even with a fixed count: it checks the token, so a rejected one is one clear line here, not a crash of every shard.
  const recommended = await recommendedShards(settings, token);
  const totalShards = settings.SHARD_COUNT === 'auto' ? recommended : Number(settings.SHARD_COUNT);
  const manager = new ShardingManager(CLI, {
    token,
    totalShards,
    mode: 'process',
    // The shards read the same corpus and index settings as this process.
    shardArgs: ['bot', '--corpus', settings.CORPUS_DIR, '--index', settings.INDEX_DIR],
    respawn: true,
  });
  manager.on('shardCreate', (shard) => logger.info(`shard ${shard.id + 1}/${totalShards} starting`));
  await manager.spawn({ timeout: 120_000 });
  logger.info(`${totalShards} shards ready`);
  return {
    manager,
    async stop() {
      const exits = [...manager.shards.values()].map((shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null) return Promise.resolve();
        return new Promise<void>((resolve) => child.once('exit', () => resolve()));
      });
      for (const shard of manager.shards.values()) shard.kill();
      await Promise.all(exits);
    },
  };
}
