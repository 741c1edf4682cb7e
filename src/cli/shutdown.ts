// SIGINT and SIGTERM for every command, installed before anything else loads.
// A command that holds resources (the bot) claims a graceful stop: the first
// signal then asks it to stop, a second one exits at once, and a stop that
// takes longer than its deadline ends with one line and exit code 1. Other
// commands (and the bot before it claims) exit at once with the usual code.
import { constants } from 'node:os';
import { writeStderr } from '../std-streams.js';

type StopSignal = 'SIGINT' | 'SIGTERM';

let claimed: { deadlineMs: number; request: (signal: StopSignal) => void } | undefined;
let stopping = false;

const exitCodeOf = (signal: StopSignal) => 128 + constants.signals[signal];

function onSignal(signal: StopSignal): void {
  if (!claimed || stopping) {
    if (stopping) writeStderr(`${signal} again: exiting without waiting for the stop to finish\n`);
    process.exit(exitCodeOf(signal));
  }
  stopping = true;
  const { deadlineMs } = claimed;
  // Unref'd: a stop that releases everything ends the process before this fires.
  setTimeout(() => {
    writeStderr(`${signal}: the stop did not finish within ${deadlineMs} ms (SHUTDOWN_TIMEOUT_MS); exiting anyway\n`);
    process.exit(1);
  }, deadlineMs).unref();
  claimed.request(signal);
}

/** Installs the handlers (once, at the start of the process). */
export function handleStopSignals(): void {
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

/** The caller will stop by itself within `deadlineMs` of the first signal; resolves with that signal. */
export function claimGracefulStop(deadlineMs: number): Promise<StopSignal> {
  return new Promise((resolve) => {
    claimed = { deadlineMs, request: resolve };
  });
}
