import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ThrottledEditor } from '../../src/discord/throttle.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('edits a streaming reply at most once a second, one edit at a time, showing the latest text', async () => {
  const edits: { at: number; content: string }[] = [];
  let inFlight = 0;
  let overlapped = false;
  const editor = new ThrottledEditor(async (content) => {
    overlapped ||= inFlight > 0;
    inFlight++;
    edits.push({ at: Date.now(), content });
    await new Promise((r) => setTimeout(r, 300)); // a slow Discord
    inFlight--;
  }, () => undefined);
  for (let i = 1; i <= 50; i++) {
    editor.push(`partial ${i}`);
    await vi.advanceTimersByTimeAsync(100);
  }
  await vi.advanceTimersByTimeAsync(2_000);
  await editor.stop();
  expect(overlapped).toBe(false);
  expect(edits.length).toBeGreaterThanOrEqual(4);
  expect(edits.length).toBeLessThanOrEqual(6);
  for (let i = 1; i < edits.length; i++) expect(edits[i].at - edits[i - 1].at).toBeGreaterThanOrEqual(1_000);
  expect(edits.at(-1)!.content).toBe('partial 50');
});

it('makes no edit after stop(), so the final answer is never overwritten by a late partial', async () => {
  const edits: string[] = [];
  const editor = new ThrottledEditor(async (c) => void edits.push(c), () => undefined);
  editor.push('first');
  await vi.advanceTimersByTimeAsync(0);
  editor.push('second');
  await editor.stop();
  await vi.advanceTimersByTimeAsync(5_000);
  editor.push('third');
  await vi.advanceTimersByTimeAsync(5_000);
  expect(edits).toEqual(['first']);
});
