// The build's copy of snowball-stemmers: only the stemmers akhbar uses, and
// without the glue that made each stem cost tens of microseconds. The package is
// one 870 KB file, machine-translated from Java, defining 24 languages: reading
// and compiling it was ~30 ms of every fresh `akhbar ask`. Its fields are
// accessors that test `hasOwnProperty` on every read, and every method call
// copies `arguments` into a new array to pick an overload. Textual rewrites
// (languages dropped, fields read directly or made plain properties, arguments
// passed on) make it several times faster. Why not another library: none on npm ships these two
// Snowball stemmers with the same stems, and a different stem for one word would
// change every index. The rewritten copy is checked against the package on every
// word of the seed and dev articles and the README before the build goes on, so a
// package whose layout differs fails the build instead of stemming differently.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const KEPT = new Set(['english', 'french']);
/** `    var frenchStemmer = function (_SnowballStemmer10) {` … `    }(SnowballStemmer);` */
const LANGUAGE_CLASS = /^ {4}var (\w+)Stemmer = function \(_SnowballStemmer\d*\) \{\n[\s\S]*?\n {4}\}\(SnowballStemmer\);$/gm;
/** A field's getter: `Object.prototype.hasOwnProperty.call(this, '_$esjava$cursor') ? this._$esjava$cursor : (default)`; no field is ever set to undefined. */
const FIELD_IS_SET = /Object\.prototype\.hasOwnProperty\.call\(this, '(_\$esjava\$\w+)'\)/g;
/**
 * Fields that every instance sets in its constructor (a program's cursor, limits and
 * buffer; a suffix table entry's letters and result): their accessors go, so reads
 * are plain property reads. The `return` that ends each class is where they are removed.
 */
const FIELDS_SET_AT_CONSTRUCTION = {
  Among: ['s', 'substring_i', 'result', 'method', 'methodobject'],
  SnowballProgram: ['current', 'cursor', 'limit', 'limit_backward', 'bra', 'ket'],
};
/** An overload dispatcher's copy of its arguments: `.apply(this, args)` takes the arguments object as well. */
const ARGUMENTS_COPY = /for \(var (_len\d*) = arguments\.length, args = Array\(\1\), (_key\d*) = 0; \2 < \1; \2\+\+\) \{\n\s*args\[\2\] = arguments\[\2\];\n\s*\}/g;

export const SNOWBALL_FILE = require.resolve('snowball-stemmers');

export function snowballForBuild() {
  const source = readFileSync(SNOWBALL_FILE, 'utf8');
  const rewritten = count(source, LANGUAGE_CLASS, (whole, language) => (KEPT.has(language) ? whole : `    var ${language}Stemmer = undefined;`), 20);
  const direct = count(rewritten, FIELD_IS_SET, (_, field) => `this.${field} !== undefined`, 10);
  const passed = count(direct, ARGUMENTS_COPY, () => 'var args = arguments;', 10).replaceAll('[this].concat(args)', '[this].concat(Array.prototype.slice.call(args))');
  const plain = Object.entries(FIELDS_SET_AT_CONSTRUCTION).reduce(
    (text, [name, fields]) => count(text, new RegExp(`^ {8}return ${name};$`, 'gm'), (end) => `${fields.map((f) => `        delete ${name}.prototype.${f};`).join('\n')}\n${end}`, 1),
    passed,
  );
  checkSameStems(plain);
  return plain;
}

/** `text` with `pattern` replaced, failing if the package no longer has the shape the rewrite expects. */
function count(text, pattern, replacement, atLeast) {
  let found = 0;
  const out = text.replace(pattern, (...match) => {
    found++;
    return replacement(...match);
  });
  if (found < atLeast) throw new Error(`snowball-stemmers: expected at least ${atLeast} matches of ${pattern}, found ${found}`);
  return out;
}

/** Words of the seed and dev articles (French and English) and of the README. */
function sampleWords() {
  const root = new URL('../', import.meta.url);
  const folders = ['corpus/', 'eval/articles-dev/'].map((f) => new URL(f, root));
  const texts = folders.flatMap((folder) => readdirSync(folder).map((f) => readFileSync(new URL(f, folder), 'utf8')));
  texts.push(readFileSync(new URL('README.md', root), 'utf8'));
  return new Set(texts.join(' ').toLowerCase().match(/\p{L}+/gu));
}

function checkSameStems(rewritten) {
  const original = require('snowball-stemmers');
  const module = { exports: {} };
  new Function('exports', 'module', rewritten).call(module.exports, module.exports, module);
  const words = sampleWords();
  for (const language of KEPT) {
    const expected = original.newStemmer(language);
    const actual = module.exports.newStemmer(language);
    for (const word of words) {
      const [a, b] = [expected.stem(word), actual.stem(word)];
      if (a !== b) throw new Error(`snowball-stemmers: the build's ${language} stemmer gives ${b} for ${word}, the package ${a}`);
    }
  }
}
