import ar from './locales/ar.json';
import en from './locales/en.json';
import ru from './locales/ru.json';
import tr from './locales/tr.json';
import uk from './locales/uk.json';

/** English is the reference language: its keys define the full key set. */
export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

export interface LocaleInfo {
  /** BCP 47 tag, used for <html lang>, Intl and localStorage. */
  readonly code: string;
  /** Short label for the language switch, e.g. "EN". */
  readonly short: string;
  /** The language's name in itself, e.g. "Русский". */
  readonly name: string;
  readonly dir: 'ltr' | 'rtl';
  /** The tag `Intl` gets, where it differs from `code` (Arabic with Western digits). */
  readonly intl?: string;
  readonly messages: Messages;
}

/**
 * Available languages. To add a language: create `locales/<code>.json` with
 * the same keys as `en.json`, import it above and add one line here.
 */
export const LOCALES = [
  { code: 'en', short: 'EN', name: 'English', dir: 'ltr', messages: en },
  { code: 'ru', short: 'RU', name: 'Русский', dir: 'ltr', messages: ru },
  { code: 'uk', short: 'UK', name: 'Українська', dir: 'ltr', messages: uk },
  { code: 'tr', short: 'TR', name: 'Türkçe', dir: 'ltr', messages: tr },
  { code: 'ar', short: 'AR', name: 'العربية', dir: 'rtl', intl: 'ar-u-nu-latn', messages: ar },
] as const satisfies readonly LocaleInfo[];

export type LocaleCode = (typeof LOCALES)[number]['code'];

export const DEFAULT_LOCALE: LocaleCode = 'en';

export function isLocaleCode(value: unknown): value is LocaleCode {
  return typeof value === 'string' && LOCALES.some((l) => l.code === value);
}

/**
 * The tag given to `Intl` for a language of the interface: Arabic with Western digits (`ar-u-nu-latn`), as its
 * messages carry them and as case numbers, dates typed in forms and hashes are written; the others as they are.
 */
export function intlLocale(code: string): string {
  const info: LocaleInfo | undefined = LOCALES.find((l) => l.code === code);
  return info?.intl ?? code;
}

export function getLocaleInfo(code: LocaleCode): LocaleInfo {
  return LOCALES.find((l) => l.code === code) ?? LOCALES[0];
}

/**
 * Pick the best supported locale for a list of preferred BCP 47 tags
 * (e.g. navigator.languages): exact match first, then primary subtag.
 */
export function matchLocale(preferred: readonly string[]): LocaleCode | undefined {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    const exact = LOCALES.find((l) => l.code.toLowerCase() === lower);
    if (exact) return exact.code;
    const primary = lower.split('-')[0];
    const partial = LOCALES.find((l) => l.code.toLowerCase().split('-')[0] === primary);
    if (partial) return partial.code;
  }
  return undefined;
}
