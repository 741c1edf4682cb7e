// Writing to stdout and stderr without ever failing the process. When the
// reader of a stream goes away (a closed pipe: `| head`, a supervisor restarted,
// a harness exited), writing fails with EPIPE, asynchronously, as an `error`
// event. Unhandled, that event is an uncaught exception whose report is written
// to the same broken stream, failing again: a loop that spins a core. Here a
// failed stream is marked broken and never written to again.
type StdStream = NodeJS.WriteStream;

const broken = new WeakSet<StdStream>();
const guarded = new WeakSet<StdStream>();

function guard(stream: StdStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', () => broken.add(stream));
}

/** Installs the `error` handlers on stdout and stderr (idempotent). */
export function guardStdStreams(): void {
  guard(process.stdout);
  guard(process.stderr);
}

/** True once a stream failed (its reader is gone): output to it is dropped. */
function isBroken(stream: StdStream): boolean {
  return broken.has(stream) || stream.destroyed || stream.writableEnded;
}

function write(stream: StdStream, text: string): void {
  guard(stream);
  if (isBroken(stream)) return;
  try {
    stream.write(text);
  } catch {
    broken.add(stream);
  }
}

export const writeStdout = (text: string): void => write(process.stdout, text);
export const writeStderr = (text: string): void => write(process.stderr, text);
