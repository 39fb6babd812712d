import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCALES, intlLocale, matchLocale, isLocaleCode } from './locales';
import {
  interpolate,
  placeholdersOf,
  pluralCategories,
  translate,
  translatePlural,
} from './translate';

const reference = LOCALES[0];

function sortedKeys(obj: object): string[] {
  return Object.keys(obj).sort();
}

/** The plural bases of English (`evidence.bytes` for `evidence.bytes#one` and `#other`). */
const pluralBases = [
  ...new Set(
    Object.keys(reference.messages)
      .filter((k) => k.includes('#'))
      .map((k) => k.slice(0, k.indexOf('#'))),
  ),
].sort();

/** The keys a catalogue in `code` must have: English's plain keys, and each plural base in `code`'s categories. */
function expectedKeys(code: (typeof LOCALES)[number]['code']): string[] {
  const plain = Object.keys(reference.messages).filter((k) => !k.includes('#'));
  const plural = pluralBases.flatMap((base) => pluralCategories(code).map((c) => `${base}#${c}`));
  return [...plain, ...plural].sort();
}

describe('locale files', () => {
  it('starts with English as the reference and has unique codes', () => {
    expect(reference.code).toBe('en');
    const codes = LOCALES.map((l) => l.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain('ru');
  });

  it('has plural messages, and English has each in exactly its own categories', () => {
    expect(pluralBases).toContain('evidence.bytes');
    expect(sortedKeys(reference.messages)).toEqual(expectedKeys('en'));
  });

  it.each(LOCALES.map((l) => [l.code, l] as const))(
    '%s has every key of en and no other (plurals in its own CLDR categories)',
    (code, info) => {
      const keys = sortedKeys(info.messages);
      const expected = expectedKeys(code);
      expect(
        expected.filter((k) => !keys.includes(k)),
        'missing',
      ).toEqual([]);
      expect(
        keys.filter((k) => !expected.includes(k)),
        'unknown',
      ).toEqual([]);
    },
  );

  it.each(LOCALES.map((l) => [l.code, l] as const))(
    '%s has non-empty messages with the same {placeholders} as en',
    (_code, info) => {
      for (const [key, message] of Object.entries(info.messages as Record<string, unknown>)) {
        const base = key.includes('#') ? key.slice(0, key.indexOf('#')) : key;
        const enMessage = key.includes('#')
          ? (reference.messages as Record<string, string>)[`${base}#other`]
          : (reference.messages as Record<string, string>)[key];
        expect(typeof message, key).toBe('string');
        expect((message as string).trim(), key).not.toBe('');
        expect(placeholdersOf(message as string), key).toEqual(placeholdersOf(enMessage ?? ''));
      }
    },
  );
});

describe('interpolate', () => {
  it('replaces {name} placeholders', () => {
    expect(interpolate('Hello, {name}', { name: 'Ana' })).toBe('Hello, Ana');
  });

  it('handles several and repeated placeholders and numbers', () => {
    expect(interpolate('{a} + {b} = {c}; {a}', { a: 1, b: 2, c: 3 })).toBe('1 + 2 = 3; 1');
  });

  it('leaves unknown placeholders visible and ignores extra params', () => {
    expect(interpolate('Hi {name}, {missing}', { name: 'X', extra: 'y' })).toBe('Hi X, {missing}');
  });

  it('returns the template unchanged without params', () => {
    expect(interpolate('No {params} here')).toBe('No {params} here');
  });

  it('does not treat inherited properties as params', () => {
    expect(interpolate('{toString}', {})).toBe('{toString}');
  });
});

describe('translate', () => {
  it('translates into English and Russian', () => {
    expect(translate('en', 'app.tagline')).toBe('Your encrypted case journal');
    expect(translate('ru', 'app.tagline')).toBe('Ваш зашифрованный журнал дела');
    expect(translate('en', 'app.title')).toBe('Redress');
    expect(translate('ru', 'app.title')).toBe('Redress');
  });

  it('interpolates params', () => {
    expect(translate('en', 'greeting.named', { name: 'Ana' })).toBe('Hello, Ana');
    expect(translate('ru', 'greeting.named', { name: 'Анна' })).toBe('Здравствуйте, Анна');
  });
});

describe('translatePlural', () => {
  it('picks the CLDR form of the count in each language', () => {
    const bytes = (code: 'en' | 'ru', n: number) => translatePlural(code, 'evidence.bytes', n, { n });
    expect([1, 2, 5].map((n) => bytes('en', n))).toEqual(['1 byte', '2 bytes', '5 bytes']);
    expect([1, 2, 5, 11, 21, 22, 1.5].map((n) => bytes('ru', n))).toEqual([
      '1 байт',
      '2 байта',
      '5 байт',
      '11 байт',
      '21 байт',
      '22 байта',
      '1.5 байта',
    ]);
  });
});

describe('right-to-left', () => {
  it('isolates every value set into an Arabic message, and no value in a left-to-right one', () => {
    const ar = translate('ar', 'greeting.named', { name: 'Ivan Petrov' });
    expect(ar).toContain('\u2068Ivan Petrov\u2069');
    expect(ar).toMatch(/[\u0600-\u06FF]/u);
    expect(translate('en', 'greeting.named', { name: 'Ivan Petrov' })).toBe('Hello, Ivan Petrov');
    const bytes = translatePlural('ar', 'evidence.bytes', 3, { n: 3 });
    expect(bytes).toContain('\u20683\u2069');
  });

  it('has Arabic in all six CLDR categories, each a form of its own', () => {
    expect(pluralCategories('ar')).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    const forms = [0, 1, 2, 3, 11, 100].map((n) => translatePlural('ar', 'evidence.bytes', n, { n }));
    expect(new Set(forms).size).toBeGreaterThan(2);
  });

  it('names each language in itself, Arabic right to left', () => {
    expect(LOCALES.map((l) => [l.code, l.dir])).toEqual([
      ['en', 'ltr'],
      ['ru', 'ltr'],
      ['uk', 'ltr'],
      ['tr', 'ltr'],
      ['ar', 'rtl'],
    ]);
  });
});

describe('matchLocale / isLocaleCode', () => {
  it('matches exact and regional tags', () => {
    expect(matchLocale(['ru-RU', 'en'])).toBe('ru');
    expect(matchLocale(['EN-gb'])).toBe('en');
    expect(matchLocale(['de', 'fr-CA'])).toBeUndefined();
    expect(matchLocale(['de', 'ru'])).toBe('ru');
  });

  it('validates codes', () => {
    expect(isLocaleCode('en')).toBe(true);
    expect(isLocaleCode('ru')).toBe(true);
    expect(isLocaleCode('xx')).toBe(false);
    expect(isLocaleCode(null)).toBe(false);
  });
});

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial));
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}

describe('current-locale store', () => {
  beforeEach(() => {
    vi.resetModules();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('defaults to English when nothing is stored or preferred', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    vi.stubGlobal('navigator', { languages: ['de-DE'], language: 'de-DE' });
    const store = await import('./locale.svelte');
    expect(store.locale.current).toBe('en');
    expect(store.t('app.tagline')).toBe('Your encrypted case journal');
  });

  it('uses the system language when supported', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    vi.stubGlobal('navigator', { languages: ['ru-RU', 'en-US'], language: 'ru-RU' });
    const store = await import('./locale.svelte');
    expect(store.locale.current).toBe('ru');
  });

  it('restores the remembered choice from localStorage', async () => {
    vi.stubGlobal('localStorage', memoryStorage({ 'redress.locale': 'ru' }));
    vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
    const store = await import('./locale.svelte');
    expect(store.locale.current).toBe('ru');
    expect(store.t('app.tagline')).toBe('Ваш зашифрованный журнал дела');
  });

  it('ignores an invalid stored value', async () => {
    vi.stubGlobal('localStorage', memoryStorage({ 'redress.locale': 'zz' }));
    vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
    const store = await import('./locale.svelte');
    expect(store.locale.current).toBe('en');
  });

  it('setLocale switches language and remembers it', async () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
    const store = await import('./locale.svelte');
    store.setLocale('ru');
    expect(store.locale.current).toBe('ru');
    expect(storage.getItem(store.LOCALE_STORAGE_KEY)).toBe('ru');
    expect(store.t('greeting.named', { name: 'Анна' })).toBe('Здравствуйте, Анна');
    store.locale.current = 'en';
    expect(storage.getItem(store.LOCALE_STORAGE_KEY)).toBe('en');
    expect(store.t('settings.language')).toBe('Language');
  });

  it('keeps working when localStorage throws', async () => {
    const broken = memoryStorage();
    broken.getItem = () => {
      throw new Error('denied');
    };
    broken.setItem = () => {
      throw new Error('denied');
    };
    vi.stubGlobal('localStorage', broken);
    vi.stubGlobal('navigator', { languages: ['en'], language: 'en' });
    const store = await import('./locale.svelte');
    expect(store.locale.current).toBe('en');
    store.setLocale('ru');
    expect(store.locale.current).toBe('ru');
  });

  it('formats numbers and dates for the chosen locale', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
    const store = await import('./locale.svelte');
    const date = new Date(Date.UTC(2024, 2, 5, 12));
    const opts = { timeZone: 'UTC', dateStyle: 'long' } as const;

    expect(store.formatNumber(1234567.5)).toBe('1,234,567.5');
    expect(store.formatDate(date, opts)).toBe('March 5, 2024');

    store.setLocale('ru');
    // Russian groups digits with a (narrow) no-break space and uses a decimal comma.
    expect(store.formatNumber(1234567.5).replace(/\s/gu, ' ')).toBe('1 234 567,5');
    expect(store.formatDate(date, opts)).toBe('5 марта 2024 г.');

    // Arabic with Western digits, like its messages, case numbers and hashes (README): asked of Intl by name, as
    // the ICU of some systems (WebKit's) gives Arabic-Indic digits for plain 'ar'.
    expect(intlLocale('ar')).toBe('ar-u-nu-latn');
    expect(new Intl.NumberFormat('ar-u-nu-arab').format(5)).not.toBe(new Intl.NumberFormat(intlLocale('ar')).format(5));
    store.setLocale('ar');
    const number = store.formatNumber(1234567.5);
    const day = store.formatDate(date, opts);
    expect(number).toMatch(/1.?234.?567.5/u);
    expect(day).toContain('2024');
    expect(day).toMatch(/[\u0600-\u06FF]/u);
    expect(`${number}${day}`).not.toMatch(/[\u0660-\u0669\u06F0-\u06F9]/u);
  });
});
