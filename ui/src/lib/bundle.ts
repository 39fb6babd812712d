// Pure logic of the counsel bundle screen: sections of chosen evidence, moving and ordering their items, the
// passphrase pair, and the BundleSpec sent to the backend. The one decision: an item belongs to at most one section
// (the backend refuses an item chosen twice), so every change goes through `place`, which takes it out first.
import type { BundleSpec } from './bindings/BundleSpec';
import type { MessageKey } from './i18n';
import { fuzzyRange, isProblem, parseFuzzyDate } from './dates';

/** A section being edited; `key` stays the same through renames and moves, for keyed lists and focus. */
export type SectionDraft = { key: number; title: string; items: number[] };

/** Languages the backend writes a bundle's own pages in. */
export const BUNDLE_LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export type BundleLanguage = (typeof BUNDLE_LANGUAGES)[number];

/** The backend refuses a shorter passphrase: the file may travel by e-mail. */
export const MIN_BUNDLE_PASSPHRASE = 8;

/** Section names offered with one click, in the reader's language. */
export const PRESET_SECTIONS: ReadonlyArray<{ id: string; label: MessageKey }> = [
  { id: 'identity', label: 'bundle.preset_identity' },
  { id: 'persecution', label: 'bundle.preset_persecution' },
  { id: 'court_decisions', label: 'bundle.preset_court_decisions' },
  { id: 'asylum', label: 'bundle.preset_asylum' },
];

export function isBundleLanguage(value: string): value is BundleLanguage {
  return (BUNDLE_LANGUAGES as readonly string[]).includes(value);
}

/** The next unused section key. */
export function nextKey(sections: readonly SectionDraft[]): number {
  return sections.reduce((max, s) => Math.max(max, s.key), 0) + 1;
}

/** The section holding `item`, or undefined when it is not chosen. */
export function sectionOf(sections: readonly SectionDraft[], item: number): SectionDraft | undefined {
  return sections.find((s) => s.items.includes(item));
}

export function isChosen(sections: readonly SectionDraft[], item: number): boolean {
  return sectionOf(sections, item) !== undefined;
}

/** Every chosen item, in bundle order. */
export function chosenItems(sections: readonly SectionDraft[]): number[] {
  return sections.flatMap((s) => s.items);
}

/**
 * Puts `item` into section `key` at `index` (clamped; the end when omitted), taking it out of wherever it was.
 * Indexes count the section's items without `item`, so dropping an item "before the next one" means the same
 * thing whether it came from above or below. Unknown section: nothing changes.
 */
export function place(sections: readonly SectionDraft[], item: number, key: number, index?: number): SectionDraft[] {
  if (!sections.some((s) => s.key === key)) return sections.map((s) => ({ ...s, items: [...s.items] }));
  return sections.map((s) => {
    const items = s.items.filter((i) => i !== item);
    if (s.key !== key) return { ...s, items };
    const at = Math.max(0, Math.min(index ?? items.length, items.length));
    items.splice(at, 0, item);
    return { ...s, items };
  });
}

/** Chooses `item` (appended to section `key`); an item already chosen stays where it is. */
export function choose(sections: readonly SectionDraft[], item: number, key: number): SectionDraft[] {
  if (isChosen(sections, item)) return sections.map((s) => ({ ...s, items: [...s.items] }));
  return place(sections, item, key);
}

/** Takes `item` out of the bundle. */
export function unchoose(sections: readonly SectionDraft[], item: number): SectionDraft[] {
  return sections.map((s) => ({ ...s, items: s.items.filter((i) => i !== item) }));
}

/** Moves `item` one place up (-1) or down (+1) within its section; at either end nothing changes. */
export function moveWithin(sections: readonly SectionDraft[], item: number, delta: -1 | 1): SectionDraft[] {
  return sections.map((s) => {
    const items = [...s.items];
    const from = items.indexOf(item);
    const to = from + delta;
    if (from >= 0 && to >= 0 && to < items.length) {
      items[from] = items[to] as number;
      items[to] = item;
    }
    return { ...s, items };
  });
}

/**
 * The sort key of a document date ("2019", "about 2019-03", "2019-03-14"): the first day it can mean, or "" when
 * there is no date or it cannot be read.
 */
export function dateKey(docDate: string | null | undefined): string {
  if (!docDate) return '';
  const parsed = parseFuzzyDate(docDate);
  return isProblem(parsed) ? '' : fuzzyRange(parsed).from;
}

/** Orders section `key` by document date, oldest first; undated items last, ties keep their order. */
export function sortByDate(
  sections: readonly SectionDraft[],
  key: number,
  dateOf: (item: number) => string | null | undefined,
): SectionDraft[] {
  return sections.map((s) => {
    if (s.key !== key) return { ...s, items: [...s.items] };
    const keyed = s.items.map((item, i) => ({ item, i, date: dateKey(dateOf(item)) }));
    keyed.sort((a, b) => {
      if (a.date === b.date) return a.i - b.i;
      if (a.date === '') return 1;
      if (b.date === '') return -1;
      return a.date < b.date ? -1 : 1;
    });
    return { ...s, items: keyed.map((k) => k.item) };
  });
}

/** Adds an empty section at the end. */
export function addSection(sections: readonly SectionDraft[], title: string): SectionDraft[] {
  return [...sections.map((s) => ({ ...s, items: [...s.items] })), { key: nextKey(sections), title, items: [] }];
}

export function renameSection(sections: readonly SectionDraft[], key: number, title: string): SectionDraft[] {
  return sections.map((s) => ({ ...s, title: s.key === key ? title : s.title, items: [...s.items] }));
}

/**
 * Removes section `key`; its items go to the end of the section before it (the next one for the first), so
 * nothing chosen is dropped silently. The last section cannot be removed.
 */
export function removeSection(sections: readonly SectionDraft[], key: number): SectionDraft[] {
  const at = sections.findIndex((s) => s.key === key);
  const removed = sections[at];
  if (!removed || sections.length < 2) return sections.map((s) => ({ ...s, items: [...s.items] }));
  const heir = sections[at > 0 ? at - 1 : at + 1] as SectionDraft;
  return sections
    .filter((s) => s.key !== key)
    .map((s) => ({ ...s, items: s.key === heir.key ? [...s.items, ...removed.items] : [...s.items] }));
}

/** The sections of a spec the backend suggested, keeping only the items still available (`available`). */
export function sectionsFromSpec(
  spec: BundleSpec,
  available: (item: number) => boolean,
): { sections: SectionDraft[]; dropped: number } {
  let dropped = 0;
  const seen = new Set<number>();
  const sections = spec.sections.map((s, i) => ({
    key: i + 1,
    title: s.title,
    items: s.items.filter((item) => {
      const ok = available(item) && !seen.has(item);
      seen.add(item);
      if (!ok) dropped += 1;
      return ok;
    }),
  }));
  return { sections, dropped };
}

/**
 * What the person chose, as the backend takes it; sections left empty are not sent, nor originals asked for of
 * items no longer chosen.
 */
export function buildSpec(choice: {
  sections: readonly SectionDraft[];
  contact: number | null;
  events: readonly number[];
  keepMetadata: boolean;
  attachOriginals?: readonly number[];
  language: BundleLanguage;
}): BundleSpec {
  const chosen = new Set(choice.sections.flatMap((s) => s.items));
  return {
    sections: choice.sections
      .filter((s) => s.items.length > 0)
      .map((s) => ({ title: s.title.trim(), items: [...s.items] })),
    contact: choice.contact,
    events: [...choice.events],
    keep_metadata: choice.keepMetadata,
    attach_originals: (choice.attachOriginals ?? []).filter((id) => chosen.has(id)),
    language: choice.language,
  };
}

export type PassphraseProblem =
  | { field: 'first'; key: 'passphrase.too_short'; params: { min: number } }
  | { field: 'second'; key: 'passphrase.mismatch'; params?: undefined };

/**
 * The optional passphrase, typed twice: both empty means no encryption; otherwise at least
 * MIN_BUNDLE_PASSPHRASE characters (as the backend counts them: code points), and the same twice.
 */
export function checkPassphrasePair(first: string, second: string): PassphraseProblem | null {
  if (first === '' && second === '') return null;
  if ([...first].length < MIN_BUNDLE_PASSPHRASE) {
    return { field: 'first', key: 'passphrase.too_short', params: { min: MIN_BUNDLE_PASSPHRASE } };
  }
  if (first !== second) return { field: 'second', key: 'passphrase.mismatch' };
  return null;
}

/** A SHA-256 short enough for a list: its first 12 hex digits. */
export function shortHash(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}
