import {
  DEFAULT_LOCALE,
  getLocaleInfo,
  intlLocale,
  isLocaleCode,
  matchLocale,
  type LocaleCode,
  type MessageKey,
} from './locales';
import { translate, translatePlural, type PluralKey, type TranslationParams } from './translate';

export const LOCALE_STORAGE_KEY = 'redress.locale';

function readStoredLocale(): LocaleCode | undefined {
  try {
    const stored = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY);
    return isLocaleCode(stored) ? stored : undefined;
  } catch {
    // Storage can be unavailable (privacy settings, tests); fall through.
    return undefined;
  }
}

function writeStoredLocale(code: LocaleCode): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, code);
  } catch {
    // Not fatal: the choice just won't be remembered.
  }
}

function detectLocale(): LocaleCode {
  const nav = globalThis.navigator as Navigator | undefined;
  const preferred = nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
  return readStoredLocale() ?? matchLocale(preferred) ?? DEFAULT_LOCALE;
}

let current = $state<LocaleCode>(detectLocale());

/** Reactive view of the current locale: read `locale.current` in components. */
export const locale = {
  get current(): LocaleCode {
    return current;
  },
  set current(code: LocaleCode) {
    setLocale(code);
  },
};

/** Reflect the current locale on <html lang/dir> and the window title. */
export function applyLocaleToDocument(): void {
  const doc = globalThis.document as Document | undefined;
  if (!doc) return;
  const info = getLocaleInfo(current);
  doc.documentElement.lang = info.code;
  doc.documentElement.dir = info.dir;
  doc.title = translate(current, 'app.title');
}

/** Switch language, remember the choice and update the document. */
export function setLocale(code: LocaleCode): void {
  if (!isLocaleCode(code)) return;
  current = code;
  writeStoredLocale(code);
  applyLocaleToDocument();
}

/** Translate `key` in the current locale; reactive when used in markup. */
export function t(key: MessageKey, params?: TranslationParams): string {
  return translate(current, key, params);
}

/** Translate the plural message `key` for `count` in the current locale (CLDR plural rules); reactive. */
export function tn(key: PluralKey, count: number, params?: TranslationParams): string {
  return translatePlural(current, key, count, params);
}

export function formatDate(date: Date | number, options?: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(intlLocale(current), options ?? { dateStyle: 'long' }).format(date);
}

export function formatNumber(value: number | bigint, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(current), options).format(value);
}
