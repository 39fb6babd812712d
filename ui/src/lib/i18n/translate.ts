import { DEFAULT_LOCALE, getLocaleInfo, type LocaleCode, type MessageKey } from './locales';

export type TranslationParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replace `{name}` placeholders with values from `params`.
 * Unknown placeholders are left untouched so a missing value is visible.
 */
export function interpolate(template: string, params?: TranslationParams): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}

/**
 * Translate `key` for an explicit locale. Falls back to the default locale,
 * then to the key itself, so the UI never shows an empty string.
 */
export function translate(locale: LocaleCode, key: MessageKey, params?: TranslationParams): string {
  const own = getLocaleInfo(locale).messages[key];
  const message = own ?? getLocaleInfo(DEFAULT_LOCALE).messages[key] ?? key;
  return interpolate(message, params);
}

/** Names of the `{placeholders}` used in a message, sorted and de-duplicated. */
export function placeholdersOf(message: string): string[] {
  return [...new Set([...message.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort();
}
