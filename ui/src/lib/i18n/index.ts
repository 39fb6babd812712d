export {
  LOCALES,
  DEFAULT_LOCALE,
  isLocaleCode,
  matchLocale,
  getLocaleInfo,
  intlLocale,
  type LocaleCode,
  type LocaleInfo,
  type MessageKey,
  type Messages,
} from './locales';
export {
  interpolate,
  translate,
  translatePlural,
  pluralCategories,
  type PluralKey,
  type TranslationParams,
} from './translate';
export {
  locale,
  setLocale,
  t,
  tn,
  formatDate,
  formatNumber,
  applyLocaleToDocument,
  LOCALE_STORAGE_KEY,
} from './locale.svelte';
