import { describe, expect, it } from 'vitest';
import type { EvidenceItem } from './bindings/EvidenceItem';
import { evidenceItem } from './fixtures.test-helpers';
import { allTags, EMPTY_FILTER, filterEvidence } from './evidenceFilter';

const item = evidenceItem;

const items = [
  item(1, { title: 'Arrest warrant', doc_date: '2019-03-14', tags: ['arrest', 'court'], size: 5000 }),
  item(2, { title: 'Photo of the search', mime: 'image/jpeg', doc_date: 'before 2019-03', tags: ['search'], size: 90000 }),
  item(3, { title: 'Interpol letter', doc_date: '2021', tags: ['interpol'], size: 200 }),
  item(4, { title: 'Notes', mime: 'text/plain', tags: ['Arrest notes'] }),
];
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const ids = (list: EvidenceItem[]): number[] => list.map((i) => i.id);

describe('filterEvidence', () => {
  it('finds by title or tag substring, ignoring case', () => {
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, text: 'ARREST', sort: 'title' }, collator))).toEqual([1, 4]);
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, text: 'letter' }, collator))).toEqual([3]);
  });

  it('filters by exact tag and by type', () => {
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, tag: 'search' }, collator))).toEqual([2]);
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, type: 'image' }, collator))).toEqual([2]);
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, type: 'text' }, collator))).toEqual([4]);
  });

  it('filters by document date range, fuzzy dates overlapping it', () => {
    const f = { ...EMPTY_FILTER, from: '2019-03-01', to: '2019-12-31', sort: 'title' as const };
    expect(ids(filterEvidence(items, f, collator))).toEqual([1, 2]);
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, from: '2021-06-01' }, collator))).toEqual([3]);
  });

  it('sorts by date (undated last), title and size', () => {
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, sort: 'date_desc' }, collator))).toEqual([3, 1, 2, 4]);
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, sort: 'date_asc' }, collator))).toEqual([2, 1, 3, 4]);
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, sort: 'title' }, collator))).toEqual([1, 3, 4, 2]);
    expect(ids(filterEvidence(items, { ...EMPTY_FILTER, sort: 'size_desc' }, collator))).toEqual([2, 1, 4, 3]);
  });

  it('lists every tag once, sorted', () => {
    expect(allTags(items, collator)).toEqual(['arrest', 'Arrest notes', 'court', 'interpol', 'search']);
  });
});
