#!/usr/bin/env node
// The installed `akhbar` command runs the compiled CLI (`npm run build`, which `npm install` runs).
// Node's modules are fetched with process.getBuiltinModule, not imported: an import of
// node:fs makes Node read every export once, which loads all of its streams.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`akhbar needs Node.js 22.12 or later; this is ${process.version}. "Run it" in the README says how to get it.\n`);
  process.exit(1);
}

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!process.getBuiltinModule('node:fs').existsSync(main)) {
  process.stderr.write('akhbar is not built yet: run `npm run build` (or `npm install`) in its folder.\n');
  process.exit(1);
}
await import(main.href);
