// The one place that reads the environment. Every setting is validated here and
// documented (with its default) in .env.example.
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const intWithDefault = (def: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? def : Number(v)))
    .pipe(z.number().int().min(min));

const numberWithDefault = (def: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? def : Number(v)))
    .pipe(z.number());

/** true/false/1/0; empty or unset gives the default. */
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : v === 'true' || v === '1'));

const schema = z.object({
  CORPUS_DIR: z.string().default('corpus'),
  INDEX_DIR: z.string().default('data/index'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),

  VECTOR_STORE: z.enum(['hnswlib', 'pgvector']).default('hnswlib'),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: intWithDefault(5, 2),
  DATABASE_TABLE_PREFIX: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== '' ? v.trim() : 'akhbar_'))
    .pipe(z.string().regex(/^[a-z_][a-z0-9_]{0,30}$/, 'lower-case letters, digits and _ only (it prefixes SQL table names)')),

  EMBEDDINGS_PROVIDER: z.enum(['local', 'transformers', 'openai', 'ollama']).default('local'),
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_MODEL_PATH: optionalString,
  EMBEDDINGS_CACHE_DIR: z.string().default('data/models'),
  EMBEDDINGS_DIMENSIONS: intWithDefault(384, 16),

  LLM_PROVIDER: z.enum(['none', 'openai', 'mistral', 'ollama']).default('none'),
  LLM_MODEL: optionalString,
  LLM_TEMPERATURE: numberWithDefault(0.1),
  LLM_TIMEOUT_MS: intWithDefault(30_000, 100),
  LLM_MAX_TOKENS: intWithDefault(700, 16),
  LLM_MAX_RETRIES: intWithDefault(2, 0),
  LLM_STREAMING: flag(true),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  MISTRAL_API_KEY: optionalString,
  MISTRAL_BASE_URL: optionalString,
  OLLAMA_BASE_URL: z.string().default('http://127.0.0.1:11434'),

  RETRIEVAL_TOP_K: intWithDefault(5, 1),
  MAX_QUESTION_CHARS: intWithDefault(2_000, 50),

  DISCORD_TOKEN: optionalString,
  DISCORD_CLIENT_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_URL: optionalString,
  SHARD_COUNT: optionalString.pipe(z.string().regex(/^(auto|[1-9]\d*)$/, 'a whole number of shards, or auto').optional()),
  RATE_LIMIT_PER_MINUTE: intWithDefault(5, 1),
  FEEDBACK_FILE: z.string().default('data/feedback.jsonl'),

  FEEDS_FILE: z.string().default('data/feeds.json'),
  FEEDS_SYNC_MINUTES: intWithDefault(0, 0),
  FETCH_TIMEOUT_MS: intWithDefault(15_000, 100),
  FETCH_MAX_BYTES: intWithDefault(5_000_000, 1_000),
  FETCH_MAX_REDIRECTS: intWithDefault(5, 0),
  FETCH_ALLOW_PRIVATE_HOSTS: flag(false),
  CORPUS_WATCH: flag(true),
  CORPUS_WATCH_DEBOUNCE_MS: intWithDefault(2_000, 0),
  MAX_ARTICLE_BYTES: intWithDefault(2_000_000, 1_000),
  SHUTDOWN_TIMEOUT_MS: intWithDefault(10_000, 100),
});

/** A provider that needs a key gets one, unless it is a self-hosted server (base URL set). */
const withProviderKeys = schema.superRefine((s, ctx) => {
  const needs = { openai: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'], mistral: ['MISTRAL_API_KEY', 'MISTRAL_BASE_URL'] } as const;
  if (s.LLM_PROVIDER !== 'openai' && s.LLM_PROVIDER !== 'mistral') return;
  const [key, baseUrl] = needs[s.LLM_PROVIDER];
  if (s[key] || s[baseUrl]) return;
  ctx.addIssue({
    code: 'custom',
    path: [key],
    message: `LLM_PROVIDER=${s.LLM_PROVIDER} needs ${key} (or ${baseUrl} for a self-hosted compatible server), or set LLM_PROVIDER=none for extractive answers`,
  });
});

export type Settings = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = withProviderKeys.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n');
    throw new ConfigError(`Invalid configuration (see .env.example):\n${problems}`);
  }
  if (parsed.data.VECTOR_STORE === 'pgvector' && !parsed.data.DATABASE_URL) {
    throw new ConfigError('VECTOR_STORE=pgvector needs DATABASE_URL (e.g. postgres://akhbar:…@db.example:5432/akhbar); see .env.example');
  }
  if (parsed.data.VECTOR_STORE === 'pgvector' && !/^postgres(ql)?:\/\//i.test(parsed.data.DATABASE_URL!)) {
    // The value is never echoed: it may hold a password.
    throw new ConfigError('DATABASE_URL must start with postgres:// (e.g. postgres://akhbar:…@db.example:5432/akhbar); see .env.example');
  }
  // In production the bot runs under discord.js's ShardingManager unless told otherwise.
  if (parsed.data.SHARD_COUNT === undefined && env.NODE_ENV === 'production') parsed.data.SHARD_COUNT = 'auto';
  return parsed.data;
}
