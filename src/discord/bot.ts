// Starting the bot: open the index, log in, route events, log one ready line.
// Tests start it in-process against a fake Discord (apiUrl); a separate
// process is redirected with DISCORD_API_URL.
import { once } from 'node:events';
import { Client, DiscordAPIError, Events, GatewayIntentBits, MessageFlags, Partials, REST, Routes, type ClientOptions, type RESTOptions } from 'discord.js';
import type { Settings } from '../config.js';
import { Akhbar } from '../core/engine.js';
import { startFeedSchedule } from '../core/feeds-schedule.js';
import { parseOffThread } from '../ingest/parse-thread.js';
import { createLogger, type Logger } from '../logger.js';
import { commandDefinitions } from './commands/index.js';
import { createContext, type BotContext } from './context.js';
import { reportIncident } from './incidents.js';
import { handleMessage } from './messages.js';
import { routeInteraction } from './router.js';
import { langOf, text } from './text.js';

/** A setup problem the user fixes in .env: reported as one line, never with a stack. */
export class BotConfigError extends Error {}

/** Discord refused a privileged intent that the portal has turned off. */
class IntentRefusedError extends BotConfigError {}

const READY_TIMEOUT_MS = 60_000;

export interface StartOptions {
  settings: Settings;
  logger?: Logger;
  /** Discord API base URL without /v10 (default: DISCORD_API_URL, else discord.com). */
  apiUrl?: string;
  /** Extra @discordjs/rest options, e.g. globalRequestsPerSecond for load tests. */
  rest?: Partial<RESTOptions>;
  /** An engine already open or opening (otherwise the index is loaded, or built when absent). */
  engine?: Akhbar | Promise<Akhbar>;
  /** Which gateway shards this process runs, e.g. { shards: [0], shardCount: 2 } (default: one). */
  sharding?: Pick<ClientOptions, 'shards' | 'shardCount'>;
  /** Abandons the start (startBot then rejects with StartAbandonedError after closing what it opened). */
  signal?: AbortSignal;
}

/** The start was abandoned through StartOptions.signal (a stop signal arrived before ready). */
export class StartAbandonedError extends Error {}

export interface RunningBot {
  client: Client<true>;
  engine: Akhbar;
  context: BotContext;
  /** Resolves if Discord ends the session for good (the bot can then only be restarted). */
  disconnected: Promise<Error>;
  stop(): Promise<void>;
}

function requireToken(settings: Settings): string {
  if (!settings.DISCORD_TOKEN) {
    throw new BotConfigError('DISCORD_TOKEN is not set: copy .env.example to .env and put your bot token there (see "Run it on your server" in the README).');
  }
  return settings.DISCORD_TOKEN;
}

function restOptions(settings: Settings, options: Pick<StartOptions, 'apiUrl' | 'rest'>): Partial<RESTOptions> {
  const api = options.apiUrl ?? settings.DISCORD_API_URL;
  return { ...(api ? { api } : {}), ...options.rest };
}

/** Login failures the user fixes in .env, the Developer Portal or the network become one clear line. */
export function loginError(error: unknown): unknown {
  if (error instanceof BotConfigError) return error;
  const rejected =
    (error instanceof DiscordAPIError && error.status === 401) ||
    (error as { code?: string }).code === 'TokenInvalid' ||
    /authentication failed/i.test((error as Error).message);
  if (rejected) return disconnectError(4004);
  // The gateway may report a refused intent by failing login rather than by closing the session.
  if (/disallowed intents/i.test((error as Error).message)) return disconnectError(4014);
  const network = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  if ((error as Error).name === 'AbortError' || /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)$/.test(network ?? '')) {
    return new BotConfigError(`Cannot reach Discord (${network ?? 'no answer in time'}): check the network connection${process.env.DISCORD_API_URL ? ' and DISCORD_API_URL' : ''}.`);
  }
  return error;
}

function holdsFirstShard(client: Client<true>, sharding: StartOptions['sharding']): boolean {
  const shards = client.shard?.ids ?? sharding?.shards;
  return shards === undefined || shards === 'auto' || [shards].flat().includes(0);
}

export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { settings } = options;
  const logger = options.logger ?? createLogger(settings.LOG_LEVEL);
  const token = requireToken(settings);
  // Pages given to /add and corpus files are parsed beside the event loop that answers interactions.
  parseOffThread();
  // The index loads while the client logs in: start-up takes the longer of the two, not their sum.
  const opening = Promise.resolve(options.engine ?? Akhbar.open(settings));
  opening.catch(() => undefined); // awaited below; handled here so a failure during login isn't reported as unhandled
  // Events that arrive before the index is loaded wait for it (Discord gives 3 s to acknowledge an interaction).
  const contextReady = opening.then((engine) => createContext(engine, settings, logger));
  contextReady.catch(() => undefined);
  // Cleared when the bot stops: no new work starts while the answers in flight finish and the gateway and the store close.
  let accepting = true;
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    const done = () => void inFlight.delete(work);
    work.then(done, done);
  };
  let client!: Client;
  let disconnected!: Promise<BotConfigError>;
  const connect = async (messageContent: boolean): Promise<void> => {
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, ...(messageContent ? [GatewayIntentBits.MessageContent] : [])],
      // DM channels are not cached before their first message.
      partials: [Partials.Channel],
      // Nothing we send pings anyone: not @everyone, roles, users, nor the asker.
      allowedMentions: { parse: [] },
      rest: restOptions(settings, options),
      ...options.sharding,
    });
    client.on(Events.InteractionCreate, (interaction) => {
      if (accepting) track(contextReady.then((context) => routeInteraction(interaction, context), () => undefined));
      // While answers in flight finish, a newcomer hears why nothing comes rather than Discord's "did not respond".
      else if (interaction.isRepliable()) track(interaction.reply({ content: text(langOf(interaction.locale)).stopping, flags: MessageFlags.Ephemeral }).catch(() => undefined));
    });
    client.on(Events.MessageCreate, (message) => {
      if (!accepting) return;
      track(
        contextReady
          .then((context) => handleMessage(message, context), () => undefined)
          .catch((error) => reportIncident(logger, 'a message', error)),
      );
    });
    client.on(Events.Error, (error) => reportIncident(logger, 'the Discord client', error));
    client.on(Events.ShardError, (error) => {
      // A refused intent gets its own line below (with what to do), not this one too.
      if (!/disallowed intents/i.test(error.message)) logger.warn(`gateway connection error: ${error.message}`);
    });
    client.on(Events.ShardResume, () => logger.info('gateway session resumed'));
    const connected = client;
    // Discord ends the session for good on setup problems (e.g. an intent not enabled in the portal).
    disconnected = new Promise<BotConfigError>((resolve) =>
      connected.on(Events.ShardDisconnect, ({ code }) => {
        const error = disconnectError(code);
        // Before ready the caller reports it; after, nobody else will.
        if (connected.isReady()) logger.error(error.message);
        resolve(error);
      }),
    );
    const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
    ready.catch(() => undefined); // awaited below once logged in; a login failure is the error reported
    await client.login(token);
    const failed = await Promise.race([ready.then(() => undefined), disconnected]);
    if (failed) throw failed;
  };
  const loggedIn = connect(true).catch(async (error: unknown) => {
    const reason = loginError(error);
    if (!(reason instanceof IntentRefusedError)) throw reason;
    // Slash commands need no privileged intent: run without it rather than not at all.
    await client.destroy();
    logger.warn(
      'Discord refused the Message Content intent: running without it (slash commands, mentions and DMs work; replies to answers are not seen). Turn on Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal to follow up on replies.',
    );
    await connect(false).catch((retryError: unknown) => Promise.reject(loginError(retryError)));
  });
  const abandoned = new Promise<never>((_, reject) => {
    const abandon = () => reject(new StartAbandonedError('start abandoned before ready'));
    if (options.signal?.aborted) abandon();
    options.signal?.addEventListener('abort', abandon, { once: true });
  });
  abandoned.catch(() => undefined);
  let engine: Akhbar;
  try {
    [engine] = await Promise.race([Promise.all([opening, loggedIn]), abandoned]);
  } catch (error) {
    await client.destroy();
    // Don't leave a store connection open behind a failed start (an engine we were given is the caller's).
    if (!options.engine) void opening.then((opened) => opened.close(), () => undefined);
    throw error;
  }
  const context = await contextReady;
  const readyClient = client as Client<true>;
  if (settings.DISCORD_GUILD_ID) {
    // Development convenience: guild commands appear at once.
    await registerCommands(readyClient.rest, readyClient.application.id, settings.DISCORD_GUILD_ID);
    logger.info(`registered ${commandDefinitions().length} slash commands in server ${settings.DISCORD_GUILD_ID}`);
  }
  const s = await engine.stats();
  logger.info(`akhbar ready as ${readyClient.user.tag}: ${s.articles} articles, ${s.chunks} chunks, embedder ${s.embedder}, answers ${s.answerMode}`);
  // A load trusts index files that kept their stamp: every byte is checked once the bot answers.
  void engine.verifyIndex().then(
    (problem) => problem && logger.error(problem),
    (error: Error) => logger.warn(`index check after start failed: ${error.message}`),
  );
  // Fresh articles: corpus changes are re-indexed, feeds synced every FEEDS_SYNC_MINUTES (0: off).
  // Under sharding only the process holding shard 0 does it, so shards don't fetch the same feeds.
  const keeper = holdsFirstShard(readyClient, options.sharding);
  // chokidar loads after the ready line, in the background: the bot answers meanwhile.
  const watcher = keeper && settings.CORPUS_WATCH ? import('../core/watch.js').then(({ watchCorpus }) => watchCorpus(engine, logger)) : undefined;
  const stopFeeds = keeper ? startFeedSchedule(engine, logger) : () => undefined;
  const stop = async () => {
    accepting = false;
    stopFeeds();
    await (await watcher)?.close();
    await drain(inFlight, drainTime(settings.SHUTDOWN_TIMEOUT_MS), logger);
    await client.destroy();
  };
  return { client: readyClient, engine, context, disconnected, stop };
}

/**
 * How long a stop waits for answers in flight: most of SHUTDOWN_TIMEOUT_MS, keeping up to 2 s of
 * it to close the gateway and the store, so a stuck answer still ends in a clean stop.
 */
function drainTime(shutdownMs: number): number {
  return shutdownMs - Math.min(2_000, shutdownMs / 2);
}

/** Lets the answers in flight finish (their replies still go out: the gateway and REST are open), for at most `ms`. */
async function drain(inFlight: Set<Promise<unknown>>, ms: number, logger: Logger): Promise<void> {
  if (inFlight.size === 0) return;
  logger.info(`stopping: finishing ${inFlight.size} answer(s) in flight first (at most ${Math.round(ms)} ms)`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.allSettled([...inFlight]), deadline]);
  clearTimeout(timer);
  if (inFlight.size > 0) logger.warn(`stopping: ${inFlight.size} answer(s) still in flight after ${Math.round(ms)} ms are abandoned`);
}

const CLOSE_REASONS: Record<number, string> = {
  4004: 'Discord rejected DISCORD_TOKEN: check the bot token in .env (see .env.example; reset it in the Developer Portal if needed).',
  4014: 'Discord refused the Message Content intent: turn on Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal (README, "Run it on your server").',
};

function disconnectError(code: number): BotConfigError {
  if (code === 4014) return new IntentRefusedError(CLOSE_REASONS[code]);
  return new BotConfigError(CLOSE_REASONS[code] ?? `Discord closed the gateway connection for good (code ${code}).`);
}

async function registerCommands(rest: REST, applicationId: string, guildId?: string): Promise<number> {
  const body = commandDefinitions();
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  return body.length;
}

/** Registers the slash commands in one server (instant) or globally (up to an hour to appear). */
export async function deployCommands(options: { settings: Settings; guildId?: string; apiUrl?: string }): Promise<{ count: number; scope: string }> {
  const { settings } = options;
  const token = requireToken(settings);
  if (!settings.DISCORD_CLIENT_ID) throw new BotConfigError('DISCORD_CLIENT_ID is not set: put your application id in .env (see .env.example).');
  const rest = new REST(restOptions(settings, options)).setToken(token);
  try {
    const count = await registerCommands(rest, settings.DISCORD_CLIENT_ID, options.guildId);
    return { count, scope: options.guildId ? `server ${options.guildId}` : 'all servers (global; may take up to an hour to appear)' };
  } catch (error) {
    throw loginError(error);
  }
}

/**
 * In the bot process: a stray rejection or exception is logged as an incident, never fatal. The
 * logger drops lines once stderr has failed, so a broken stderr can't feed these handlers a loop.
 */
export function installProcessGuards(logger: Logger): void {
  process.on('unhandledRejection', (reason) => reportIncident(logger, 'an unhandled rejection', reason));
  process.on('uncaughtException', (error) => reportIncident(logger, 'an uncaught exception', error));
}
