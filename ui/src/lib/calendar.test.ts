import { describe, expect, it } from 'vitest';
import { monthGrid, shiftMonth, weekday, weekdayOrder } from './calendar';

describe('monthGrid', () => {
  it('covers the month with whole weeks starting on Monday', () => {
    // November 2026 starts on a Sunday: six rows, the first starting on Monday 26 October.
    const weeks = monthGrid(2026, 11, 1);
    expect(weeks).toHaveLength(6);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks[0]?.[0]).toEqual({ date: '2026-10-26', day: 26, inMonth: false });
    expect(weeks[0]?.[6]).toEqual({ date: '2026-11-01', day: 1, inMonth: true });
    expect(weeks[5]?.[6]).toEqual({ date: '2026-12-06', day: 6, inMonth: false });
    const inMonth = weeks.flat().filter((c) => c.inMonth);
    expect(inMonth).toHaveLength(30);
    expect(inMonth[29]?.date).toBe('2026-11-30');
  });

  it('needs only four rows for a February starting on Monday', () => {
    // February 2027 starts on a Monday and has 28 days.
    const weeks = monthGrid(2027, 2, 1);
    expect(weeks).toHaveLength(4);
    expect(weeks[0]?.[0]?.date).toBe('2027-02-01');
    expect(weeks[3]?.[6]?.date).toBe('2027-02-28');
  });

  it('handles leap years and a Sunday-first layout', () => {
    const weeks = monthGrid(2024, 2, 0);
    expect(weeks[0]?.[0]?.date).toBe('2024-01-28');
    expect(weeks.flat().filter((c) => c.inMonth)).toHaveLength(29);
    expect(weeks.flat().every((c, i, all) => i === 0 || c.date > (all[i - 1]?.date ?? ''))).toBe(true);
  });

  it('crosses the year boundary', () => {
    const weeks = monthGrid(2026, 12, 1);
    const last = weeks[weeks.length - 1];
    expect(last?.[last.length - 1]?.date).toBe('2027-01-03');
  });
});

describe('helpers', () => {
  it('shifts months across years', () => {
    expect(shiftMonth(2026, 12, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth(2026, 1, -1)).toEqual({ year: 2025, month: 12 });
    expect(shiftMonth(2026, 5, -17)).toEqual({ year: 2024, month: 12 });
  });

  it('knows weekdays and their display order', () => {
    expect(weekday(2026, 11, 1)).toBe(0);
    expect(weekdayOrder(1)).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(weekdayOrder(0)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
