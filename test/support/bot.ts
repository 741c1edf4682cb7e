// A real bot (real discord.js Client, real index on disk) against a fake Discord,
// in this process, on a scratch copy of the corpus.
import { loadSettings, type Settings } from '../../src/config.js';
import { startBot, type RunningBot, type StartOptions } from '../../src/discord/index.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { scratchCorpus } from './cli.js';
import { FakeDiscord } from './fake-discord.js';

export interface BotUnderTest {
  discord: FakeDiscord;
  bot: RunningBot;
  settings: Settings;
  scratch: ReturnType<typeof scratchCorpus>;
  /** Every line the bot logged. */
  logs: string[];
  stop(): Promise<void>;
}

/**
 * `discord` and `scratch` may be shared between bots (several shards); stop() closes only what it
 * started. `start` passes more startBot options (sharding, rest: { globalRequestsPerSecond }…).
 */
export async function startBotUnderTest(
  env: Record<string, string> = {},
  shared: { discord?: FakeDiscord; scratch?: ReturnType<typeof scratchCorpus>; start?: Partial<StartOptions> } = {},
): Promise<BotUnderTest> {
  const scratch = shared.scratch ?? scratchCorpus();
  const discord = shared.discord ?? (await FakeDiscord.start());
  const settings = loadSettings({
    CORPUS_DIR: scratch.corpus,
    INDEX_DIR: scratch.index,
    FEEDBACK_FILE: `${scratch.dir}/feedback.jsonl`,
    EMBEDDINGS_PROVIDER: 'local',
    LLM_PROVIDER: 'none',
    LOG_LEVEL: 'info',
    DISCORD_TOKEN: discord.token,
    // Tests change the corpus under a running bot and re-index explicitly; the watcher has its own tests.
    CORPUS_WATCH: 'false',
    ...env,
  });
  const logs: string[] = [];
  const logger: Logger = createLogger('debug', (line) => void logs.push(line));
  const bot = await startBot({ settings, logger, apiUrl: discord.api, ...shared.start });
  return {
    discord,
    bot,
    settings,
    scratch,
    logs,
    async stop() {
      await bot.stop();
      if (!shared.discord) await discord.close();
    },
  };
}
