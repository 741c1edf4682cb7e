// The build's copy of snowball-stemmers keeps only the stemmers akhbar uses. The
// package is one 870 KB file defining 24 languages: reading and compiling it was
// ~30 ms of every fresh `akhbar ask`. Each language is one class expression in that
// file; the others become `undefined`. The trimmed copy is checked against the
// package on real words before the build goes on, so a package whose layout
// differs fails the build instead of stemming differently.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const KEPT = new Set(['english', 'french']);
/** `    var frenchStemmer = function (_SnowballStemmer10) {` … `    }(SnowballStemmer);` */
const LANGUAGE_CLASS = /^ {4}var (\w+)Stemmer = function \(_SnowballStemmer\d*\) \{\n[\s\S]*?\n {4}\}\(SnowballStemmer\);$/gm;

export const SNOWBALL_FILE = require.resolve('snowball-stemmers');

export function trimmedSnowball() {
  const source = readFileSync(SNOWBALL_FILE, 'utf8');
  let dropped = 0;
  const trimmed = source.replace(LANGUAGE_CLASS, (whole, language) => {
    if (KEPT.has(language)) return whole;
    dropped++;
    return `    var ${language}Stemmer = undefined;`;
  });
  if (dropped < 10) throw new Error(`snowball-stemmers: expected its languages as separate classes, found ${dropped} to drop`);
  checkSame(trimmed);
  return trimmed;
}

/** Words of the seed articles (French) and of the README (English). */
function sampleWords() {
  const corpus = new URL('../corpus/', import.meta.url);
  const texts = [...readdirSync(corpus)].map((f) => readFileSync(new URL(f, corpus), 'utf8'));
  texts.push(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
  return new Set(texts.join(' ').toLowerCase().match(/\p{L}+/gu));
}

function checkSame(trimmed) {
  const full = require('snowball-stemmers');
  const module = { exports: {} };
  new Function('exports', 'module', trimmed).call(module.exports, module.exports, module);
  const words = sampleWords();
  for (const language of KEPT) {
    const a = full.newStemmer(language);
    const b = module.exports.newStemmer(language);
    for (const word of words) {
      if (a.stem(word) !== b.stem(word)) throw new Error(`snowball-stemmers: the trimmed ${language} stemmer gives ${b.stem(word)} for ${word}, the package ${a.stem(word)}`);
    }
  }
}
