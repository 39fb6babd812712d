import { describe, expect, it } from 'vitest';
import { fold, matchPlaces, placeLabel, placeLabels, placeNames, resolvePlace } from './places.svelte';

// A slice of what the backend's `places` command returns in Russian (CLDR names, code order).
const RU = placeNames(
  {
    countries: [
      { code: 'CI', name: 'Кот-д’Ивуар' },
      { code: 'LT', name: 'Литва' },
      { code: 'RU', name: 'Россия' },
      { code: 'UA', name: 'Украина' },
      { code: 'ZA', name: 'Южно-Африканская Республика' },
    ],
    languages: [
      { code: 'en', name: 'английский' },
      { code: 'ru', name: 'русский' },
    ],
  },
  'ru',
);

describe('places', () => {
  it('sorts each list by name in the reader’s collation and names codes', () => {
    expect(RU.countries.map((c) => c.code)).toEqual(['CI', 'LT', 'RU', 'UA', 'ZA']);
    expect(placeLabel('country', 'LT', RU)).toBe('Литва');
    expect(placeLabel('language', 'en', RU)).toBe('английский');
    expect(placeLabels('language', ['ru', 'en'], RU)).toBe('русский, английский');
  });

  it('shows a value that is not a code as typed, and the stored value while names load', () => {
    expect(placeLabel('country', 'France; CCF', RU)).toBe('France; CCF');
    expect(placeLabel('country', 'RU', null)).toBe('RU');
  });

  it('resolves a name or a code the way the backend will store it', () => {
    expect(resolvePlace(RU.countries, ' россия ')).toBe('RU');
    expect(resolvePlace(RU.countries, 'lt')).toBe('LT');
    expect(resolvePlace(RU.countries, "Кот-д'Ивуар")).toBe('CI');
    expect(resolvePlace(RU.countries, 'Руритания')).toBeNull();
    expect(resolvePlace(RU.countries, '')).toBeNull();
  });

  it('offers names that start with what is typed, then names with a word that does', () => {
    expect(matchPlaces(RU.countries, 'ро').map((p) => p.code)).toEqual(['RU']);
    expect(matchPlaces(RU.countries, 'афр').map((p) => p.code)).toEqual(['ZA']);
    expect(matchPlaces(RU.countries, 'ua').map((p) => p.code)).toEqual(['UA']);
    expect(matchPlaces(RU.countries, '')).toEqual([]);
    expect(matchPlaces(RU.countries, 'у', 1)).toHaveLength(1);
  });

  it('folds case, accents and apostrophes', () => {
    expect(fold('Côte d’Ivoire')).toBe("cote d'ivoire");
    expect(fold('  TÜRKİYE ')).toBe(fold('türkiye'));
  });
});
