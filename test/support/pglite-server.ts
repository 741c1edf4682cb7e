// A real Postgres wire server for tests: PGlite (with pgvector unless
// --no-vector) behind PGlite's socket server on 127.0.0.1. Run as its own
// process so a test can stop and restart "the database" like a real one.
// Prints `{"port":N}` once listening; SIGTERM closes it cleanly (data kept in --data-dir).
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' }, 'no-vector': { type: 'boolean', default: false } },
});
const db = await PGlite.create({ dataDir: values['data-dir'], extensions: values['no-vector'] ? {} : { vector } });
// Several pooled clients per process and several processes: the socket server multiplexes them.
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: Number(values.port), maxConnections: 32 });
await server.start();
const address = server.getServerConn();
process.stdout.write(`${JSON.stringify({ port: Number(address.split(':').pop()) })}\n`);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await server.stop();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
