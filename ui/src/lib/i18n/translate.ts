import { DEFAULT_LOCALE, getLocaleInfo, type LocaleCode, type MessageKey } from './locales';

/**
 * A message that depends on a count: the catalogues carry one key per CLDR plural category of their language,
 * `<base>#one`, `<base>#few`, `<base>#other`… (English needs `one` and `other`; Russian `one`, `few`, `many`,
 * `other`; Arabic all six). `PluralKey` is the base.
 */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}#other` ? Base : never;
}[MessageKey];

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
  return interpolate(message, isolated(locale, params));
}

/** First-strong isolate and pop directional isolate (Unicode bidi). */
const FSI = '\u2068';
const PDI = '\u2069';

/**
 * In a right-to-left language, each value set into a message is isolated (FSI … PDI), so a Latin name, a case
 * number, a date or a hash keeps its own direction and never reorders the sentence around it (nor is reordered
 * by it). Left-to-right languages get the values as they are.
 */
function isolated(locale: LocaleCode, params?: TranslationParams): TranslationParams | undefined {
  if (!params || getLocaleInfo(locale).dir !== 'rtl') return params;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, `${FSI}${String(v)}${PDI}`]));
}

/** Names of the `{placeholders}` used in a message, sorted and de-duplicated. */
export function placeholdersOf(message: string): string[] {
  return [...new Set([...message.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort();
}

const pluralRules = new Map<LocaleCode, Intl.PluralRules>();

/** `Intl.PluralRules` for `locale`, made once. */
function rulesOf(locale: LocaleCode): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules;
}

/** The CLDR plural categories `locale` distinguishes (`one`, `few`, `many`, `other`… as `Intl` knows them). */
export function pluralCategories(locale: LocaleCode): string[] {
  return [...rulesOf(locale).resolvedOptions().pluralCategories].sort();
}

/**
 * Translate the plural message `key` for `count` in `locale`: the form of `count`'s CLDR category, else the
 * `other` form, else English's. `params` fill the placeholders (give the count itself formatted for the locale).
 */
export function translatePlural(
  locale: LocaleCode,
  key: PluralKey,
  count: number,
  params?: TranslationParams,
): string {
  const category = rulesOf(locale).select(count);
  const own = getLocaleInfo(locale).messages as Readonly<Record<string, string | undefined>>;
  const english = getLocaleInfo(DEFAULT_LOCALE).messages as Readonly<Record<string, string | undefined>>;
  const englishCategory = rulesOf(DEFAULT_LOCALE).select(count);
  const message =
    own[`${key}#${category}`] ??
    own[`${key}#other`] ??
    english[`${key}#${englishCategory}`] ??
    english[`${key}#other`] ??
    key;
  return interpolate(message, isolated(locale, params));
}
