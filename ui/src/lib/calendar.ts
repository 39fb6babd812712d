// The month view's grid: whole weeks (Monday first by default) covering the chosen month.
import { daysInMonth, ymdToText } from './dates';

export type DayCell = {
  /** YYYY-MM-DD */
  date: string;
  day: number;
  inMonth: boolean;
};

/** 0 = Sunday … 6 = Saturday, for a calendar date (no time zone involved). */
export function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/**
 * The weeks shown for `month` (1–12) of `year`: 4 to 6 rows of 7 days; days of the neighbouring months
 * fill the first and last rows and are marked `inMonth: false`. `weekStartsOn`: 0 = Sunday, 1 = Monday.
 */
export function monthGrid(year: number, month: number, weekStartsOn: 0 | 1 = 1): DayCell[][] {
  const lead = (weekday(year, month, 1) - weekStartsOn + 7) % 7;
  const total = daysInMonth(year, month);
  const cells = Math.ceil((lead + total) / 7) * 7;
  const weeks: DayCell[][] = [];
  for (let i = 0; i < cells; i++) {
    const d = new Date(Date.UTC(year, month - 1, 1 - lead + i));
    const cell: DayCell = {
      date: ymdToText({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }),
      day: d.getUTCDate(),
      inMonth: d.getUTCMonth() === month - 1,
    };
    if (i % 7 === 0) weeks.push([]);
    weeks[weeks.length - 1]?.push(cell);
  }
  return weeks;
}

/** The month `delta` months away: shiftMonth(2026, 12, 1) → { year: 2027, month: 1 }. */
export function shiftMonth(year: number, month: number, delta: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** Weekday numbers (0 = Sunday) in display order. */
export function weekdayOrder(weekStartsOn: 0 | 1 = 1): number[] {
  return Array.from({ length: 7 }, (_, i) => (i + weekStartsOn) % 7);
}
