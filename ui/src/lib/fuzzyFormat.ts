// Shows dates as words in the reader's language: "before March 2019" / "до марта 2019 г." / "до березня 2019 р." /
// "Mart 2019 öncesi" / "قبل مارس 2019". Russian and Ukrainian need the genitive month after a preposition and in
// a full date, so the month names live here rather than coming from Intl (whose month-and-year form is nominative
// only). Arabic uses the month names of Egypt and most of the Arab world and Western digits, like the rest of the
// interface (a date beside a case number or a hash reads the same).
import { isProblem, parseExactDate, parseFuzzyDate, QUALIFIER_WORDS, type DateLocale, type FuzzyDate } from './dates';

export type { DateLocale };


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
  ukNominative: [
    'січень',
    'лютий',
    'березень',
    'квітень',
    'травень',
    'червень',
    'липень',
    'серпень',
    'вересень',
    'жовтень',
    'листопад',
    'грудень',
  ],
  ukGenitive: [
    'січня',
    'лютого',
    'березня',
    'квітня',
    'травня',
    'червня',
    'липня',
    'серпня',
    'вересня',
    'жовтня',
    'листопада',
    'грудня',
  ],
  tr: ['Ocak', 'Şubat', 'Mart', 'Nisan', 'Mayıs', 'Haziran', 'Temmuz', 'Ağustos', 'Eylül', 'Ekim', 'Kasım', 'Aralık'],
  ar: ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'],
} as const;

export function monthName(locale: DateLocale, month: number, genitive = false): string {
  const table =
    locale === 'ru'
      ? genitive
        ? MONTHS.ruGenitive
        : MONTHS.ruNominative
      : locale === 'uk'
        ? genitive
          ? MONTHS.ukGenitive
          : MONTHS.ukNominative
        : MONTHS[locale];
  return table[month - 1] ?? String(month);
}

/** Russian and Ukrainian: the year marked by its abbreviation, the month in the genitive after a preposition. */
const YEAR_MARK: Partial<Record<DateLocale, string>> = { ru: 'г.', uk: 'р.' };

function datePart(locale: DateLocale, d: FuzzyDate): string {
  const qualified = d.qualifier !== 'on';
  const mark = YEAR_MARK[locale];
  if (mark) {
    if (d.month === null) return `${d.year} ${mark}`;
    if (d.day === null) return `${monthName(locale, d.month, qualified)} ${d.year} ${mark}`;
    return `${d.day} ${monthName(locale, d.month, true)} ${d.year} ${mark}`;
  }
  if (d.month === null) return String(d.year);
  if (d.day === null) return `${monthName(locale, d.month)} ${d.year}`;
  if (locale === 'en') return `${monthName('en', d.month)} ${d.day}, ${d.year}`;
  return `${d.day} ${monthName(locale, d.month)} ${d.year}`;
}


/** A fuzzy date (`2019`, `before 2019-03`, `about 2018-12-31`) in words; unparseable text comes back as is. */
export function formatFuzzyDate(text: string, locale: DateLocale): string {
  const parsed = parseFuzzyDate(text);
  if (isProblem(parsed)) return text;
  const part = datePart(locale, parsed);
  if (parsed.qualifier === 'on') {
    // A Russian or Ukrainian month and year alone reads better capitalised at the start of a line: "Март 2019 г.".
    return YEAR_MARK[locale] ? part.charAt(0).toUpperCase() + part.slice(1) : part;
  }
  return QUALIFIER_WORDS[locale][parsed.qualifier].replace('{date}', part);
}

/** An exact day (YYYY-MM-DD) in words: "March 14, 2019" / "14 марта 2019 г."; other text comes back as is. */
export function formatExactDate(text: string, locale: DateLocale): string {
  const parsed = parseExactDate(text);
  if (isProblem(parsed)) return text;
  return datePart(locale, { qualifier: 'on', ...parsed });
}

/** The month and year as a calendar heading: "March 2019" / "Март 2019" / "Березень 2019". */
export function formatMonthHeading(year: number, month: number, locale: DateLocale): string {
  const name = monthName(locale, month);
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${year}`;
}
