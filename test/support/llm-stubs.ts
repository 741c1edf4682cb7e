// Chat servers on 127.0.0.1 that speak the real wire formats, for the real
// client libraries: OpenAI chat completions (JSON or SSE), Mistral's chat API
// (same path, SSE chunks carrying usage), Ollama's /api/chat (JSON or NDJSON).
// Replies are scripted per request; every request is captured.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubKind = 'openai' | 'mistral' | 'ollama';

export interface CapturedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** The system and user messages, for assertions. */
  system: string;
  user: string;
  stream: boolean;
}

export interface StubReply {
  /** HTTP status; anything but 200 sends the provider's error body. */
  status?: number;
  /** The reply text, sent as one message or, when streaming, as `tokens`. */
  text?: string;
  /** Streamed pieces (default: `text` split into words). */
  tokens?: string[];
  /** Pause between streamed pieces. */
  tokenDelayMs?: number;
  /** Never answer (the connection stays open until the stub closes). */
  hang?: boolean;
  /** Stream this many pieces, then stall with the connection open. */
  stallAfterTokens?: number;
  retryAfter?: string;
}

export type Script = (request: CapturedRequest, index: number) => StubReply;

export interface LlmStub {
  /** Base URL as each client library expects it (OpenAI: …/v1; Mistral, Ollama: the origin). */
  url: string;
  requests: CapturedRequest[];
  script: Script;
  close(): Promise<void>;
}

const MODEL = 'stub-model';

/** The query-rewriting request of src/answer/llm (its system prompt asks for search queries). */
export function isRewrite(request: CapturedRequest): boolean {
  return /search queries/.test(request.system);
}

/** Passages and question as the grounded prompt sends them. */
export function passageCount(request: CapturedRequest): number {
  return (request.user.match(/<passage n="/g) ?? []).length;
}

/**
 * The usual script: rewrite requests get `rewrite` (default: the question,
 * unchanged, as both lines), answer requests get the next of `answers` (the
 * last one repeats).
 */
export function answerScript(answers: StubReply[], rewrite?: (request: CapturedRequest) => StubReply): Script {
  let next = 0;
  return (request) => {
    if (isRewrite(request)) {
      if (rewrite) return rewrite(request);
      const question = /<question>\n([\s\S]*?)\n<\/question>/.exec(request.user)?.[1] ?? '';
      return { text: `fr: ${question}\nen: ${question}` };
    }
    return answers[Math.min(next++, answers.length - 1)]!;
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tokensOf(reply: StubReply): string[] {
  const all = reply.tokens ?? (reply.text ?? '').split(/(?<=\s)/);
  return reply.stallAfterTokens === undefined ? all : all.slice(0, reply.stallAfterTokens);
}

/** Whether the stream ends (false: it stalls after its pieces). */
const finishes = (reply: StubReply) => reply.stallAfterTokens === undefined;

function sendError(res: ServerResponse, kind: StubKind, reply: StubReply): void {
  const status = reply.status!;
  const message = status === 429 ? 'Rate limit reached, slow down' : 'The server had an error while processing your request';
  const body =
    kind === 'ollama'
      ? { error: message }
      : kind === 'mistral'
        ? { object: 'error', message, type: status === 429 ? 'rate_limited' : 'internal_server_error', code: String(status) }
        : { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null, param: null } };
  res.writeHead(status, { 'content-type': 'application/json', ...(reply.retryAfter ? { 'retry-after': reply.retryAfter } : {}) });
  res.end(JSON.stringify(body));
}

async function sendCompletions(res: ServerResponse, kind: 'openai' | 'mistral', req: CapturedRequest, reply: StubReply): Promise<void> {
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
  if (!req.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: MODEL,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text ?? '' }, finish_reason: 'stop', logprobs: null }],
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    event({ id, object: 'chat.completion.chunk', created, model: MODEL, choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
  chunk({ role: 'assistant', content: '' }, null);
  for (const token of tokensOf(reply)) {
    if (reply.tokenDelayMs) await sleep(reply.tokenDelayMs);
    if (res.destroyed) return;
    chunk({ content: token }, null);
  }
  if (!finishes(reply)) return;
  // Mistral puts usage on the last chunk; OpenAI sends it alone when asked (stream_options.include_usage).
  if (kind === 'mistral') chunk({ content: '' }, 'stop', { usage });
  else {
    chunk({}, 'stop');
    if (req.body.stream_options?.include_usage) event({ id, object: 'chat.completion.chunk', created, model: MODEL, choices: [], usage });
  }
  res.end('data: [DONE]\n\n');
}

async function sendOllama(res: ServerResponse, req: CapturedRequest, reply: StubReply): Promise<void> {
  const base = { model: MODEL, created_at: new Date().toISOString() };
  const final = { ...base, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', total_duration: 1_000_000, load_duration: 1000, prompt_eval_count: 100, prompt_eval_duration: 1000, eval_count: 20, eval_duration: 1000 };
  if (!req.stream) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ ...final, message: { role: 'assistant', content: reply.text ?? '' } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const token of tokensOf(reply)) {
    if (reply.tokenDelayMs) await sleep(reply.tokenDelayMs);
    if (res.destroyed) return;
    res.write(`${JSON.stringify({ ...base, message: { role: 'assistant', content: token }, done: false })}\n`);
  }
  if (!finishes(reply)) return;
  res.end(`${JSON.stringify(final)}\n`);
}

function capture(path: string, req: IncomingMessage, raw: string): CapturedRequest {
  const body = JSON.parse(raw || '{}');
  const messages: Array<{ role: string; content: unknown }> = body.messages ?? [];
  const text = (role: string) =>
    messages
      .filter((m) => m.role === role)
      .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
      .join('\n');
  // Ollama streams unless told otherwise; the chat-completions APIs only when asked.
  const stream = path === '/api/chat' ? body.stream !== false : body.stream === true;
  return { path, headers: req.headers, body, system: text('system'), user: text('user'), stream };
}

export async function startLlmStub(kind: StubKind, script: Script = answerScript([{ text: 'Stub answer [1].' }])): Promise<LlmStub> {
  const chatPath = kind === 'ollama' ? '/api/chat' : '/v1/chat/completions';
  const stub: LlmStub = { url: '', requests: [], script, close: async () => undefined };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split(/[?#]/)[0]!;
    if (req.method !== 'POST' || path !== chatPath) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${req.method} ${path}` }));
      return;
    }
    const request = capture(path, req, await readBody(req));
    stub.requests.push(request);
    const reply = stub.script(request, stub.requests.length - 1);
    if (reply.hang) return;
    if (reply.status && reply.status !== 200) return sendError(res, kind, reply);
    if (kind === 'ollama') return sendOllama(res, request, reply);
    return sendCompletions(res, kind, request, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stub.url = kind === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
