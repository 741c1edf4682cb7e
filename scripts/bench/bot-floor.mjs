// The floor of `akhbar bot` start-to-ready on a built index: a bare node process
// that logs a discord.js client in (the bot's intents, through the same API URL)
// while it reads every file of the live generation and loads the vector graph
// with hnswlib, as a bot must to answer many questions, then prints "floor ready".
// What the bot spends beyond it is our modules, decoding the index and
// registering the slash commands.
// Usage: DISCORD_TOKEN=… DISCORD_API_URL=… node scripts/bench/bot-floor.mjs INDEX_DIR
import { Client, Events, GatewayIntentBits } from 'discord.js';
import hnswlib from 'hnswlib-node';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const [indexDir] = process.argv.slice(2);

async function loadIndex() {
  const dir = path.join(indexDir, (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim());
  const files = await readdir(dir);
  const read = await Promise.all(files.filter((f) => !f.endsWith('.hnsw')).map((f) => readFile(path.join(dir, f))));
  const manifest = JSON.parse(read[files.filter((f) => !f.endsWith('.hnsw')).indexOf('manifest.json')].toString('utf8'));
  const graph = new hnswlib.HierarchicalNSW('cosine', manifest.embedder.dimension);
  await graph.readIndex(path.join(dir, files.find((f) => f.endsWith('.hnsw'))), true);
}

async function logIn() {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    rest: { api: process.env.DISCORD_API_URL },
  });
  const ready = once(client, Events.ClientReady);
  await client.login(process.env.DISCORD_TOKEN);
  await ready;
  return client;
}

const [, client] = await Promise.all([loadIndex(), logIn()]);
process.stderr.write('floor ready\n');
await client.destroy();
