// The one place that reads the environment. Every setting is validated here and
// documented (with its default) in .env.example. Plain checks rather than a schema
// library: every command reads its settings first, so they must cost nothing to load.

type Env = Record<string, string | undefined>;

/** Collects one message per bad variable, so a user fixes them all in one go. */
class Reader {
  readonly issues: string[] = [];
  constructor(private readonly env: Env) {}

  private fail<T>(key: string, message: string, fallback: T): T {
    this.issues.push(`  ${key}: ${message}`);
    return fallback;
  }

  /** The value as given; the default only when the variable is unset. */
  string(key: string, def: string): string {
    return this.env[key] ?? def;
  }

  /** Trimmed; unset or blank is undefined. */
  optional(key: string): string | undefined {
    const v = this.env[key]?.trim();
    return v ? v : undefined;
  }

  oneOf<const T extends string>(key: string, values: readonly T[], def: T): T {
    const v = this.env[key];
    if (v === undefined) return def;
    if ((values as readonly string[]).includes(v)) return v as T;
    return this.fail(key, `expected one of ${values.join(', ')}, got "${v}"`, def);
  }

  /** A whole number ≥ min; unset or blank gives the default. */
  int(key: string, def: number, min = 0): number {
    const v = this.env[key];
    if (v === undefined || v.trim() === '') return def;
    const n = Number(v);
    if (!Number.isInteger(n)) return this.fail(key, `expected a whole number, got "${v}"`, def);
    if (n < min) return this.fail(key, `expected a number ≥ ${min}, got ${n}`, def);
    return n;
  }

  number(key: string, def: number): number {
    const v = this.env[key];
    if (v === undefined || v.trim() === '') return def;
    const n = Number(v);
    return Number.isFinite(n) ? n : this.fail(key, `expected a number, got "${v}"`, def);
  }

  /** true/false/1/0; empty or unset gives the default. */
  flag(key: string, def: boolean): boolean {
    const v = this.env[key];
    if (v === undefined || v === '') return def;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    return this.fail(key, `expected true, false, 1 or 0, got "${v}"`, def);
  }

  matching(key: string, value: string | undefined, pattern: RegExp, what: string): string | undefined {
    return value === undefined || pattern.test(value) ? value : this.fail(key, what, value);
  }
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const VECTOR_STORES = ['hnswlib', 'pgvector'] as const;
const EMBEDDINGS_PROVIDERS = ['local', 'transformers', 'openai', 'ollama'] as const;
const LLM_PROVIDERS = ['none', 'openai', 'mistral', 'ollama'] as const;

export interface Settings {
  CORPUS_DIR: string;
  INDEX_DIR: string;
  LOG_LEVEL: (typeof LOG_LEVELS)[number];

  VECTOR_STORE: (typeof VECTOR_STORES)[number];
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_TABLE_PREFIX: string;

  EMBEDDINGS_PROVIDER: (typeof EMBEDDINGS_PROVIDERS)[number];
  EMBEDDINGS_MODEL?: string;
  EMBEDDINGS_MODEL_PATH?: string;
  EMBEDDINGS_CACHE_DIR: string;
  EMBEDDINGS_DIMENSIONS: number;

  LLM_PROVIDER: (typeof LLM_PROVIDERS)[number];
  LLM_MODEL?: string;
  LLM_TEMPERATURE: number;
  LLM_TIMEOUT_MS: number;
  LLM_MAX_TOKENS: number;
  LLM_MAX_RETRIES: number;
  LLM_STREAMING: boolean;

  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  MISTRAL_API_KEY?: string;
  MISTRAL_BASE_URL?: string;
  OLLAMA_BASE_URL: string;

  RETRIEVAL_TOP_K: number;
  MAX_QUESTION_CHARS: number;

  DISCORD_TOKEN?: string;
  DISCORD_CLIENT_ID?: string;
  DISCORD_GUILD_ID?: string;
  DISCORD_API_URL?: string;
  SHARD_COUNT?: string;
  RATE_LIMIT_PER_MINUTE: number;
  FEEDBACK_FILE: string;

  FEEDS_FILE: string;
  FEEDS_SYNC_MINUTES: number;
  FETCH_TIMEOUT_MS: number;
  FETCH_MAX_BYTES: number;
  FETCH_MAX_REDIRECTS: number;
  FETCH_ALLOW_PRIVATE_HOSTS: boolean;
  CORPUS_WATCH: boolean;
  CORPUS_WATCH_DEBOUNCE_MS: number;
  MAX_ARTICLE_BYTES: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

function read(r: Reader): Settings {
  return {
    CORPUS_DIR: r.string('CORPUS_DIR', 'corpus'),
    INDEX_DIR: r.string('INDEX_DIR', 'data/index'),
    LOG_LEVEL: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),

    VECTOR_STORE: r.oneOf('VECTOR_STORE', VECTOR_STORES, 'hnswlib'),
    DATABASE_URL: r.optional('DATABASE_URL'),
    DATABASE_POOL_SIZE: r.int('DATABASE_POOL_SIZE', 5, 2),
    DATABASE_TABLE_PREFIX: r.matching(
      'DATABASE_TABLE_PREFIX',
      r.optional('DATABASE_TABLE_PREFIX') ?? 'akhbar_',
      /^[a-z_][a-z0-9_]{0,30}$/,
      'lower-case letters, digits and _ only (it prefixes SQL table names)',
    )!,

    EMBEDDINGS_PROVIDER: r.oneOf('EMBEDDINGS_PROVIDER', EMBEDDINGS_PROVIDERS, 'local'),
    EMBEDDINGS_MODEL: r.optional('EMBEDDINGS_MODEL'),
    EMBEDDINGS_MODEL_PATH: r.optional('EMBEDDINGS_MODEL_PATH'),
    EMBEDDINGS_CACHE_DIR: r.string('EMBEDDINGS_CACHE_DIR', 'data/models'),
    EMBEDDINGS_DIMENSIONS: r.int('EMBEDDINGS_DIMENSIONS', 384, 16),

    LLM_PROVIDER: r.oneOf('LLM_PROVIDER', LLM_PROVIDERS, 'none'),
    LLM_MODEL: r.optional('LLM_MODEL'),
    LLM_TEMPERATURE: r.number('LLM_TEMPERATURE', 0.1),
    LLM_TIMEOUT_MS: r.int('LLM_TIMEOUT_MS', 30_000, 100),
    LLM_MAX_TOKENS: r.int('LLM_MAX_TOKENS', 700, 16),
    LLM_MAX_RETRIES: r.int('LLM_MAX_RETRIES', 2, 0),
    LLM_STREAMING: r.flag('LLM_STREAMING', true),

    OPENAI_API_KEY: r.optional('OPENAI_API_KEY'),
    OPENAI_BASE_URL: r.optional('OPENAI_BASE_URL'),
    MISTRAL_API_KEY: r.optional('MISTRAL_API_KEY'),
    MISTRAL_BASE_URL: r.optional('MISTRAL_BASE_URL'),
    OLLAMA_BASE_URL: r.string('OLLAMA_BASE_URL', 'http://127.0.0.1:11434'),

    RETRIEVAL_TOP_K: r.int('RETRIEVAL_TOP_K', 5, 1),
    MAX_QUESTION_CHARS: r.int('MAX_QUESTION_CHARS', 2_000, 50),

    DISCORD_TOKEN: r.optional('DISCORD_TOKEN'),
    DISCORD_CLIENT_ID: r.optional('DISCORD_CLIENT_ID'),
    DISCORD_GUILD_ID: r.optional('DISCORD_GUILD_ID'),
    DISCORD_API_URL: r.optional('DISCORD_API_URL'),
    SHARD_COUNT: r.matching('SHARD_COUNT', r.optional('SHARD_COUNT'), /^(auto|[1-9]\d*)$/, 'a whole number of shards, or auto'),
    RATE_LIMIT_PER_MINUTE: r.int('RATE_LIMIT_PER_MINUTE', 5, 1),
    FEEDBACK_FILE: r.string('FEEDBACK_FILE', 'data/feedback.jsonl'),

    FEEDS_FILE: r.string('FEEDS_FILE', 'data/feeds.json'),
    FEEDS_SYNC_MINUTES: r.int('FEEDS_SYNC_MINUTES', 0, 0),
    FETCH_TIMEOUT_MS: r.int('FETCH_TIMEOUT_MS', 15_000, 100),
    FETCH_MAX_BYTES: r.int('FETCH_MAX_BYTES', 5_000_000, 1_000),
    FETCH_MAX_REDIRECTS: r.int('FETCH_MAX_REDIRECTS', 5, 0),
    FETCH_ALLOW_PRIVATE_HOSTS: r.flag('FETCH_ALLOW_PRIVATE_HOSTS', false),
    CORPUS_WATCH: r.flag('CORPUS_WATCH', true),
    CORPUS_WATCH_DEBOUNCE_MS: r.int('CORPUS_WATCH_DEBOUNCE_MS', 2_000, 0),
    MAX_ARTICLE_BYTES: r.int('MAX_ARTICLE_BYTES', 2_000_000, 1_000),
    SHUTDOWN_TIMEOUT_MS: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 100),
  };
}

export class ConfigError extends Error {}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const reader = new Reader(env);
  const settings = read(reader);
  // A provider that needs a key gets one, unless it is a self-hosted server (base URL set).
  if (settings.LLM_PROVIDER === 'openai' || settings.LLM_PROVIDER === 'mistral') {
    const [key, baseUrl] = settings.LLM_PROVIDER === 'openai' ? (['OPENAI_API_KEY', 'OPENAI_BASE_URL'] as const) : (['MISTRAL_API_KEY', 'MISTRAL_BASE_URL'] as const);
    if (!settings[key] && !settings[baseUrl]) {
      reader.issues.push(`  ${key}: LLM_PROVIDER=${settings.LLM_PROVIDER} needs ${key} (or ${baseUrl} for a self-hosted compatible server), or set LLM_PROVIDER=none for extractive answers`);
    }
  }
  if (reader.issues.length) throw new ConfigError(`Invalid configuration (see .env.example):\n${reader.issues.join('\n')}`);
  if (settings.VECTOR_STORE === 'pgvector' && !settings.DATABASE_URL) {
    throw new ConfigError('VECTOR_STORE=pgvector needs DATABASE_URL (e.g. postgres://akhbar:…@db.example:5432/akhbar); see .env.example');
  }
  if (settings.VECTOR_STORE === 'pgvector' && !/^postgres(ql)?:\/\//i.test(settings.DATABASE_URL!)) {
    // The value is never echoed: it may hold a password.
    throw new ConfigError('DATABASE_URL must start with postgres:// (e.g. postgres://akhbar:…@db.example:5432/akhbar); see .env.example');
  }
  // In production the bot runs under discord.js's ShardingManager unless told otherwise.
  if (settings.SHARD_COUNT === undefined && env.NODE_ENV === 'production') settings.SHARD_COUNT = 'auto';
  return settings;
}
