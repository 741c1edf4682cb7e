// Loaded with `node --import` by tests: writes the npm packages the process imported
// (one name a line) to $AKHBAR_PACKAGES_FILE when it exits.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(result.url);
    if (match) seen.add(match[1]);
    return result;
  },
});
process.on('exit', () => appendFileSync(process.env.AKHBAR_PACKAGES_FILE, [...seen].map((p) => `${p}\n`).join('')));
