// Pure rules for "a similar name": no I/O, unit-tested.

/** What two names are compared on: NFKC, lower case, no spaces or punctuation. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * The character n-grams of a name, padded like pg_trgm (two spaces before, one after) so a shared
 * beginning weighs more. Trigrams for names of four characters or more, bigrams for shorter ones.
 */
export function nameGrams(name: string, n: 2 | 3): Set<string> {
  const chars = [...(' '.repeat(n - 1) + normalizeName(name) + ' ')];
  const grams = new Set<string>();
  for (let i = 0; i + n <= chars.length; i += 1) grams.add(chars.slice(i, i + n).join(''));
  return grams;
}

/** Jaccard similarity (0..1) of the names' n-grams: trigrams, or bigrams when either name is short. */
export function nameSimilarity(a: string, b: string): number {
  if (!normalizeName(a) || !normalizeName(b)) return 0;
  const short = Math.min([...normalizeName(a)].length, [...normalizeName(b)].length) < 4;
  const x = nameGrams(a, short ? 2 : 3);
  const y = nameGrams(b, short ? 2 : 3);
  let shared = 0;
  for (const g of x) if (y.has(g)) shared += 1;
  const union = x.size + y.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** The unpadded bigrams of a name: the SQL prefilter looks for candidates sharing at least one. */
export function searchBigrams(name: string, max = 30): string[] {
  const chars = [...normalizeName(name)];
  const out = new Set<string>();
  for (let i = 0; i + 2 <= chars.length && out.size < max; i += 1) out.add(chars[i]! + chars[i + 1]!);
  if (out.size === 0 && chars.length === 1) out.add(chars[0]!);
  return [...out];
}

export const SIMILAR_NAME_THRESHOLD = 0.5;
