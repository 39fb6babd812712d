import { describe, expect, it } from 'vitest';
import { formatExactDate, formatFuzzyDate, formatMonthHeading } from './fuzzyFormat';

describe('formatFuzzyDate', () => {
  it('writes English dates in words', () => {
    expect(formatFuzzyDate('2019', 'en')).toBe('2019');
    expect(formatFuzzyDate('2019-03', 'en')).toBe('March 2019');
    expect(formatFuzzyDate('2019-03-14', 'en')).toBe('March 14, 2019');
    expect(formatFuzzyDate('before 2019-03', 'en')).toBe('before March 2019');
    expect(formatFuzzyDate('after 2019', 'en')).toBe('after 2019');
    expect(formatFuzzyDate('about 2018-12-31', 'en')).toBe('about December 31, 2018');
    expect(formatFuzzyDate('~2018', 'en')).toBe('about 2018');
  });

  it('writes Russian dates with the right grammatical case', () => {
    expect(formatFuzzyDate('2019', 'ru')).toBe('2019 г.');
    expect(formatFuzzyDate('2019-03', 'ru')).toBe('Март 2019 г.');
    expect(formatFuzzyDate('2019-03-14', 'ru')).toBe('14 марта 2019 г.');
    expect(formatFuzzyDate('before 2019-03', 'ru')).toBe('до марта 2019 г.');
    expect(formatFuzzyDate('after 2019-05', 'ru')).toBe('после мая 2019 г.');
    expect(formatFuzzyDate('about 2018', 'ru')).toBe('около 2018 г.');
    expect(formatFuzzyDate('after 2020-08-01', 'ru')).toBe('после 1 августа 2020 г.');
  });

  it('writes Ukrainian, Turkish and Arabic dates in their own forms', () => {
    expect(formatFuzzyDate('2019-03', 'uk')).toBe('Березень 2019 р.');
    expect(formatFuzzyDate('before 2019-03', 'uk')).toBe('до березня 2019 р.');
    expect(formatFuzzyDate('after 2020-08-01', 'uk')).toBe('після 1 серпня 2020 р.');
    expect(formatFuzzyDate('about 2018', 'uk')).toBe('близько 2018 р.');
    expect(formatFuzzyDate('2019-03-14', 'tr')).toBe('14 Mart 2019');
    expect(formatFuzzyDate('before 2019-03', 'tr')).toBe('Mart 2019 öncesi');
    expect(formatFuzzyDate('about 2018', 'tr')).toBe('yaklaşık 2018');
    expect(formatFuzzyDate('2019-03-14', 'ar')).toBe('14 مارس 2019');
    expect(formatFuzzyDate('after 2019-05', 'ar')).toBe('بعد مايو 2019');
    expect(formatMonthHeading(2026, 11, 'uk')).toBe('Листопад 2026');
    expect(formatMonthHeading(2026, 11, 'tr')).toBe('Kasım 2026');
  });

  it('shows text it cannot read unchanged', () => {
    expect(formatFuzzyDate('sometime', 'en')).toBe('sometime');
    expect(formatFuzzyDate('2019-02-30', 'ru')).toBe('2019-02-30');
  });
});

describe('formatExactDate and formatMonthHeading', () => {
  it('formats a day like Intl does for dateStyle long', () => {
    expect(formatExactDate('2024-03-05', 'en')).toBe('March 5, 2024');
    expect(formatExactDate('2024-03-05', 'ru')).toBe('5 марта 2024 г.');
    expect(formatExactDate('not a date', 'en')).toBe('not a date');
  });

  it('capitalises month headings', () => {
    expect(formatMonthHeading(2026, 11, 'en')).toBe('November 2026');
    expect(formatMonthHeading(2026, 11, 'ru')).toBe('Ноябрь 2026');
  });
});
