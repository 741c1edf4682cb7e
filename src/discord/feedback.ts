// 👍/👎 under answers, appended to a JSONL file (one vote a line), and the
// summary `akhbar feedback` prints. User ids are stored only as sha256 hashes.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Citation } from '../types.js';

export type Vote = 'up' | 'down';

export interface FeedbackRecord {
  time: string;
  vote: Vote;
  messageId: string;
  user: string;
  question: string;
  answer: string;
  citations: Citation[];
}

export function hashUser(userId: string): string {
  return createHash('sha256').update(`akhbar:${userId}`).digest('hex');
}

export async function recordFeedback(file: string, record: FeedbackRecord): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await appendFile(file, `${JSON.stringify(record)}\n`, 'utf8');
}

export interface FeedbackSummary {
  file: string;
  up: number;
  down: number;
  /** Latest 👎 questions, newest first. */
  recentDown: { time: string; question: string }[];
  unreadableLines: number;
}

/** Counts votes, a user's last vote on a message replacing their earlier ones. */
export async function summariseFeedback(file: string, recent = 10): Promise<FeedbackSummary> {
  let content = '';
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const latest = new Map<string, FeedbackRecord>();
  let unreadableLines = 0;
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as FeedbackRecord;
      if (r.vote !== 'up' && r.vote !== 'down') throw new Error('no vote');
      const key = `${r.user}:${r.messageId}`;
      latest.delete(key);
      latest.set(key, r);
    } catch {
      unreadableLines++;
    }
  }
  const votes = [...latest.values()];
  const down = votes.filter((v) => v.vote === 'down');
  return {
    file,
    up: votes.length - down.length,
    down: down.length,
    recentDown: down.slice(-recent).reverse().map((v) => ({ time: v.time, question: v.question })),
    unreadableLines,
  };
}

export function formatFeedback(s: FeedbackSummary): string {
  if (!s.up && !s.down) return `No feedback recorded yet (${s.file}).`;
  const lines = [`👍 ${s.up}  👎 ${s.down}  (${s.file})`];
  if (s.recentDown.length) lines.push('', 'Recent 👎 questions:', ...s.recentDown.map((d) => `  ${d.time.slice(0, 16).replace('T', ' ')}  ${d.question}`));
  if (s.unreadableLines) lines.push('', `${s.unreadableLines} unreadable line(s) skipped.`);
  return lines.join('\n');
}
