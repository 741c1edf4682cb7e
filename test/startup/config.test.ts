// Settings are read by every command first: checked by hand (no schema library to
// load), so these pin the rules the schema used to enforce.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '../../src/config.js';
import { runCli } from '../support/cli.js';

describe('settings', () => {
  it('gives the documented defaults for an empty environment', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      CORPUS_DIR: 'corpus',
      INDEX_DIR: 'data/index',
      LOG_LEVEL: 'info',
      VECTOR_STORE: 'hnswlib',
      DATABASE_TABLE_PREFIX: 'akhbar_',
      EMBEDDINGS_PROVIDER: 'local',
      EMBEDDINGS_DIMENSIONS: 384,
      LLM_PROVIDER: 'none',
      LLM_TEMPERATURE: 0.1,
      LLM_STREAMING: true,
      RATE_LIMIT_PER_MINUTE: 5,
      CORPUS_WATCH: true,
      FETCH_ALLOW_PRIVATE_HOSTS: false,
      MAX_ARTICLE_BYTES: 2_000_000,
    });
    expect(s.DISCORD_TOKEN).toBeUndefined();
    expect(s.SHARD_COUNT).toBeUndefined();
  });

  it('reads numbers, flags and trimmed strings; blank means the default', () => {
    const s = loadSettings({ RETRIEVAL_TOP_K: ' 8 ', LLM_TEMPERATURE: '0.7', CORPUS_WATCH: '0', LLM_STREAMING: '', DISCORD_TOKEN: '  abc  ', EMBEDDINGS_MODEL: '   ', DATABASE_TABLE_PREFIX: ' ', SHARD_COUNT: '3' });
    expect(s).toMatchObject({ RETRIEVAL_TOP_K: 8, LLM_TEMPERATURE: 0.7, CORPUS_WATCH: false, LLM_STREAMING: true, DISCORD_TOKEN: 'abc', DATABASE_TABLE_PREFIX: 'akhbar_', SHARD_COUNT: '3' });
    expect(s.EMBEDDINGS_MODEL).toBeUndefined();
    expect(loadSettings({ NODE_ENV: 'production' }).SHARD_COUNT).toBe('auto');
  });

  it('names every bad variable in one error', () => {
    let message = '';
    try {
      loadSettings({ LOG_LEVEL: 'loud', RATE_LIMIT_PER_MINUTE: '0', RETRIEVAL_TOP_K: '2.5', LLM_TEMPERATURE: 'warm', CORPUS_WATCH: 'yes', SHARD_COUNT: '0', DATABASE_TABLE_PREFIX: 'Bad-Prefix' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration (see .env.example):',
      '  LOG_LEVEL: expected one of debug, info, warn, error, silent, got "loud"',
      '  DATABASE_TABLE_PREFIX: lower-case letters, digits and _ only (it prefixes SQL table names)',
      '  LLM_TEMPERATURE: expected a number, got "warm"',
      '  RETRIEVAL_TOP_K: expected a whole number, got "2.5"',
      '  SHARD_COUNT: a whole number of shards, or auto',
      '  RATE_LIMIT_PER_MINUTE: expected a number ≥ 1, got 0',
      '  CORPUS_WATCH: expected true, false, 1 or 0, got "yes"',
    ]);
  });

  it('is reported by the CLI as one clear message, exit code 1, no stack trace', () => {
    const r = runCli(['sources'], { EMBEDDINGS_PROVIDER: 'remote' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('EMBEDDINGS_PROVIDER: expected one of local, transformers, openai, ollama, got "remote"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
