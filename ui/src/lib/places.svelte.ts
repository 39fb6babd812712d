// Countries and languages by code (issue 14 §4). The backend stores a country as its ISO 3166 code and a
// language as its ISO 639 code, and names them from CLDR in each language (places.rs); the screens show those
// names in the interface's language and offer them in a searchable list. What a person types that names no
// country or language is kept as typed, and shown so.

import * as api from './api';
import type { NamedPlace } from './bindings/NamedPlace';
import type { Places } from './bindings/Places';

export type PlaceKind = 'country' | 'language';

/** The names in one interface language, by code, with the lists sorted by name in that language's collation. */
export type PlaceNames = {
  countries: NamedPlace[];
  languages: NamedPlace[];
  country: Readonly<Record<string, string>>;
  language: Readonly<Record<string, string>>;
  /** Every name the backend reads as a country or language, in every language it speaks, folded, to its code. */
  countryKeys: Readonly<Record<string, string>>;
  languageKeys: Readonly<Record<string, string>>;
};

/** Names by code; a list sorted by name as `locale` sorts. */
export function placeNames(places: Places, locale: string): PlaceNames {
  const collator = new Intl.Collator(locale);
  const sorted = (list: NamedPlace[]): NamedPlace[] => [...list].sort((a, b) => collator.compare(a.name, b.name));
  return {
    countries: sorted(places.countries),
    languages: sorted(places.languages),
    country: Object.fromEntries(places.countries.map((p) => [p.code, p.name])),
    language: Object.fromEntries(places.languages.map((p) => [p.code, p.name])),
    countryKeys: Object.fromEntries(places.country_keys.map((p) => [p.name, p.code])),
    languageKeys: Object.fromEntries(places.language_keys.map((p) => [p.name, p.code])),
  };
}

// A cache of loads, by interface language (not state: nothing renders from it).
const loaded: Record<string, Promise<PlaceNames>> = {};
let names = $state<{ locale: string; names: PlaceNames } | null>(null);

/** Loads the names in `locale` once (they come from the backend's CLDR data; no vault is needed). */
export function loadPlaces(locale: string): Promise<PlaceNames> {
  let p = loaded[locale];
  if (!p) {
    p = api.places(locale).then((places) => placeNames(places, locale));
    loaded[locale] = p;
    p.catch(() => delete loaded[locale]);
  }
  return p.then((n) => {
    names = { locale, names: n };
    return n;
  });
}

/** The names loaded for `locale`, or null while they load (a screen shows the stored value meanwhile). */
export function currentPlaces(locale: string): PlaceNames | null {
  return names && names.locale === locale ? names.names : null;
}

/** A stored country or language as the reader sees it: its name when it is a code, else as it was typed. */
export function placeLabel(kind: PlaceKind, stored: string, n: PlaceNames | null): string {
  if (!n) return stored;
  const byCode = kind === 'country' ? n.country : n.language;
  return Object.prototype.hasOwnProperty.call(byCode, stored) ? (byCode[stored] ?? stored) : stored;
}

/** A stored list (`ru, en`, or a list of values) as the reader sees it, joined with `separator`. */
export function placeLabels(kind: PlaceKind, stored: string[], n: PlaceNames | null, separator = ', '): string {
  return stored.map((s) => placeLabel(kind, s, n)).join(separator);
}

/** Folds a name as the backend's `places::key` does: no accents or other marks, lower case, one kind of
 * apostrophe, no dots, single spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’ʼ`]/gu, "'")
    .replace(/\./gu, '')
    .split(/\s+/u)
    .filter((w) => w !== '')
    .join(' ');
}

/** The code a typed value will be stored as (a code the list knows, or a name in any language the backend
 * reads), or null when it will be kept as typed. */
export function resolvePlace(kind: PlaceKind, n: PlaceNames, typed: string): string | null {
  const f = fold(typed);
  if (f === '') return null;
  const byCode = kind === 'country' ? n.country : n.language;
  const code = kind === 'country' ? f.toUpperCase() : f;
  if (f.length === 2 && Object.prototype.hasOwnProperty.call(byCode, code)) return code;
  const keys = kind === 'country' ? n.countryKeys : n.languageKeys;
  return Object.prototype.hasOwnProperty.call(keys, f) ? (keys[f] ?? null) : null;
}

/** Up to `limit` entries for what is typed: names starting with it first, then names with a word starting with
 * it, then the code itself. */
export function matchPlaces(list: NamedPlace[], typed: string, limit = 8): NamedPlace[] {
  const f = fold(typed);
  if (f === '') return [];
  const starts: NamedPlace[] = [];
  const words: NamedPlace[] = [];
  for (const p of list) {
    const name = fold(p.name);
    if (name.startsWith(f) || p.code.toLowerCase() === f) starts.push(p);
    else if (name.split(/[\s\-(),.']+/u).some((w) => w.startsWith(f))) words.push(p);
  }
  return [...starts, ...words].slice(0, limit);
}
