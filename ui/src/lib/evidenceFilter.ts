// Filtering and sorting of the evidence list (pure, so it is tested without a browser).
import type { EvidenceItem } from './bindings/EvidenceItem';
import { fuzzyRange, isProblem, parseFuzzyDate } from './dates';
import { fileCategory, type FileCategory } from './files';

export type EvidenceSort = 'title' | 'date_desc' | 'date_asc' | 'size_desc';

export type EvidenceFilter = {
  text: string;
  tag: string;
  type: FileCategory | '';
  /** YYYY-MM-DD or empty */
  from: string;
  to: string;
  sort: EvidenceSort;
};

export const EMPTY_FILTER: EvidenceFilter = { text: '', tag: '', type: '', from: '', to: '', sort: 'date_desc' };

/** The earliest and latest day an item's document date can mean, or null without a date. */
function docRange(item: EvidenceItem): { from: string; to: string } | null {
  if (!item.doc_date) return null;
  const parsed = parseFuzzyDate(item.doc_date);
  return isProblem(parsed) ? null : fuzzyRange(parsed);
}

export function filterEvidence(items: EvidenceItem[], f: EvidenceFilter, collator: Intl.Collator): EvidenceItem[] {
  const needle = f.text.trim().toLocaleLowerCase();
  const out = items.filter((item) => {
    if (needle !== '') {
      const inTitle = item.title.toLocaleLowerCase().includes(needle);
      const inTags = item.tags.some((tag) => tag.toLocaleLowerCase().includes(needle));
      const inName = item.original_name.toLocaleLowerCase().includes(needle);
      if (!inTitle && !inTags && !inName) return false;
    }
    if (f.tag !== '' && !item.tags.includes(f.tag)) return false;
    if (f.type !== '' && fileCategory(item.mime) !== f.type) return false;
    if (f.from !== '' || f.to !== '') {
      const range = docRange(item);
      if (!range) return false;
      if (f.from !== '' && range.to < f.from) return false;
      if (f.to !== '' && range.from > f.to) return false;
    }
    return true;
  });
  const byTitle = (a: EvidenceItem, b: EvidenceItem): number => collator.compare(a.title, b.title);
  const dateKey = (item: EvidenceItem): string => docRange(item)?.from ?? '';
  switch (f.sort) {
    case 'title':
      out.sort(byTitle);
      break;
    case 'size_desc':
      out.sort((a, b) => b.size - a.size || byTitle(a, b));
      break;
    case 'date_asc':
    case 'date_desc': {
      const dir = f.sort === 'date_asc' ? 1 : -1;
      out.sort((a, b) => {
        const ka = dateKey(a);
        const kb = dateKey(b);
        // Items without a date go last either way.
        if (ka === '' || kb === '') return ka === kb ? byTitle(a, b) : ka === '' ? 1 : -1;
        return ka < kb ? -dir : ka > kb ? dir : byTitle(a, b);
      });
      break;
    }
  }
  return out;
}

/** Every tag used, sorted for the tag filter. */
export function allTags(items: EvidenceItem[], collator: Intl.Collator): string[] {
  return [...new Set(items.flatMap((i) => i.tags))].sort(collator.compare);
}
