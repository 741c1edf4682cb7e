// A larger corpus for update and crash tests: articles made by re-sampling
// sentences of the real dev articles (deterministic).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_ARTICLES } from './articles.js';

export function devSentences(): string[] {
  return readdirSync(DEV_ARTICLES).flatMap((f) =>
    readFileSync(path.join(DEV_ARTICLES, f), 'utf8').replace(/^---[\s\S]*?---/, '').split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) => s.length > 40),
  );
}

/** Writes `count` articles of `paragraphs` paragraphs into `dir`; returns their file names. */
export function writeSyntheticArticles(dir: string, count: number, paragraphs = 6, seed = 1): string[] {
  mkdirSync(dir, { recursive: true });
  const sentences = devSentences();
  let x = seed;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % sentences.length);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: paragraphs }, () => Array.from({ length: 4 }, () => sentences[next()]).join(' ')).join('\n\n');
    const name = `synthetic-${seed}-${String(i).padStart(5, '0')}.md`;
    writeFileSync(path.join(dir, name), `---\ntitle: "Synthetic article ${seed}-${i}"\nsource: "Synthetic"\nlang: fr\n---\n${body}\n`);
    names.push(name);
  }
  return names;
}
