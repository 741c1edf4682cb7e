// Long index updates run in the bot's process, beside Discord interactions that
// must be acknowledged within 3 seconds. The update's loops call the function
// this returns between units of work (an article, a batch): once the current
// slice has held the event loop for `sliceMs`, it lets pending events run.
import { setImmediate as nextTurn } from 'node:timers/promises';

export function eventLoopYielder(sliceMs = 25): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await nextTurn();
    sliceStart = performance.now();
  };
}
