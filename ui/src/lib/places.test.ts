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
    // As the backend folds them (`places::key`), in every language it reads.
    country_keys: [
      { code: 'CI', name: "cote d'ivoire" },
      { code: 'CI', name: "кот-д'ивуар" },
      { code: 'LT', name: 'lithuania' },
      { code: 'LT', name: 'литва' },
      { code: 'RU', name: 'russia' },
      { code: 'RU', name: 'россия' },
    ],
    language_keys: [
      { code: 'en', name: 'english' },
      { code: 'en', name: 'английский' },
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

  it('resolves a name or a code the way the backend will store it, in any language it reads', () => {
    expect(resolvePlace('country', RU, ' россия ')).toBe('RU');
    expect(resolvePlace('country', RU, 'Russia')).toBe('RU');
    expect(resolvePlace('country', RU, 'lt')).toBe('LT');
    expect(resolvePlace('country', RU, "Кот-д'Ивуар")).toBe('CI');
    expect(resolvePlace('country', RU, 'Cote d’Ivoire')).toBe('CI');
    expect(resolvePlace('country', RU, 'Руритания')).toBeNull();
    expect(resolvePlace('country', RU, '')).toBeNull();
    expect(resolvePlace('language', RU, 'English')).toBe('en');
    expect(resolvePlace('language', RU, 'EN')).toBe('en');
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
    expect(fold('  St.  Lucia ')).toBe('st lucia');
    expect(fold('  TÜRKİYE ')).toBe(fold('türkiye'));
  });
});
