// Dates as the backend accepts them, checked before sending so people get a clear message in their language.
// Exact days are YYYY-MM-DD; fuzzy dates are YYYY, YYYY-MM or YYYY-MM-DD, optionally after
// "before ", "after " or "about "; due dates are a day, or "YYYY-MM-DD HH:MM Zone/Name".

/** A validation problem: a message key of the locale files, with its parameters. */
export type DateProblem = {
  key:
    | 'validation.required'
    | 'validation.date_format'
    | 'validation.date_impossible'
    | 'validation.month_impossible'
    | 'validation.year_range'
    | 'validation.fuzzy_format'
    | 'validation.due_format'
    | 'validation.time_format'
    | 'validation.zone_missing'
    | 'validation.zone_unknown';
  params?: Record<string, string | number>;
};

export const MIN_YEAR = 1800;
export const MAX_YEAR = 2200;

export type Qualifier = 'on' | 'before' | 'after' | 'about';

export type FuzzyDate = { qualifier: Qualifier; year: number; month: number | null; day: number | null };

/** The languages fuzzy dates are written and read in: those of the interface. */
export type DateLocale = 'en' | 'ru' | 'uk' | 'tr' | 'ar';

/**
 * A date's qualifier in the words of each language, and where they stand: Turkish puts "before" and "after" after
 * the date. The one table both ways: `formatFuzzyDate` writes these, `normalizeFuzzyDate` reads them.
 */
export const QUALIFIER_WORDS: Readonly<Record<DateLocale, Record<Exclude<Qualifier, 'on'>, string>>> = {
  en: { before: 'before {date}', after: 'after {date}', about: 'about {date}' },
  ru: { before: 'до {date}', after: 'после {date}', about: 'около {date}' },
  uk: { before: 'до {date}', after: 'після {date}', about: 'близько {date}' },
  tr: { before: '{date} öncesi', after: '{date} sonrası', about: 'yaklaşık {date}' },
  ar: { before: 'قبل {date}', after: 'بعد {date}', about: 'نحو {date}' },
};

export type Ymd = { year: number; month: number; day: number };

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function ymdToText({ year, month, day }: Ymd): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Today's date on this computer, YYYY-MM-DD. */
export function todayLocal(now: Date = new Date()): string {
  return ymdToText({ year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() });
}

/** Parses YYYY-MM-DD into its parts, or a problem (wrong shape, impossible day, year out of range). */
export function parseExactDate(text: string): Ymd | DateProblem {
  const value = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(value);
  if (!m) return { key: 'validation.date_format' };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { key: 'validation.year_range', params: { min: MIN_YEAR, max: MAX_YEAR } };
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { key: 'validation.date_impossible', params: { date: value } };
  }
  return { year, month, day };
}

export function isProblem(value: unknown): value is DateProblem {
  return typeof value === 'object' && value !== null && 'key' in value;
}

/** Checks an exact day; empty text is fine unless `required`. */
export function validateExactDate(text: string, required = false): DateProblem | null {
  if (text.trim() === '') return required ? { key: 'validation.required' } : null;
  const parsed = parseExactDate(text);
  return isProblem(parsed) ? parsed : null;
}

const QUALIFIERS: ReadonlyArray<readonly [string, Qualifier]> = [
  ['before ', 'before'],
  ['after ', 'after'],
  ['about ', 'about'],
  ['circa ', 'about'],
  ['~', 'about'],
];

/**
 * The qualifiers of `QUALIFIER_WORDS` in the interface's other languages, as a person types them: before the date
 * ("до 2019-03", "після 2019", "قبل 2019-03"), or after it in Turkish ("2019-03 öncesi"), and Arabic's other word
 * for "about". `normalizeFuzzyDate` turns them into the stored form ("before 2019-03"), which the backend reads.
 */
const LOCAL_WORDS: ReadonlyArray<readonly [string, Exclude<Qualifier, 'on'>]> = [
  ...Object.entries(QUALIFIER_WORDS)
    .filter(([locale]) => locale !== 'en')
    .flatMap(([, words]) => Object.entries(words) as [Exclude<Qualifier, 'on'>, string][])
    .map(([q, template]) => [template, q] as const),
  ['حوالي {date}', 'about'],
];
const LOCAL_PREFIXES = LOCAL_WORDS.filter(([w]) => w.endsWith('{date}')).map(
  ([w, q]) => [w.slice(0, -'{date}'.length), q] as const,
);
const LOCAL_SUFFIXES = LOCAL_WORDS.filter(([w]) => w.startsWith('{date}')).map(
  ([w, q]) => [w.slice('{date}'.length), q] as const,
);

/**
 * A fuzzy date as it is stored: a qualifier typed in any language of the interface becomes its English word
 * ("до 2019-03" → "before 2019-03", "2019 sonrası" → "after 2019"); anything else comes back trimmed, as typed.
 */
export function normalizeFuzzyDate(text: string): string {
  const value = text.trim();
  const lower = value.toLocaleLowerCase('tr');
  for (const [prefix, q] of LOCAL_PREFIXES) {
    if (lower.startsWith(prefix)) return `${q} ${value.slice(prefix.length).trim()}`;
  }
  for (const [suffix, q] of LOCAL_SUFFIXES) {
    if (lower.endsWith(suffix)) return `${q} ${value.slice(0, value.length - suffix.length).trim()}`;
  }
  return value;
}

/** Parses a fuzzy date as the backend does (its qualifier in any language of the interface). */
export function parseFuzzyDate(text: string): FuzzyDate | DateProblem {
  const value = normalizeFuzzyDate(text);
  const lower = value.toLowerCase();
  let qualifier: Qualifier = 'on';
  let rest = value;
  for (const [prefix, q] of QUALIFIERS) {
    if (lower.startsWith(prefix)) {
      qualifier = q;
      rest = value.slice(prefix.length).trim();
      break;
    }
  }
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/u.exec(rest);
  if (!m) return { key: 'validation.fuzzy_format' };
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { key: 'validation.year_range', params: { min: MIN_YEAR, max: MAX_YEAR } };
  }
  const month = m[2] === undefined ? null : Number(m[2]);
  const day = m[3] === undefined ? null : Number(m[3]);
  if (month !== null && (month < 1 || month > 12)) {
    return { key: 'validation.month_impossible', params: { date: rest } };
  }
  if (month !== null && day !== null && (day < 1 || day > daysInMonth(year, month))) {
    return { key: 'validation.date_impossible', params: { date: rest } };
  }
  return { qualifier, year, month, day };
}

/** Checks a fuzzy date; empty text is fine unless `required`. */
export function validateFuzzyDate(text: string, required = false): DateProblem | null {
  if (text.trim() === '') return required ? { key: 'validation.required' } : null;
  const parsed = parseFuzzyDate(text);
  return isProblem(parsed) ? parsed : null;
}

/** The first and last day a fuzzy date can mean (YYYY-MM-DD), for filtering by a date range. */
export function fuzzyRange(date: FuzzyDate): { from: string; to: string } {
  const from = ymdToText({ year: date.year, month: date.month ?? 1, day: date.day ?? 1 });
  const lastMonth = date.month ?? 12;
  const to = ymdToText({
    year: date.year,
    month: lastMonth,
    day: date.day ?? daysInMonth(date.year, lastMonth),
  });
  return { from, to };
}

/** True when `zone` is an IANA time zone name this system knows (e.g. Europe/Paris). */
export function isKnownTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$|^UTC$/u.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks a due date: YYYY-MM-DD, or YYYY-MM-DD HH:MM Zone/Name (a "T" may replace the space). */
export function validateDue(text: string, required = true): DateProblem | null {
  const value = text.trim();
  if (value === '') return required ? { key: 'validation.required' } : null;
  const words = value.split(/\s+/u);
  const first = words[0] ?? '';
  let day = first;
  let time: string | undefined = words[1];
  let zone: string | undefined = words[2];
  const t = first.indexOf('T');
  if (t >= 0) {
    day = first.slice(0, t);
    time = first.slice(t + 1);
    zone = words[1];
    if (words.length > 2) return { key: 'validation.due_format' };
  } else if (words.length > 3) {
    return { key: 'validation.due_format' };
  }
  const parsed = parseExactDate(day);
  if (isProblem(parsed)) return parsed.key === 'validation.date_format' ? { key: 'validation.due_format' } : parsed;
  if (time === undefined) return null;
  const tm = /^(\d{2}):(\d{2})(?::(\d{2}))?$/u.exec(time);
  if (!tm || Number(tm[1]) > 23 || Number(tm[2]) > 59 || Number(tm[3] ?? 0) > 59) {
    return { key: 'validation.time_format', params: { time } };
  }
  if (zone === undefined) return { key: 'validation.zone_missing' };
  if (!isKnownTimeZone(zone)) return { key: 'validation.zone_unknown', params: { zone } };
  return null;
}

/** Whole days from `a` to `b` (both YYYY-MM-DD); negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  const pa = parseExactDate(a);
  const pb = parseExactDate(b);
  if (isProblem(pa) || isProblem(pb)) return NaN;
  const ua = Date.UTC(pa.year, pa.month - 1, pa.day);
  const ub = Date.UTC(pb.year, pb.month - 1, pb.day);
  return Math.round((ub - ua) / 86_400_000);
}

/** `date` (YYYY-MM-DD) moved by `days`. */
export function addDays(date: string, days: number): string {
  const p = parseExactDate(date);
  if (isProblem(p)) return date;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return ymdToText({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}
