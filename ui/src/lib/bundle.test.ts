import { describe, expect, it } from 'vitest';
import {
  addSection,
  buildSpec,
  checkPassphrasePair,
  choose,
  chosenItems,
  dateKey,
  moveWithin,
  place,
  removeSection,
  renameSection,
  sectionOf,
  sectionsFromSpec,
  shortHash,
  sortByDate,
  unchoose,
  type SectionDraft,
} from './bundle';

const two = (): SectionDraft[] => [
  { key: 1, title: 'Identity', items: [10, 11] },
  { key: 2, title: 'Court decisions', items: [20, 21, 22] },
];

describe('choosing items', () => {
  it('appends a chosen item to the given section, once', () => {
    const s = choose(two(), 30, 1);
    expect(s[0]?.items).toEqual([10, 11, 30]);
    expect(choose(s, 30, 2)).toEqual(s);
  });

  it('takes an item out of whichever section holds it', () => {
    expect(unchoose(two(), 21)[1]?.items).toEqual([20, 22]);
    expect(unchoose(two(), 99)).toEqual(two());
  });

  it('lists every chosen item in bundle order and finds its section', () => {
    expect(chosenItems(two())).toEqual([10, 11, 20, 21, 22]);
    expect(sectionOf(two(), 21)?.key).toBe(2);
    expect(sectionOf(two(), 99)).toBeUndefined();
  });

  it('never changes the sections it was given', () => {
    const before = two();
    choose(before, 30, 1);
    moveWithin(before, 11, -1);
    place(before, 10, 2, 0);
    sortByDate(before, 2, () => null);
    removeSection(before, 1);
    expect(before).toEqual(two());
  });
});

describe('place (moving to a section, drag and drop)', () => {
  it('moves an item to another section, at the end or at an index', () => {
    expect(place(two(), 10, 2)).toEqual([
      { key: 1, title: 'Identity', items: [11] },
      { key: 2, title: 'Court decisions', items: [20, 21, 22, 10] },
    ]);
    expect(place(two(), 10, 2, 1)[1]?.items).toEqual([20, 10, 21, 22]);
  });

  it('reorders within a section, counting positions without the item moved', () => {
    // Dropped before the last item: index 1 of [20, 22].
    expect(place(two(), 21, 2, 1)[1]?.items).toEqual([20, 21, 22]);
    expect(place(two(), 20, 2, 2)[1]?.items).toEqual([21, 22, 20]);
    expect(place(two(), 22, 2, 0)[1]?.items).toEqual([22, 20, 21]);
  });

  it('clamps the index and ignores an unknown section', () => {
    expect(place(two(), 10, 2, 99)[1]?.items).toEqual([20, 21, 22, 10]);
    expect(place(two(), 10, 2, -3)[1]?.items).toEqual([10, 20, 21, 22]);
    expect(place(two(), 10, 7)).toEqual(two());
  });

  it('keeps each item in one section only', () => {
    const s = place(place(two(), 10, 2), 10, 1, 0);
    expect(chosenItems(s).filter((i) => i === 10)).toHaveLength(1);
    expect(s[0]?.items).toEqual([10, 11]);
  });
});

describe('moveWithin (keyboard "move up" / "move down")', () => {
  it('swaps with the neighbour', () => {
    expect(moveWithin(two(), 21, -1)[1]?.items).toEqual([21, 20, 22]);
    expect(moveWithin(two(), 21, 1)[1]?.items).toEqual([20, 22, 21]);
  });

  it('does nothing at either end or for an item not chosen', () => {
    expect(moveWithin(two(), 20, -1)).toEqual(two());
    expect(moveWithin(two(), 22, 1)).toEqual(two());
    expect(moveWithin(two(), 11, 1)).toEqual(two());
    expect(moveWithin(two(), 99, 1)).toEqual(two());
  });
});

describe('sortByDate', () => {
  const dates: Record<number, string | null> = {
    20: '2023-11-21',
    21: '2019',
    22: null,
    23: 'about 2022-03',
    24: 'not a date',
    25: '2019-01-05',
  };
  const dateOf = (id: number): string | null => dates[id] ?? null;

  it('reads fuzzy dates as the first day they can mean', () => {
    expect(dateKey('2019')).toBe('2019-01-01');
    expect(dateKey('about 2022-03')).toBe('2022-03-01');
    expect(dateKey('2023-11-21')).toBe('2023-11-21');
    expect(dateKey(null)).toBe('');
    expect(dateKey('not a date')).toBe('');
  });

  it('orders one section oldest first, undated last in their order, and leaves the others alone', () => {
    const sections: SectionDraft[] = [
      { key: 1, title: 'A', items: [11, 10] },
      { key: 2, title: 'B', items: [22, 20, 24, 23, 21, 25] },
    ];
    const sorted = sortByDate(sections, 2, dateOf);
    expect(sorted[1]?.items).toEqual([21, 25, 23, 20, 22, 24]);
    expect(sorted[0]?.items).toEqual([11, 10]);
  });
});

describe('sections', () => {
  it('adds a section with a new key, and renames one', () => {
    const s = addSection(two(), 'Asylum');
    expect(s[2]).toEqual({ key: 3, title: 'Asylum', items: [] });
    expect(renameSection(s, 3, 'Refugee status')[2]?.title).toBe('Refugee status');
    expect(renameSection(s, 3, 'Refugee status')[0]?.title).toBe('Identity');
  });

  it('hands the items of a removed section to the one before it (the next one for the first)', () => {
    expect(removeSection(two(), 2)).toEqual([{ key: 1, title: 'Identity', items: [10, 11, 20, 21, 22] }]);
    expect(removeSection(two(), 1)).toEqual([{ key: 2, title: 'Court decisions', items: [20, 21, 22, 10, 11] }]);
  });

  it('keeps the last section and ignores an unknown one', () => {
    const one: SectionDraft[] = [{ key: 1, title: 'Evidence', items: [1] }];
    expect(removeSection(one, 1)).toEqual(one);
    expect(removeSection(two(), 9)).toEqual(two());
  });

  it('takes a suggested spec, dropping items no longer available and repeats', () => {
    const spec = {
      sections: [
        { title: 'Deletion of the Red Notice', items: [8, 6, 99, 8] },
        { title: 'More', items: [5] },
      ],
      contact: 4,
      events: [1],
      keep_metadata: false,
      attach_originals: [],
      language: 'es',
    };
    expect(sectionsFromSpec(spec, (id) => id !== 99)).toEqual({
      sections: [
        { key: 1, title: 'Deletion of the Red Notice', items: [8, 6] },
        { key: 2, title: 'More', items: [5] },
      ],
      dropped: 2,
    });
  });
});

describe('buildSpec', () => {
  it('sends the sections in order with trimmed titles, leaving out empty ones', () => {
    const sections: SectionDraft[] = [
      { key: 1, title: '  Identity ', items: [10] },
      { key: 2, title: 'Empty', items: [] },
      { key: 3, title: 'Asylum', items: [30, 31] },
    ];
    expect(buildSpec({ sections, contact: 4, events: [7, 2], keepMetadata: true, language: 'fr' })).toEqual({
      sections: [
        { title: 'Identity', items: [10] },
        { title: 'Asylum', items: [30, 31] },
      ],
      contact: 4,
      events: [7, 2],
      keep_metadata: true,
      attach_originals: [],
      language: 'fr',
    });
  });

  it('asks for the originals of chosen items only', () => {
    const spec = buildSpec({
      sections: two(),
      contact: null,
      events: [],
      keepMetadata: false,
      attachOriginals: [21, 99],
      language: 'en',
    });
    expect(spec.attach_originals).toEqual([21]);
  });

  it('sends no contact and no events when none are chosen', () => {
    const spec = buildSpec({ sections: two(), contact: null, events: [], keepMetadata: false, language: 'en' });
    expect(spec.contact).toBeNull();
    expect(spec.events).toEqual([]);
    expect(spec.keep_metadata).toBe(false);
  });
});

describe('checkPassphrasePair', () => {
  it('accepts no passphrase at all (no encryption)', () => {
    expect(checkPassphrasePair('', '')).toBeNull();
  });

  it('asks for at least 8 characters, counted as the backend counts them', () => {
    expect(checkPassphrasePair('short', 'short')).toEqual({
      field: 'first',
      key: 'passphrase.too_short',
      params: { min: 8 },
    });
    expect(checkPassphrasePair('', 'something long')?.field).toBe('first');
    // Seven Cyrillic letters are 14 bytes but 7 characters: too short.
    expect(checkPassphrasePair('пароль1', 'пароль1')?.key).toBe('passphrase.too_short');
    expect(checkPassphrasePair('пароль12', 'пароль12')).toBeNull();
  });

  it('reports a mismatch on the second field', () => {
    expect(checkPassphrasePair('correct horse', 'correct hors')).toEqual({
      field: 'second',
      key: 'passphrase.mismatch',
    });
  });
});

describe('shortHash', () => {
  it('keeps the first 12 hex digits', () => {
    expect(shortHash('ab'.repeat(32))).toBe('abababababab…');
    expect(shortHash('abc')).toBe('abc');
  });
});
