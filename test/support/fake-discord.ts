// A fake Discord on loopback (HTTP REST + gateway WebSocket) that the real
// discord.js Client talks to. It records every REST call and lets a test play
// the users' side: slash commands, buttons, autocomplete, messages.
//
// API (for every test that needs a Discord):
//   const discord = await FakeDiscord.start({ token?, guildId?, guildCount?, recommendedShards?, latencyMs?, messageContentAllowed? });
//   discord.api                 → base URL for `new Client({ rest: { api } })`, startBot({ apiUrl }) or DISCORD_API_URL
//   discord.token               → the only token the fake accepts (others get 401)
//   discord.ids                 → { bot, app, guild, channel, thread, dm }: snowflakes the fake knows (first guild)
//   discord.guilds              → [{ id, channel, thread }] for every guild (guildCount option, default 1)
//   discord.calls               → every REST call so far: { method, path, query, body, at }
//   await discord.waitForReady() → resolves once a client has identified (READY + GUILD_CREATE sent)
//   discord.command(name, options?, from?)   → dispatches a slash command (type 2); returns an Exchange
//   discord.button(customId, message, from?) → a button press (type 3) on a message our bot sent
//   discord.autocomplete(name, options, from?) → autocomplete (type 4); exchange.choices() awaits the choices
//   discord.message({ content, ... })        → MESSAGE_CREATE (guild channel by default, `dm: true`, `channelId`,
//                                              `mentionsBot`, `replyTo` message id); returns an Exchange
//   exchange.calls / exchange.waitFor(pred) / exchange.final(pred?) → REST calls belonging to that exchange
//                                              (interaction token or reply to that message / its channel)
//   discord.dispatch(type, data)             → any other gateway event, raw
//   discord.waitForCall(pred, timeoutMs?)    → the first REST call (past or future) matching pred
//   discord.failNext(method, pathRegex, status, body?) → the next matching REST call gets that error
//   discord.holdNext(method, pathRegex)      → the next matching REST call is recorded but not answered until
//                                              the returned release() is called (work the bot has in flight)
//   discord.dropGateway(code = 4000)         → closes every gateway socket (4000 is resumable: client RESUMEs)
//   discord.connections                     → gateway sockets open right now
//   discord.resumes / discord.identifies    → how many RESUME / IDENTIFY frames were received
//   discord.messageBodies                    → every message body the bot sent or edited (to check allowed_mentions…)
//   discord.sentMessage(id)                  → a message the bot sent, edits merged (pass it to button())
//   A body of a call that created or edited a message gets the message's `id` added, so tests can press its buttons.
//   await discord.close()
// Users: `from` = { id?, username?, permissions? (bitfield string), locale?, guild? (index in discord.guilds) };
// default is a plain member of the first guild without Manage Server.
// Sharding: a client identifying with shard [i, n] gets only the guilds (and their events) with
// (guild_id >> 22) % n === i, as on Discord; DMs go to shard 0. GET /gateway/bot recommends
// `recommendedShards` (default 1). Payload shapes follow ../../shared NOTES (discord.js 14.28).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RestCall {
  method: string;
  path: string;
  query: string;
  body: any;
  at: number;
}

export interface FakeUser {
  id?: string;
  username?: string;
  permissions?: string;
  locale?: string;
  guild?: number;
}

export interface FakeDiscordOptions {
  token?: string;
  guildId?: string;
  /** Guilds the bot is in (default 1); each has one text channel and one thread. */
  guildCount?: number;
  recommendedShards?: number;
  /** false: identifying with the Message Content intent fails with 4014, as when the portal has it off. */
  messageContentAllowed?: boolean;
  /** Answer REST calls after this many ms (to simulate a slow Discord). */
  latencyMs?: number;
}

let counter = 0n;
/** Increasing snowflakes (timestamp part = now), unique within the process. */
export function snowflake(): string {
  counter += 1n;
  return (((BigInt(Date.now()) - 1420070400000n) << 22n) + (counter % 4096n)).toString();
}

const MESSAGE_CONTENT = 1n << 15n;
export const MANAGE_GUILD = String(1n << 5n);
export const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 31n)); // view, send, use commands

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
}

export class Exchange {
  constructor(
    private readonly discord: FakeDiscord,
    readonly belongs: (call: RestCall) => boolean,
    readonly id: string,
    readonly token?: string,
  ) {}

  get calls(): RestCall[] {
    return this.discord.calls.filter(this.belongs);
  }

  waitFor(pred: (call: RestCall) => boolean = () => true, timeoutMs = 10_000): Promise<RestCall> {
    return this.discord.waitForCall((c) => this.belongs(c) && pred(c), timeoutMs);
  }

  /** Message bodies (content, embeds, components…) this exchange sent, in order. */
  get messages(): any[] {
    return this.calls.filter((c) => c.body && (c.method === 'POST' || c.method === 'PATCH')).map((c) => c.body.data ?? c.body);
  }

  /** For autocomplete: the choices the bot answered with. */
  async choices(): Promise<{ name: string; value: string }[]> {
    const call = await this.waitFor((c) => c.path.endsWith('/callback') && c.body?.type === 8);
    return call.body.data.choices;
  }
}

export class FakeDiscord {
  readonly calls: RestCall[] = [];
  readonly ids = { bot: snowflake(), app: snowflake(), guild: '', channel: snowflake(), thread: snowflake(), dm: snowflake() };
  readonly token: string;
  resumes = 0;
  identifies = 0;
  private readonly waiters = new Set<{ pred: (c: RestCall) => boolean; resolve: (c: RestCall) => void }>();
  private readonly failures: Failure[] = [];
  private readonly holds: Array<{ method: string; path: RegExp; released: Promise<void> }> = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly originals = new Map<string, string>();
  private readonly messages = new Map<string, any>();
  private readyWaiters: (() => void)[] = [];
  readonly guilds: { id: string; channel: string; thread: string }[] = [];
  private readonly shardOf = new Map<WebSocket, { shard: number; count: number }>();
  private readonly sessionShards = new Map<string, { shard: number; count: number }>();
  private readonly tokenChannels = new Map<string, string>();
  private seq = 0;
  private ready = false;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly options: FakeDiscordOptions,
  ) {
    this.token = options.token ?? 'fake-token.for-tests.only';
    this.ids.guild = options.guildId ?? snowflake();
    this.guilds.push({ id: this.ids.guild, channel: this.ids.channel, thread: this.ids.thread });
    // Guild ids one millisecond apart, so that they spread over shards ((id >> 22) % shardCount).
    const base = BigInt(this.ids.guild) >> 22n;
    for (let i = 1; i < (options.guildCount ?? 1); i++) this.guilds.push({ id: String((base + BigInt(i)) << 22n), channel: snowflake(), thread: snowflake() });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/gateway' });
    const discord = new FakeDiscord(server, wss, options);
    server.on('request', (req, res) => void discord.handle(req, res));
    wss.on('connection', (ws) => discord.onSocket(ws));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return discord;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Gateway sessions open right now. */
  get connections(): number {
    return this.sockets.size;
  }

  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  waitForReady(timeoutMs = 10_000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return withTimeout(new Promise<void>((r) => this.readyWaiters.push(r)), timeoutMs, 'no client identified');
  }

  waitForCall(pred: (call: RestCall) => boolean, timeoutMs = 10_000): Promise<RestCall> {
    const found = this.calls.find(pred);
    if (found) return Promise.resolve(found);
    let waiter!: { pred: (c: RestCall) => boolean; resolve: (c: RestCall) => void };
    const promise = new Promise<RestCall>((resolve) => {
      waiter = { pred, resolve };
      this.waiters.add(waiter);
    });
    return withTimeout(promise, timeoutMs, 'no matching REST call').finally(() => this.waiters.delete(waiter));
  }

  failNext(method: string, path: RegExp, status: number, body: unknown = { message: 'Invalid Form Body', code: 50035 }): void {
    this.failures.push({ method, path, status, body });
  }

  holdNext(method: string, path: RegExp): () => void {
    let release!: () => void;
    this.holds.push({ method, path, released: new Promise<void>((resolve) => (release = resolve)) });
    return release;
  }

  dropGateway(code = 4000): void {
    for (const ws of this.sockets) ws.close(code, 'dropped by the test');
  }

  /** A message the bot sent, as Discord stores it (all edits merged): what a button press carries. */
  sentMessage(id: string): any {
    return this.messages.get(id);
  }

  /** Every message body the bot sent or edited (REST calls with content, embeds or components). */
  get messageBodies(): any[] {
    return this.calls
      .filter((c) => (c.method === 'POST' || c.method === 'PATCH') && c.body && typeof c.body === 'object')
      .map((c) => c.body.data ?? c.body)
      .filter((b) => b && ('content' in b || 'embeds' in b || 'components' in b));
  }

  // --- the users' side -------------------------------------------------------

  command(name: string, options: { name: string; type?: number; value: unknown; focused?: boolean }[] = [], from: FakeUser = {}): Exchange {
    const data = { id: snowflake(), name, type: 1, options: options.map((o) => ({ type: typeof o.value === 'number' ? 4 : typeof o.value === 'boolean' ? 5 : 3, ...o })) };
    return this.interaction(2, data, from);
  }

  autocomplete(name: string, options: { name: string; value: string; focused?: boolean }[], from: FakeUser = {}): Exchange {
    const data = { id: snowflake(), name, type: 1, options: options.map((o) => ({ type: 3, ...o })) };
    return this.interaction(4, data, from);
  }

  button(customId: string, message: any, from: FakeUser = {}): Exchange {
    return this.interaction(3, { custom_id: customId, component_type: 2 }, from, message);
  }

  message(input: { content: string; dm?: boolean; channelId?: string; mentionsBot?: boolean; replyTo?: string; from?: FakeUser; mentionEveryone?: boolean }): Exchange {
    const id = snowflake();
    const guild = this.guilds[input.from?.guild ?? 0];
    const channelId = input.dm ? this.ids.dm : input.channelId ?? guild.channel;
    const author = this.user(input.from);
    const mentionsBot = input.mentionsBot ?? !input.dm;
    const content = mentionsBot && !input.content.includes(`<@${this.ids.bot}>`) ? `<@${this.ids.bot}> ${input.content}` : input.content;
    const referenced = input.replyTo ? this.messages.get(input.replyTo) : undefined;
    this.dispatch('MESSAGE_CREATE', {
      ...this.baseMessage(id, channelId, author, content),
      ...(input.dm ? { channel_type: 1 } : { guild_id: guild.id, member: this.member(input.from) }),
      mentions: mentionsBot ? [{ ...this.botUser() }] : [],
      mention_everyone: input.mentionEveryone ?? false,
      ...(input.replyTo
        ? { type: 19, message_reference: { message_id: input.replyTo, channel_id: channelId, guild_id: input.dm ? undefined : guild.id }, referenced_message: referenced ?? null }
        : {}),
    });
    const since = Date.now();
    return new Exchange(this, (c) => c.at >= since && this.answers(c, id, channelId), id);
  }

  // --- internals ---------------------------------------------------------------

  private interaction(type: number, data: any, from: FakeUser, message?: any): Exchange {
    const id = snowflake();
    const token = `itoken-${id}`;
    const guild = this.guilds[from.guild ?? 0];
    this.tokenChannels.set(token, guild.channel);
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.ids.app,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      channel_id: guild.channel,
      channel: { id: guild.channel, type: 0, guild_id: guild.id },
      member: this.member(from),
      locale: from.locale ?? 'fr',
      guild_locale: 'fr',
      app_permissions: String((1n << 50n) - 1n),
      entitlements: [],
      authorizing_integration_owners: {},
      context: 0,
      data,
      ...(message ? { message } : {}),
    });
    return new Exchange(this, (c) => c.path.includes(`/${token}`), id, token);
  }

  private user(from: FakeUser = {}) {
    return { id: from.id ?? '100000000000000001', username: from.username ?? 'asker', discriminator: '0', global_name: null, avatar: null };
  }

  private member(from: FakeUser = {}) {
    return { user: this.user(from), roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, permissions: from.permissions ?? MEMBER_PERMISSIONS };
  }

  private botUser() {
    return { id: this.ids.bot, username: 'akhbar', discriminator: '0', global_name: null, avatar: null, bot: true };
  }

  private baseMessage(id: string, channelId: string, author: object, content: string) {
    return {
      id,
      channel_id: channelId,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: 0,
      components: [],
    };
  }

  /** Sends any gateway event to every connected client (for events the helpers above don't build). */
  dispatch(t: string, d: any): void {
    for (const ws of this.sockets) {
      if (this.owns(ws, d?.guild_id)) ws.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
    }
  }

  /** Whether the client on `ws` runs the shard that owns this guild (no guild: shard 0). */
  private owns(ws: WebSocket, guildId: string | undefined): boolean {
    const shard = this.shardOf.get(ws) ?? { shard: 0, count: 1 };
    const owner = guildId ? Number((BigInt(guildId) >> 22n) % BigInt(shard.count)) : 0;
    return owner === shard.shard;
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (frame.op === 2 && this.options.messageContentAllowed === false && (BigInt(frame.d.intents ?? 0) & MESSAGE_CONTENT) !== 0n) ws.close(4014, 'Disallowed intent(s).');
      else if (frame.op === 2) this.identify(ws, frame.d.token, frame.d.shard ?? [0, 1]);
      else if (frame.op === 6) {
        this.resumes++;
        const shard = this.sessionShards.get(frame.d.session_id);
        if (shard) this.shardOf.set(ws, shard);
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
      }
    });
  }

  private identify(ws: WebSocket, token: string, [shard, count]: [number, number]): void {
    if (token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    this.identifies++;
    const sessionId = `session-${snowflake()}`;
    this.shardOf.set(ws, { shard, count });
    this.sessionShards.set(sessionId, { shard, count });
    const mine = this.guilds.filter((g) => this.owns(ws, g.id));
    const send = (t: string, d: unknown) => ws.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
    send('READY', {
      v: 10,
      user: { ...this.botUser(), verified: true, flags: 0 },
      application: { id: this.ids.app, flags: 0 },
      guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
      private_channels: [],
      shard: [shard, count],
    });
    for (const g of mine) this.sendGuild(send, g);
    this.ready = true;
    for (const r of this.readyWaiters.splice(0)) r();
  }

  private sendGuild(send: (t: string, d: unknown) => void, g: { id: string; channel: string; thread: string }): void {
    send('GUILD_CREATE', {
      id: g.id,
      name: 'akhbar test server',
      unavailable: false,
      owner_id: '1',
      member_count: 3,
      channels: [{ id: g.channel, type: 0, name: 'general', guild_id: g.id, position: 0, permission_overwrites: [] }],
      threads: [{ id: g.thread, type: 11, name: 'a thread', guild_id: g.id, parent_id: g.channel, thread_metadata: { archived: false, locked: false, auto_archive_duration: 60, archive_timestamp: new Date().toISOString() } }],
      roles: [{ id: g.id, name: '@everyone', permissions: MEMBER_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      members: [],
      emojis: [],
      stickers: [],
      features: [],
      presences: [],
      voice_states: [],
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/api(\/v\d+)?/, '');
    const raw = await readBody(req);
    let body: any = raw;
    if (raw && String(req.headers['content-type']).includes('json')) body = JSON.parse(raw);
    const call: RestCall = { method: req.method ?? 'GET', path: decodeURIComponent(path), query: url.search, body, at: Date.now() };
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    this.calls.push(call);
    for (const w of [...this.waiters]) if (w.pred(call)) w.resolve(call);
    const hold = this.holds.findIndex((h) => h.method === call.method && h.path.test(call.path));
    if (hold >= 0) await this.holds.splice(hold, 1)[0]!.released;

    // Interaction callbacks and webhooks authenticate by their token in the path, not the bot token.
    const byPathToken = /^\/(interactions|webhooks)\//.test(call.path);
    if (!byPathToken && req.headers.authorization !== `Bot ${this.token}`) return json(res, 401, { message: '401: Unauthorized', code: 0 });
    const failure = this.failures.findIndex((f) => f.method === call.method && f.path.test(call.path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return json(res, f.status, f.body);
    }
    json(res, ...this.route(call));
  }

  private route(call: RestCall): [number, unknown?] {
    const { method, path, body } = call;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return [200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: this.options.recommendedShards ?? 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }];
    }
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return [200, (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.ids.app, version: '1' }))];
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return [204];
    if ((m = path.match(/^\/webhooks\/\d+\/([^/]+)\/messages\/([^/]+)$/))) {
      const token = m[1];
      const id = m[2] === '@original' ? this.originalId(token) : m[2];
      if (method === 'DELETE') return [204];
      return [200, this.storeMessage(id, this.tokenChannels.get(token) ?? this.ids.channel, body)];
    }
    if (method === 'POST' && (m = path.match(/^\/webhooks\/\d+\/([^/]+)$/))) return [200, this.storeMessage(snowflake(), this.tokenChannels.get(m[1]) ?? this.ids.channel, body)];
    if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/typing$/))) return [204];
    if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) return [200, this.storeMessage(snowflake(), m[1], body)];
    if (method === 'PATCH' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) return [200, this.storeMessage(m[2], m[1], body)];
    if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const found = this.messages.get(m[2]);
      return found ? [200, found] : [404, { message: 'Unknown Message', code: 10008 }];
    }
    return [404, { message: `fake Discord has no route for ${method} ${path}`, code: 0 }];
  }

  /** Whether a REST call is the bot answering message `id`: typing, a reply to it, or an edit of such a reply. */
  private answers(call: RestCall, id: string, channelId: string): boolean {
    if (!call.path.startsWith(`/channels/${channelId}/`)) return false;
    if (call.path.endsWith('/typing')) return true;
    if (call.body?.message_reference?.message_id === id) return true;
    const edited = call.method === 'PATCH' ? this.messages.get(call.path.split('/').pop()!) : undefined;
    return edited?.message_reference?.message_id === id;
  }

  private originalId(token: string): string {
    if (!this.originals.has(token)) this.originals.set(token, snowflake());
    return this.originals.get(token)!;
  }

  /** Merges an edit into the stored message, so later edits and button presses see the whole message. */
  private storeMessage(id: string, channelId: string, body: any): any {
    const previous = this.messages.get(id) ?? this.baseMessage(id, channelId, this.botUser(), '');
    const { allowed_mentions: _a, message_reference, ...fields } = body ?? {};
    const message = { ...previous, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), id, channel_id: channelId };
    if (message_reference) message.message_reference = message_reference;
    this.messages.set(id, message);
    // The body the test sees carries the id Discord assigned.
    if (body && typeof body === 'object') body.id ??= id;
    return message;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (p: Buffer) => parts.push(p));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body?: unknown): void {
  // A 204 must carry no content-type, or @discordjs/rest tries to parse an empty JSON body.
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`fake Discord: ${what} within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
