// Translations linked to their originals (issue 13 §4): the evidence list folds each translation under its
// original, and the item page names languages in the reader's own language. Pure functions, tested beside.
import type { EvidenceItem } from './bindings/EvidenceItem';

/** The languages offered first when marking a translation: the CCF's working languages, then the languages of
 * the countries that most often target people through INTERPOL. Any other two-letter code can be typed. */
export const TRANSLATION_LANGUAGES = ['en', 'fr', 'es', 'ar', 'ru', 'uk', 'tr', 'be', 'kk', 'uz', 'tg', 'ky', 'az'];

/** The CCF reads these (ST 30(2)). */
export const WORKING_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'en', 'fr', 'es']);

/** A row of the evidence list: an item, and the translations folded under it. */
export type FoldedRow = { item: EvidenceItem; translations: EvidenceItem[] };

/** `rows` in their order, each translation whose original is among them moved under it (by id); a translation
 * whose original is not shown (filtered out, or in the trash) stays a row of its own. */
export function foldTranslations(rows: EvidenceItem[]): FoldedRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  // The original a row folds under: shown, and itself a row of its own (a translation of a translation, which
  // only a restore from the trash can leave, stays a row, so nothing ever disappears from the list).
  const parent = (r: EvidenceItem): number | null => {
    const original = r.translation?.original;
    if (original === undefined || original === r.id || !byId.has(original)) return null;
    const above = byId.get(original)?.translation?.original;
    return above !== undefined && above !== original && byId.has(above) ? null : original;
  };
  const under = new Map<number, EvidenceItem[]>();
  for (const r of rows) {
    const p = parent(r);
    if (p !== null) under.set(p, [...(under.get(p) ?? []), r]);
  }
  return rows
    .filter((r) => parent(r) === null)
    .map((item) => ({ item, translations: (under.get(item.id) ?? []).sort((a, b) => a.id - b.id) }));
}

/** The name of language `code` in `locale` as a list or a heading shows it, first letter capital ("English",
 * "Английский"), or the code itself when unknown. */
export function languageName(code: string, locale: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([locale], { type: 'language' }).of(code);
  } catch {
    name = undefined;
  }
  if (!name || name.toLowerCase() === code.toLowerCase()) return code.toUpperCase();
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/** Languages whose own writing puts language names in lower case inside a sentence. */
const LOWER_CASE_NAMES: ReadonlySet<string> = new Set(['ru', 'uk', 'be', 'fr', 'es', 'it', 'pt', 'pl', 'tr', 'kk', 'uz']);

/** The name of language `code` inside a sentence in `locale` ("перевод на английский", "English translation"):
 * WebKit gives the list form, capitalised, where Russian writes it in lower case. */
export function languageInText(code: string, locale: string): string {
  const name = languageName(code, locale);
  const base = locale.split('-')[0]?.toLowerCase() ?? '';
  return LOWER_CASE_NAMES.has(base) && name !== code.toUpperCase() ? name.toLocaleLowerCase(locale) : name;
}

/** A language code as typed: two or three letters, lower case; `null` when it is not one. */
export function languageCode(typed: string): string | null {
  const code = typed.trim().toLowerCase();
  return /^[a-z]{2,3}$/.test(code) ? code : null;
}

/** The items that may be chosen as the original of `id`: not itself, not a translation, not in the trash. */
export function possibleOriginals(items: EvidenceItem[], id: number): EvidenceItem[] {
  return items.filter((i) => i.id !== id && !i.trashed && !i.translation);
}

/** Tesseract's language codes (ISO 639-2) as ISO 639-1, for naming them. */
const OCR_CODES: Record<string, string> = { rus: 'ru', eng: 'en', ukr: 'uk', tur: 'tr', ara: 'ar', fra: 'fr', spa: 'es' };

/** An OCR run's languages (`rus+eng`) named in `locale` ("Russian + English"). */
export function ocrLanguageNames(languages: string, locale: string): string {
  return languages
    .split('+')
    .filter((c) => c !== '')
    .map((c) => languageName(OCR_CODES[c] ?? c, locale))
    .join(' + ');
}

/** The language of an OCR run's text (`ara+eng` is Arabic), as a `lang` attribute: the first language's. */
export function ocrTextLanguage(languages: string): string | undefined {
  return OCR_CODES[languages.split('+')[0] ?? ''];
}

/** The choice the OCR language list starts on. An item with a language of its own starts on "the item's
 * language" (''); one without starts on the interface's language with English when its data is installed (a
 * Turkish window reads Turkish scans), and on "the item's language" (Russian and English) otherwise, as in an
 * English window. `available` are the choices offered. */
export function defaultOcrChoice(itemLanguage: string, locale: string, available: (string | null)[]): string {
  if (itemLanguage.trim() !== '') return '';
  const code = Object.entries(OCR_CODES).find(([, iso]) => iso === locale)?.[0];
  const own = code === undefined || code === 'eng' ? undefined : `${code}+eng`;
  return own !== undefined && available.includes(own) ? own : '';
}

/** An annex as a CCF draft lists it: its evidence item, the original it follows (when it is a translation placed
 * after one), and whether the draft adds it on its own (a linked translation the person did not annex). */
export type ListedAnnex = { evidence: number; follows: number | null; added: boolean };

/** A request's annexes numbered as its draft in `language` numbers them (the backend's `listed_annexes`): each
 * annex followed by its linked translations, those annexed and those into `language`, each once; a translation
 * whose original is not annexed stays where it is. The annex number is the place in this list, from 1. */
export function listedAnnexes(annexes: number[], items: EvidenceItem[], language: string): ListedAnnex[] {
  const live = items.filter((i) => !i.trashed);
  const of = (id: number) => live.find((i) => i.id === id)?.translation;
  const position = (id: number) => {
    const p = annexes.indexOf(id);
    return p < 0 ? Number.MAX_SAFE_INTEGER : p;
  };
  const out: ListedAnnex[] = [];
  const listed = (id: number) => out.some((a) => a.evidence === id);
  for (const id of annexes) {
    const own = of(id);
    // After its original, when that is annexed as an original (a translation of a translation keeps its place).
    if (listed(id) || (own && annexes.includes(own.original) && !of(own.original))) continue;
    out.push({ evidence: id, follows: null, added: false });
    if (own) continue;
    const translations = live
      .filter(
        (i) =>
          i.translation?.original === id && (annexes.includes(i.id) || i.translation.language === language),
      )
      .sort((a, b) => position(a.id) - position(b.id) || a.id - b.id);
    for (const tr of translations) {
      if (!listed(tr.id)) out.push({ evidence: tr.id, follows: id, added: !annexes.includes(tr.id) });
    }
  }
  for (const id of annexes) if (!listed(id)) out.push({ evidence: id, follows: null, added: false });
  return out;
}
