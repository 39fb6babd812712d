// Small pure helpers for showing records: sizes, file types, due dates, deadline urgency, lists.
import type { Deadline } from './bindings/Deadline';
import type { Due } from './bindings/Due';
import type { MessageKey } from './i18n';
import { daysBetween } from './dates';
import { formatExactDate, type DateLocale } from './fuzzyFormat';

/** "1.2 MB" / "1,2 МБ". */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[i],
    unitDisplay: i === 0 ? 'long' : 'short',
    maximumFractionDigits: i === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

export type FileCategory = 'pdf' | 'image' | 'text' | 'other';

export function fileCategory(mime: string): FileCategory {
  const m = mime.toLowerCase();
  if (m === 'application/pdf') return 'pdf';
  if (m.startsWith('image/')) return 'image';
  if (m.startsWith('text/') || m === 'application/json' || m === 'application/xml') return 'text';
  return 'other';
}

/** Images a webview shows safely in <img>; others (e.g. TIFF, HEIC) are treated as "other". */
export function isPreviewableImage(mime: string): boolean {
  return ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp'].includes(mime.toLowerCase());
}

/** Files above this size are not previewed (export instead). */
export const PREVIEW_LIMIT_BYTES = 64 * 1024 * 1024;

/** "a, b ,, c" → ["a", "b", "c"] (duplicates removed, order kept). */
export function parseList(text: string, separator: RegExp = /[,;\n]/u): string[] {
  const out: string[] = [];
  for (const part of text.split(separator)) {
    const v = part.trim();
    if (v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}

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

export type Urgency = 'done' | 'overdue' | 'today' | 'soon' | 'later';

/** How pressing a deadline is on `today` (YYYY-MM-DD): overdue, today, within 14 days, later, or done. */
export function urgency(d: Deadline, today: string, soonDays = 14): Urgency {
  if (d.status.status === 'done') return 'done';
  const days = daysBetween(today, dueDay(currentDue(d)));
  if (days < 0) return 'overdue';
  if (days === 0) return 'today';
  if (days <= soonDays) return 'soon';
  return 'later';
}

/** "in 3 days" / "через 3 дня", "2 days ago" / "2 дня назад", "today" / "сегодня". */
export function relativeDays(days: number, locale: string): string {
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day');
}

const ACTION_KEYS: Record<string, MessageKey> = {
  create: 'audit.action.create',
  import: 'audit.action.import',
  edit: 'audit.action.edit',
  delete: 'audit.action.delete',
  restore: 'audit.action.restore',
  purge: 'audit.action.purge',
  export: 'audit.action.export',
  created: 'audit.action.created',
  backup: 'audit.action.backup',
  passphrase_changed: 'audit.action.passphrase_changed',
  rekeyed: 'audit.action.rekeyed',
};

const ENTITY_KEYS: Record<string, MessageKey> = {
  profile: 'audit.entity.profile',
  evidence: 'audit.entity.evidence',
  event: 'audit.entity.event',
  contact: 'audit.entity.contact',
  deadline: 'audit.entity.deadline',
  request: 'audit.entity.request',
  vault: 'audit.entity.vault',
};

export function auditActionKey(action: string): MessageKey | null {
  return Object.prototype.hasOwnProperty.call(ACTION_KEYS, action) ? (ACTION_KEYS[action] ?? null) : null;
}

export function auditEntityKey(entity: string): MessageKey | null {
  return Object.prototype.hasOwnProperty.call(ENTITY_KEYS, entity) ? (ENTITY_KEYS[entity] ?? null) : null;
}

/** The `title` recorded in an audit payload (JSON of the record's state), if any. */
export function payloadTitle(payload: string | null): string | null {
  if (!payload) return null;
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value === 'object' && value !== null && 'title' in value) {
      const title = (value as { title: unknown }).title;
      return typeof title === 'string' ? title : null;
    }
  } catch {
    // Not JSON: nothing to show.
  }
  return null;
}

/** Recovery keys are typed in many ways; send them as upper-case groups of four joined by dashes. */
export function normalizeRecoveryKey(text: string): string {
  const compact = text.replace(/[\s-]+/gu, '').toUpperCase();
  return compact.match(/.{1,4}/gu)?.join('-') ?? '';
}

/** A recovery key has 8 groups of 4 letters or digits. */
export function looksLikeRecoveryKey(text: string): boolean {
  return /^[A-Z0-9]{32}$/u.test(text.replace(/[\s-]+/gu, '').toUpperCase());
}

export function isPlausibleEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(text.trim());
}
