// The items a sentence enumerates ("tels que Inwi, Maroc Telecom et Orange",
// "three pillars: the digital economy, public services and inclusion"): what
// a list question ("quels opérateurs…", "which companies…") asks for.

/** A coordinating word before the last item of an enumeration. */
const LAST_ITEM = /\s(?:et|and|ou|or|ainsi que|as well as)\s/giu;
/** Words that introduce an enumeration: the first item starts after them. */
const INTRODUCER = /(?:^|\s)(?:tels? que|telles? que|such as|including|include|includes|notamment|comme|like|namely|à savoir|dont|soit)\s|:\s/giu;
/** Words an item may have: after an introducer, items may be phrases ("the launch of a formal certification process…"); without one, longer is a clause. */
const MAX_ITEM_WORDS = { introduced: 16, bare: 5 };
/** What opens a clause, not a thing listed: a relative pronoun, a subordinator, a gerund ("tout en soutenant"). */
const CLAUSE = /^(?:qui|que|qu['’]|dont|où|lorsque|quand|tandis|tout en|afin|which|who|whom|that|where|when|while|whereas)(?![\p{L}])/iu;
/** Two things joined by "et" are often two verbs; two names are an enumeration. */
const MIN_ITEMS = { names: 2, other: 3 };
const QUOTES = /^[\s«»“”"'‘’]+|[\s«»“”"'‘’.,;:]+$/gu;
/** A name: capitalised words (with the particles names carry), or a quoted run. */
const NAME = /^(?:«\s*[^»]+»|“[^”]+”|"[^"]+"|\p{Lu}[\p{L}\p{N}'’&.-]*(?:\s(?:de |du |des |of |d['’])?\p{Lu}[\p{L}\p{N}'’&.-]*)*)/u;
const ENDS_WITH_NAME = /(?:^|\s)\p{Lu}[\p{L}\p{N}'’&.-]*$/u;
/** A name closing a clause ("… signed deals with France"): the first item when no introducer marks the start. */
const NAME_AT_END = /(?<!\S)(?:«\s*)?\p{Lu}[^\s,]*(?:\s\p{Lu}[^\s,]*)*\s*»?$/u;
/** "Ministry of Digital Transition and Administrative Reform" is one name, not two. */
const INSIDE_A_NAME = /(?:^|\s)(?:of|de|du|des|d['’]|for|pour)\s*$/u;

function nameAtEnd(segment: string): string | undefined {
  const m = NAME_AT_END.exec(segment);
  return m && !INSIDE_A_NAME.test(segment.slice(0, m.index)) ? m[0] : undefined;
}

export interface Item {
  text: string;
  name: boolean;
}

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;
const clean = (s: string) => s.replace(QUOTES, '').trim();

/** The name an item opens with, or the whole item when it is a short phrase. */
function itemOf(raw: string, last: boolean, maxWords: number): Item | undefined {
  const trimmed = raw.trim().replace(/^[»”"]\s*/u, '');
  const name = NAME.exec(trimmed);
  // The last item runs on into the sentence ("« Orange » pour apporter…"): a name stops at its end.
  if (name && (last || clean(trimmed).length === clean(name[0]).length)) return { text: clean(name[0]), name: true };
  const text = clean(trimmed.split(/[;:(]/)[0]!);
  // A phrase ending in a name names a thing too ("AI chipmaker Nvidia", "South Korea’s Naver").
  return text && wordCount(text) <= maxWords ? { text, name: ENDS_WITH_NAME.test(text) } : undefined;
}

/** The items before the last one: from an introducer ("tels que", "including", ":") if one is near, else back while segments stay short. */
function leadingItems(before: string): { raw: string[]; maxWords: number } {
  const intro = [...before.matchAll(INTRODUCER)].at(-1);
  if (intro) {
    const raw = before.slice(intro.index + intro[0].length).split(/,\s+/);
    if (raw.every((s) => wordCount(s) <= MAX_ITEM_WORDS.introduced)) return { raw, maxWords: MAX_ITEM_WORDS.introduced };
  }
  const segments = before.split(/,\s+/);
  const raw: string[] = [];
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    const clause = wordCount(segment) > MAX_ITEM_WORDS.bare;
    if (clause || i === 0) {
      // The closing name (or the whole segment, when it is one); else a short phrase opening the sentence —
      // but not one ending inside a longer name.
      const tail = nameAtEnd(segment);
      if (tail) raw.unshift(tail);
      else if (!clause && !ENDS_WITH_NAME.test(segment)) raw.unshift(segment);
      break;
    }
    raw.unshift(segment);
  }
  return { raw, maxWords: MAX_ITEM_WORDS.bare };
}

/** The items of the longest enumeration in a sentence, or none. */
export function enumerationOf(sentence: string): Item[] {
  let best: Item[] = [];
  for (const m of sentence.matchAll(LAST_ITEM)) {
    const lastRaw = sentence.slice(m.index + m[0].length).split(/,\s|[.;]\s|[.;]$/)[0]!;
    const { raw, maxWords } = leadingItems(sentence.slice(0, m.index));
    const last = itemOf(lastRaw, true, maxWords);
    const lead = raw.map((s) => itemOf(s, false, maxWords));
    if (!last || !lead.length || lead.some((x) => !x)) continue;
    const items = [...(lead as Item[]), last];
    const allNames = items.every((x) => x.name);
    // Things listed together are alike: names with a clause ("Amal El Fellah et Ryad Mezzour, ont souligné…") are no list,
    // nor are phrases one of which is a clause ("…, qui sont essentiels pour assurer la sécurité et…").
    if (!allNames && items.some((x) => x.name || CLAUSE.test(x.text))) continue;
    if (items.length < (allNames ? MIN_ITEMS.names : MIN_ITEMS.other)) continue;
    if (items.length > best.length) best = items;
  }
  return best;
}
