// Shows dates as words in the reader's language: "before March 2019" / "до марта 2019 г.".
// Russian needs the genitive month after a preposition and in a full date, so the month names live here
// rather than coming from Intl (whose month-and-year form is nominative only).
import { isProblem, parseExactDate, parseFuzzyDate, type FuzzyDate } from './dates';

export type DateLocale = 'en' | 'ru';

const MONTHS = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  ruNominative: [
    'январь',
    'февраль',
    'март',
    'апрель',
    'май',
    'июнь',
    'июль',
    'август',
    'сентябрь',
    'октябрь',
    'ноябрь',
    'декабрь',
  ],
  ruGenitive: [
    'января',
    'февраля',
    'марта',
    'апреля',
    'мая',
    'июня',
    'июля',
    'августа',
    'сентября',
    'октября',
    'ноября',
    'декабря',
  ],
} as const;

export function monthName(locale: DateLocale, month: number, genitive = false): string {
  const table = locale === 'ru' ? (genitive ? MONTHS.ruGenitive : MONTHS.ruNominative) : MONTHS.en;
  return table[month - 1] ?? String(month);
}

function datePart(locale: DateLocale, d: FuzzyDate): string {
  const qualified = d.qualifier !== 'on';
  if (locale === 'ru') {
    if (d.month === null) return `${d.year} г.`;
    if (d.day === null) return `${monthName('ru', d.month, qualified)} ${d.year} г.`;
    return `${d.day} ${monthName('ru', d.month, true)} ${d.year} г.`;
  }
  if (d.month === null) return String(d.year);
  if (d.day === null) return `${monthName('en', d.month)} ${d.year}`;
  return `${monthName('en', d.month)} ${d.day}, ${d.year}`;
}

const QUALIFIER_WORDS: Record<DateLocale, Record<'before' | 'after' | 'about', string>> = {
  en: { before: 'before', after: 'after', about: 'about' },
  ru: { before: 'до', after: 'после', about: 'около' },
};

/** A fuzzy date (`2019`, `before 2019-03`, `about 2018-12-31`) in words; unparseable text comes back as is. */
export function formatFuzzyDate(text: string, locale: DateLocale): string {
  const parsed = parseFuzzyDate(text);
  if (isProblem(parsed)) return text;
  const part = datePart(locale, parsed);
  if (parsed.qualifier === 'on') {
    // A Russian month and year alone reads better capitalised at the start of a line: "Март 2019 г.".
    return locale === 'ru' ? part.charAt(0).toUpperCase() + part.slice(1) : part;
  }
  return `${QUALIFIER_WORDS[locale][parsed.qualifier]} ${part}`;
}

/** An exact day (YYYY-MM-DD) in words: "March 14, 2019" / "14 марта 2019 г."; other text comes back as is. */
export function formatExactDate(text: string, locale: DateLocale): string {
  const parsed = parseExactDate(text);
  if (isProblem(parsed)) return text;
  return datePart(locale, { qualifier: 'on', ...parsed });
}

/** The month and year as a calendar heading: "March 2019" / "Март 2019". */
export function formatMonthHeading(year: number, month: number, locale: DateLocale): string {
  const name = monthName(locale, month);
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${year}`;
}
