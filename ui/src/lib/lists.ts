// Lists typed into one field ("arrest, court; Moscow"): tags, languages, reminder days.
// Empty entries and repeats are dropped; the order the person typed is kept.

/** "a, b ,, c" → ["a", "b", "c"] (duplicates removed, order kept). */
export function parseList(text: string, separator: RegExp = /[,;،\n]/u): string[] {
  const out: string[] = [];
  for (const part of text.split(separator)) {
    const v = part.trim();
    if (v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}
