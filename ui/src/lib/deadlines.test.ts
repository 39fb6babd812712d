import { describe, expect, it } from 'vitest';
import type { Deadline } from './bindings/Deadline';
import { currentDue, dueText, formatDue, parseReminders, relativeDays, urgency, zonedInstant } from './deadlines';

function deadline(over: Partial<Deadline> = {}): Deadline {
  return {
    id: 1,
    trashed: false,
    title: 'CCF reply',
    due: { type: 'date', date: '2026-12-01' },
    kind: 'ccf',
    contact: null,
    event: null,
    status: { status: 'open' },
    reminders: [14],
    notes: '',
    urgency: 'later',
    ...over,
  };
}

describe('due dates', () => {
  it('shows a day, or a time in its own zone', () => {
    expect(formatDue({ type: 'date', date: '2026-12-01' }, 'en')).toBe('December 1, 2026');
    expect(formatDue({ type: 'date_time', local: '2026-12-01T17:00:00', zone: 'Europe/Paris' }, 'en')).toBe(
      'December 1, 2026, 17:00 (Europe/Paris)',
    );
    expect(formatDue({ type: 'date_time', local: '2026-12-01T17:00:00', zone: 'Europe/Paris' }, 'ru')).toBe(
      '1 декабря 2026 г., 17:00 (Europe/Paris)',
    );
  });

  it('gives back the text the backend accepts', () => {
    expect(dueText({ type: 'date', date: '2026-12-01' })).toBe('2026-12-01');
    expect(dueText({ type: 'date_time', local: '2026-12-01T17:00:00', zone: 'Europe/Paris' })).toBe(
      '2026-12-01 17:00 Europe/Paris',
    );
  });

  it('uses the extension when there is one', () => {
    const d = deadline({ status: { status: 'extended', to: { type: 'date', date: '2027-01-15' } } });
    expect(currentDue(d)).toEqual({ type: 'date', date: '2027-01-15' });
  });

  it("shows the backend's urgency, the one rule, not a rule of its own", () => {
    // Reminders 30 and 7, due in 20 days: the backend says soon (its largest lead), and so does every screen.
    const twentyDays = deadline({ due: { type: 'date', date: '2026-12-21' }, reminders: [30, 7], urgency: 'soon' });
    expect(urgency(twentyDays)).toBe('soon');
    for (const level of ['done', 'overdue', 'today', 'soon', 'later'] as const) {
      expect(urgency(deadline({ urgency: level }))).toBe(level);
    }
    expect(urgency(deadline({ urgency: null })), 'a listing without a day').toBe('later');
  });

  it('turns a zoned local time into the right instant, also around daylight-saving changes', () => {
    expect(zonedInstant('2026-12-01T17:00:00', 'Europe/Paris')?.toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(zonedInstant('2026-07-01T17:00:00', 'Europe/Paris')?.toISOString()).toBe('2026-07-01T15:00:00.000Z');
    expect(zonedInstant('2026-03-29T03:30:00', 'Europe/Paris')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedInstant('2026-12-01T17:00:00', 'Nowhere/Land')).toBeNull();
  });

  it('says how far away a day is', () => {
    expect(relativeDays(3, 'en')).toBe('in 3 days');
    expect(relativeDays(-2, 'en')).toBe('2 days ago');
    expect(relativeDays(3, 'ru')).toBe('через 3 дня');
    expect(relativeDays(0, 'ru')).toBe('сегодня');
  });
});

describe('reminder days', () => {
  it('parses reminder days, largest first', () => {
    expect(parseReminders('7, 30 14,1')).toEqual([30, 14, 7, 1]);
    expect(parseReminders('')).toEqual([]);
    expect(parseReminders('7, soon')).toBeNull();
    expect(parseReminders('4000')).toBeNull();
    expect(parseReminders('-1')).toBeNull();
  });
});
