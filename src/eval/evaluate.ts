// Retrieval and answer figures on a JSONL evaluation set (see ../shared/NOTES.md
// for the matching rule): evidence recall@1/@5 and MRR per language, answers
// that contain the expected facts, refusals and false refusals.
import { readFile } from 'node:fs/promises';
import type { Akhbar } from '../core/engine.js';
import type { RetrievalMode } from '../retrieve/index.js';

export interface EvalItem {
  id: string;
  lang: 'fr' | 'en';
  question: string;
  kind?: 'fact' | 'unanswerable' | 'injection';
  evidence?: string;
  must_mention?: string[];
}

interface Bucket {
  n: number;
  r1: number;
  r5: number;
  rr: number;
}

export interface EvalReport {
  retrieval: Record<string, { n: number; recall1: number; recall5: number; mrr: number }>;
  answers: { answerable: number; correct: number; checked: number; falseRefusals: number; unanswerable: number; refused: number };
  misses: string[];
  msPerQuestion: number;
}

export function normalizeForMatch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Evidence is found when the passage holds it whole, or 90% of its words in order (a chunk border cut it). */
export function containsEvidence(passage: string, evidence: string): boolean {
  const p = normalizeForMatch(passage);
  const e = normalizeForMatch(evidence);
  if (p.includes(e)) return true;
  const words = e.split(' ');
  const need = Math.ceil(words.length * 0.9);
  for (let len = words.length - 1; len >= need; len--) {
    for (let start = 0; start + len <= words.length; start++) {
      if (p.includes(words.slice(start, start + len).join(' '))) return true;
    }
  }
  return false;
}

export async function readEvalSet(file: string): Promise<EvalItem[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim());
  return lines.map((l) => JSON.parse(l) as EvalItem);
}

export async function runEvaluation(
  engine: Akhbar,
  file: string,
  { mode = 'hybrid', answers: withAnswers = true }: { mode?: RetrievalMode; answers?: boolean } = {},
): Promise<EvalReport> {
  const items = await readEvalSet(file);
  const buckets: Record<string, Bucket> = {};
  const answers = { answerable: 0, correct: 0, checked: 0, falseRefusals: 0, unanswerable: 0, refused: 0 };
  const misses: string[] = [];
  const started = performance.now();
  for (const item of items) {
    const kind = item.kind ?? 'fact';
    if (item.evidence) {
      const hits = await engine.search(item.question, 5, mode);
      const rank = hits.findIndex((h) => containsEvidence(h.chunk.text, item.evidence!)) + 1;
      for (const key of ['all', item.lang]) {
        const b = (buckets[key] ??= { n: 0, r1: 0, r5: 0, rr: 0 });
        b.n++;
        if (rank === 1) b.r1++;
        if (rank >= 1) b.r5++;
        if (rank >= 1) b.rr += 1 / rank;
      }
      if (rank === 0) misses.push(`retrieval ${item.id} (${item.lang}): ${item.question}`);
    }
    if (!withAnswers) continue;
    const result = await engine.ask(item.question);
    if (kind === 'fact') {
      answers.answerable++;
      if (result.refused) {
        answers.falseRefusals++;
        misses.push(`refused ${item.id} (${item.lang}): ${item.question}`);
      } else if (item.must_mention?.length) {
        answers.checked++;
        if (item.must_mention.every((re) => new RegExp(re, 'i').test(result.answer))) answers.correct++;
        else misses.push(`answer ${item.id}: ${result.answer.slice(0, 160)}`);
      } else if (item.evidence) {
        answers.checked++;
        if (containsEvidence(result.answer, item.evidence)) answers.correct++;
        else misses.push(`answer ${item.id}: ${result.answer.slice(0, 160)}`);
      }
    } else {
      answers.unanswerable++;
      if (result.refused) answers.refused++;
      else misses.push(`answered ${item.id} (${kind}): ${result.answer.slice(0, 160)}`);
    }
  }
  const retrieval = Object.fromEntries(
    Object.entries(buckets).map(([k, b]) => [k, { n: b.n, recall1: b.r1 / b.n, recall5: b.r5 / b.n, mrr: b.rr / b.n }]),
  );
  return { retrieval, answers, misses, msPerQuestion: (performance.now() - started) / Math.max(1, items.length) };
}

export function formatEvaluation(name: string, r: EvalReport): string {
  const f = (x: number) => x.toFixed(3);
  const lines = [`## ${name}`, '', '| lang | n | recall@1 | recall@5 | MRR |', '| --- | --- | --- | --- | --- |'];
  for (const [lang, m] of Object.entries(r.retrieval)) lines.push(`| ${lang} | ${m.n} | ${f(m.recall1)} | ${f(m.recall5)} | ${f(m.mrr)} |`);
  const a = r.answers;
  lines.push(
    '',
    `answers: ${a.correct}/${a.checked} contain the expected facts; false refusals ${a.falseRefusals}/${a.answerable}; ` +
      `unanswerable refused ${a.refused}/${a.unanswerable}; ${r.msPerQuestion.toFixed(1)} ms per question (search + ask)`,
  );
  if (r.misses.length) lines.push('', 'misses:', ...r.misses.map((m) => `- ${m}`));
  return lines.join('\n');
}
