import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  fuzzyRange,
  isProblem,
  normalizeFuzzyDate,
  parseExactDate,
  parseFuzzyDate,
  todayLocal,
  validateDue,
  validateExactDate,
  validateFuzzyDate,
} from './dates';
// The backend's own cases (core/src/dates.rs tests read the same file): this parser is a copy of that one.
import shared from '../../../core/tests/data/dates-cases.json';


describe('exact dates (YYYY-MM-DD)', () => {
  it('accepts real days, including 29 February of leap years', () => {
    expect(validateExactDate('2026-03-14')).toBeNull();
    expect(validateExactDate('2024-02-29')).toBeNull();
    expect(validateExactDate('2000-02-29')).toBeNull();
    expect(validateExactDate(' 1985-07-14 ')).toBeNull();
    expect(parseExactDate('2026-12-31')).toEqual({ year: 2026, month: 12, day: 31 });
  });

  it('refuses impossible days with a message naming the date', () => {
    for (const bad of ['2026-02-30', '2023-02-29', '1900-02-29', '2019-04-31', '2019-13-01', '2019-00-10', '2019-01-00']) {
      const problem = validateExactDate(bad);
      expect(problem?.key, bad).toBe('validation.date_impossible');
      expect(problem?.params?.date).toBe(bad);
    }
  });

  it('refuses other shapes', () => {
    for (const bad of ['14.03.2026', '2026-3-14', '2026/03/14', '26-03-14', 'yesterday', '2026-03-14x']) {
      expect(validateExactDate(bad)?.key, bad).toBe('validation.date_format');
    }
  });

  it('checks the year range like the backend', () => {
    expect(validateExactDate('1799-12-31')?.key).toBe('validation.year_range');
    expect(validateExactDate('2201-01-01')?.key).toBe('validation.year_range');
  });

  it('treats empty as fine unless required', () => {
    expect(validateExactDate('')).toBeNull();
    expect(validateExactDate('  ', true)?.key).toBe('validation.required');
  });
});

describe('fuzzy dates', () => {
  it('accepts a year, a month or a day, with or without a qualifier', () => {
    for (const ok of ['2019', '2019-03', '2019-03-14', 'before 2019-03', 'after 2019', 'about 2018-12-31', 'Before 2019', '~2018', 'circa 2017']) {
      expect(validateFuzzyDate(ok), ok).toBeNull();
    }
    expect(parseFuzzyDate('before 2019-03')).toEqual({ qualifier: 'before', year: 2019, month: 3, day: null });
    expect(parseFuzzyDate('~2018')).toEqual({ qualifier: 'about', year: 2018, month: null, day: null });
  });

  it('refuses impossible months and days', () => {
    expect(validateFuzzyDate('2019-13')?.key).toBe('validation.month_impossible');
    expect(validateFuzzyDate('2023-02-29')?.key).toBe('validation.date_impossible');
    expect(validateFuzzyDate('about 2026-02-30')?.key).toBe('validation.date_impossible');
  });

  it('refuses other shapes', () => {
    for (const bad of ['19-03-01', '2019-3-1', 'yesterday', 'before', 'around 2019', '2019-03-14-01', 'March 2019']) {
      expect(validateFuzzyDate(bad)?.key, bad).toBe('validation.fuzzy_format');
    }
    expect(validateFuzzyDate('', true)?.key).toBe('validation.required');
    expect(validateFuzzyDate('')).toBeNull();
  });

  it('gives the first and last day a fuzzy date can mean', () => {
    const range = (text: string): { from: string; to: string } => {
      const d = parseFuzzyDate(text);
      if (isProblem(d)) throw new Error(text);
      return fuzzyRange(d);
    };
    expect(range('2019')).toEqual({ from: '2019-01-01', to: '2019-12-31' });
    expect(range('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(range('before 2019-03-14')).toEqual({ from: '2019-03-14', to: '2019-03-14' });
  });
});

describe('due dates', () => {
  it('accepts a day, or a time with its zone', () => {
    expect(validateDue('2026-12-01')).toBeNull();
    expect(validateDue('2026-12-01 17:00 Europe/Paris')).toBeNull();
    expect(validateDue('2026-12-01T17:00 Europe/Paris')).toBeNull();
    expect(validateDue('2026-12-01 09:30 America/Argentina/Buenos_Aires')).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(validateDue('2026-02-30')?.key).toBe('validation.date_impossible');
    expect(validateDue('1.12.2026')?.key).toBe('validation.due_format');
    expect(validateDue('2026-12-01 17:00')?.key).toBe('validation.zone_missing');
    expect(validateDue('2026-12-01 25:00 Europe/Paris')?.key).toBe('validation.time_format');
    expect(validateDue('2026-12-01 5pm Europe/Paris')?.key).toBe('validation.time_format');
    expect(validateDue('2026-12-01 17:00 Mars/Olympus')?.key).toBe('validation.zone_unknown');
    expect(validateDue('2026-12-01 17:00 Europe/Paris extra')?.key).toBe('validation.due_format');
    expect(validateDue('')?.key).toBe('validation.required');
  });
});

describe('day arithmetic', () => {
  it('counts days across months, years and leap days', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2024-02-27', '2024-03-01')).toBe(3);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('formats today as a local date', () => {
    expect(todayLocal(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('the fuzzy dates the backend is tested with', () => {
  it.each(shared.fuzzy.map((c) => [c.input, c.expected] as const))('parses %j as the backend does', (input, expected) => {
    const parsed = parseFuzzyDate(input);
    expect(isProblem(parsed) ? null : parsed).toEqual(expected);
  });
});

describe('fuzzy dates typed in the words of the interface', () => {
  it('stores a qualifier typed in Russian, Ukrainian, Turkish or Arabic as its English word', () => {
    expect(normalizeFuzzyDate(' до 2019-03 ')).toBe('before 2019-03');
    expect(normalizeFuzzyDate('после 2020')).toBe('after 2020');
    expect(normalizeFuzzyDate('Около 2018-12-31')).toBe('about 2018-12-31');
    expect(normalizeFuzzyDate('після 2019')).toBe('after 2019');
    expect(normalizeFuzzyDate('близько 2019-05')).toBe('about 2019-05');
    expect(normalizeFuzzyDate('2019-03 öncesi')).toBe('before 2019-03');
    expect(normalizeFuzzyDate('2019 SONRASI')).toBe('after 2019');
    expect(normalizeFuzzyDate('YAKLAŞIK 2019')).toBe('about 2019');
    expect(normalizeFuzzyDate('قبل 2019-03')).toBe('before 2019-03');
    expect(normalizeFuzzyDate('حوالي 2019')).toBe('about 2019');
  });

  it('leaves the stored form and anything else as typed', () => {
    expect(normalizeFuzzyDate('before 2019-03')).toBe('before 2019-03');
    expect(normalizeFuzzyDate('2019-03-14')).toBe('2019-03-14');
    expect(normalizeFuzzyDate('сколько-то')).toBe('сколько-то');
  });

  it('validates the local words as the stored form, and refuses a qualifier without a date', () => {
    expect(parseFuzzyDate('до 2019-03')).toEqual({ qualifier: 'before', year: 2019, month: 3, day: null });
    expect(parseFuzzyDate('2019 sonrası')).toEqual({ qualifier: 'after', year: 2019, month: null, day: null });
    expect(validateFuzzyDate('до марта')).toEqual({ key: 'validation.fuzzy_format' });
    expect(validateFuzzyDate('قبل 2019-02-30')).toEqual({
      key: 'validation.date_impossible',
      params: { date: '2019-02-30' },
    });
  });
});
