import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCALES, matchLocale, isLocaleCode } from './locales';
import { interpolate, placeholdersOf, translate } from './translate';

const reference = LOCALES[0];

function sortedKeys(obj: object): string[] {
  return Object.keys(obj).sort();
}

describe('locale files', () => {
  it('starts with English as the reference and has unique codes', () => {
    expect(reference.code).toBe('en');
    const codes = LOCALES.map((l) => l.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain('ru');
  });

  it.each(LOCALES.map((l) => [l.code, l] as const))(
    '%s has exactly the same keys as en',
    (_code, info) => {
      expect(sortedKeys(info.messages)).toEqual(sortedKeys(reference.messages));
    },
  );

  it.each(LOCALES.map((l) => [l.code, l] as const))(
    '%s has non-empty messages with the same {placeholders} as en',
    (_code, info) => {
      for (const [key, enMessage] of Object.entries(reference.messages)) {
        const message = (info.messages as Record<string, unknown>)[key];
        expect(typeof message, key).toBe('string');
        expect((message as string).trim(), key).not.toBe('');
        expect(placeholdersOf(message as string), key).toEqual(placeholdersOf(enMessage));
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
  });
});
