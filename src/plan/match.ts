// Matching plan rows to catalogue datasets by normalised title. Similarity is the Dice coefficient over character
// bigrams, which suits Chinese titles (no word boundaries) and English alike; it is always reported.
import * as OpenCC from 'opencc-js';

// Plans and catalogues are written in Traditional or Simplified Chinese (DATA.GOV.HK publishes both); titles are
// compared in Traditional characters so 劳工处 matches 勞工處. Character-level conversion only (no phrase rewriting).
// Built on first use: its tables take ~55 MB, which every other command (an audit above all) should not carry.
let converter: ((s: string) => string) | undefined;
const toTraditional = (s: string): string => (converter ??= OpenCC.Converter({ from: 'cn', to: 't' }))(s);

/** Traditional characters, NFKC, lower case, no spaces or punctuation, no "category / " prefix. */
export function normaliseTitle(s: string): string {
  return toTraditional(s)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^[^/／]{1,20}?\s*[/／]\s*/, (m) => (/[\u3400-\u9fff]/.test(m) ? '' : m)) // "社會福利 / …"
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const chars = [...s];
  if (chars.length === 1) m.set(chars[0], 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i] + chars[i + 1];
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** 0…1; 1 for equal normalised titles. */
export function titleSimilarity(a: string, b: string): number {
  const x = normaliseTitle(a);
  const y = normaliseTitle(b);
  if (!x || !y) return 0;
  if (x === y) return 1;
  const bx = bigrams(x);
  const by = bigrams(y);
  let common = 0;
  let total = 0;
  for (const [g, n] of bx) {
    common += Math.min(n, by.get(g) ?? 0);
    total += n;
  }
  for (const n of by.values()) total += n;
  return total ? (2 * common) / total : 0;
}

export interface Candidate<T> {
  item: T;
  title: string;
  similarity: number;
}

/** The most similar candidate (ties: the first), or undefined when there are none. */
export function bestMatch<T>(name: string, items: T[], titleOf: (t: T) => string, prefer?: (t: T) => boolean): Candidate<T> | undefined {
  let best: Candidate<T> | undefined;
  for (const item of items) {
    const title = titleOf(item);
    let similarity = titleSimilarity(name, title);
    // A same-agency dataset wins a tie; it never lifts a poor match over the threshold (the bonus is tiny).
    if (prefer?.(item)) similarity += 1e-6;
    if (!best || similarity > best.similarity) best = { item, title, similarity };
  }
  if (best) best.similarity = Math.min(1, +best.similarity.toFixed(4));
  return best;
}
