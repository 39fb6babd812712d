// Deadlines as the screens show them: due dates (a day, or a time in a zone), the date that applies after an
// extension, how pressing a deadline is, its kind, and the reminder days typed in the form.
import type { Deadline } from './bindings/Deadline';
import type { DeadlineKind } from './bindings/DeadlineKind';
import type { Due } from './bindings/Due';
import type { Urgency } from './bindings/Urgency';
import { formatExactDate, type DateLocale } from './fuzzyFormat';
import { intlLocale, t, type MessageKey } from './i18n';
import { parseList } from './lists';

/** Reminder lead times typed as "30, 14, 7": whole days 0–3650, or null if something else was typed. */
export function parseReminders(text: string): number[] | null {
  const parts = parseList(text, /[,;\s]+/u);
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,4}$/u.test(p)) return null;
    const n = Number(p);
    if (n > 3650) return null;
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => b - a);
}

/** The day a due date falls on, in its own zone (YYYY-MM-DD). */
export function dueDay(due: Due): string {
  return due.type === 'date' ? due.date : due.local.slice(0, 10);
}

/** The canonical text the backend accepts: "2026-12-01" or "2026-12-01 17:00 Europe/Paris". */
export function dueText(due: Due): string {
  return due.type === 'date' ? due.date : `${due.local.slice(0, 10)} ${due.local.slice(11, 16)} ${due.zone}`;
}

/** "December 1, 2026" or "December 1, 2026, 17:00 (Europe/Paris)", in the deadline's own zone. */
export function formatDue(due: Due, locale: DateLocale): string {
  const day = formatExactDate(dueDay(due), locale);
  if (due.type === 'date') return day;
  return `${day}, ${due.local.slice(11, 16)} (${due.zone.replace(/_/gu, ' ')})`;
}

/** The instant a zoned local time means, or null if the zone is unknown here. */
export function zonedInstant(local: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/u.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  } catch {
    return null;
  }
  const offsetAt = (t: number): number => {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const shown = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour) % 24,
      Number(parts.minute),
    );
    return shown - t;
  };
  // Two passes settle the offset even next to a daylight-saving change.
  let t = asUtc - offsetAt(asUtc);
  t = asUtc - offsetAt(t);
  return new Date(t);
}

/** The deadline's due date that applies now (the extension's, if extended). */
export function currentDue(d: Deadline): Due {
  return d.status.status === 'extended' ? d.status.to : d.due;
}

/**
 * How pressing a deadline is, as the backend computed it on the day the list was asked for (its one rule: soon
 * within the deadline's largest reminder lead, 14 days when it has none). A deadline from a listing without a day
 * counts as later.
 */
export function urgency(d: Deadline): Urgency {
  return d.urgency ?? 'later';
}

/** "in 3 days" / "через 3 дня", "2 days ago" / "2 дня назад", "today" / "сегодня". */
export function relativeDays(days: number, locale: string): string {
  return new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto' }).format(days, 'day');
}

/** The kinds of deadline, in the order the form offers them, with their words. */
export const DEADLINE_KINDS: ReadonlyArray<{ value: DeadlineKind; label: MessageKey }> = [
  { value: 'ccf', label: 'deadline.kind_ccf' },
  { value: 'extradition', label: 'deadline.kind_extradition' },
  { value: 'asylum', label: 'deadline.kind_asylum' },
  { value: 'court', label: 'deadline.kind_court' },
  { value: 'other', label: 'deadline.kind_other' },
];

export function kindLabel(kind: DeadlineKind): string {
  return t(DEADLINE_KINDS.find((x) => x.value === kind)?.label ?? 'deadline.kind_other');
}
