#!/usr/bin/env node
// The installed `akhbar` command runs the compiled CLI (`npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('akhbar is not built yet: run `npm run build` (or `npm install`) in its folder.\n');
  process.exit(1);
}
await import(main.href);
