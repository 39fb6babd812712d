// Marks the words of a search in a text, as the backend's search found them: a word is marked when it starts with
// one of the searched words, whatever the case (FTS5's prefix match, unicode61 folding case for Latin and Cyrillic).

export type Segment = { text: string; marked: boolean };

/** `text` cut into runs, each marked or not; the runs joined give `text` back unchanged. */
export function markedSegments(text: string, words: readonly string[]): Segment[] {
  const wanted = words.map((w) => w.toLowerCase()).filter((w) => w !== '');
  if (wanted.length === 0) return [{ text, marked: false }];
  const out: Segment[] = [];
  const push = (part: string, marked: boolean): void => {
    if (part === '') return;
    const last = out[out.length - 1];
    if (last && last.marked === marked) last.text += part;
    else out.push({ text: part, marked });
  };
  for (const part of text.split(/([\p{L}\p{N}]+)/u)) {
    const lower = part.toLowerCase();
    push(part, /^[\p{L}\p{N}]/u.test(part) && wanted.some((w) => lower.startsWith(w)));
  }
  return out.length > 0 ? out : [{ text, marked: false }];
}
