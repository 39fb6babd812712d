// The counsel bundle in the reader's language: how each exhibit will appear, why one is a placeholder, the
// metadata a picture holds, and the names of sections and dates as the Bundle screen's cards show them.
import type { MetadataItem } from './bindings/MetadataItem';
import type { Placeholder } from './bindings/Placeholder';
import type { Treatment } from './bindings/Treatment';
import type { SectionDraft } from './bundle';
import { formatFuzzyDate } from './fuzzyFormat';
import { locale, t, type MessageKey } from './i18n';

export const TREATMENT_KEYS: Readonly<Record<Treatment, MessageKey>> = {
  pages: 'bundle.treatment_pages',
  picture: 'bundle.treatment_picture',
  text: 'bundle.treatment_text',
  attached: 'bundle.treatment_attached',
  placeholder: 'bundle.treatment_placeholder',
  too_large: 'bundle.treatment_too_large',
};

/** Why the plan shows a placeholder page for an exhibit. */
const PLAN_REASON_KEYS: Record<string, MessageKey> = {
  picture_format: 'bundle.plan_reason_picture_format',
  file_type: 'bundle.plan_reason_file_type',
  too_large: 'bundle.plan_reason_too_large',
};

const METADATA_KEYS: Record<string, MessageKey> = {
  gps: 'bundle.meta_gps',
  camera: 'bundle.meta_camera',
  serial: 'bundle.meta_serial',
  date_taken: 'bundle.meta_date_taken',
  software: 'bundle.meta_software',
  author: 'bundle.meta_author',
  comment: 'bundle.meta_comment',
  xmp: 'bundle.meta_xmp',
  iptc: 'bundle.meta_iptc',
  icc: 'bundle.meta_icc',
  text: 'bundle.meta_text',
  thumbnail: 'bundle.meta_thumbnail',
  other: 'bundle.meta_other',
  unchecked: 'bundle.meta_unchecked',
  document_info: 'bundle.meta_document_info',
};

const REASON_KEYS: Record<string, MessageKey> = {
  encrypted: 'bundle.reason.encrypted',
  unreadable: 'bundle.reason.unreadable',
  crashed: 'bundle.reason.crashed',
  timed_out: 'bundle.reason.timed_out',
  unavailable: 'bundle.reason.unavailable',
};

function lookup(table: Record<string, MessageKey>, key: string): MessageKey | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Why the check will show an exhibit as a placeholder page. */
export function planReason(reason: string): string {
  return t(lookup(PLAN_REASON_KEYS, reason) ?? 'bundle.plan_reason_file_type');
}

/** Why an exhibit is a placeholder, in the interface's language (the reader's own words kept as they are). */
export function placeholderReason(ph: Placeholder): string {
  return failureReason(ph.code, ph.detail) ?? ph.reason;
}

/** Why the isolated reader gave no answer for a file or a page (a `Failure` code), or null for an unknown code. */
export function failureReason(code: string, detail: string): string | null {
  const key = lookup(REASON_KEYS, code);
  return key ? t(key, { detail }) : null;
}

/** One piece of metadata a picture holds: its kind, and what it says when there is something to say. */
export function metadataText(m: MetadataItem): string {
  const kind = t(lookup(METADATA_KEYS, m.kind) ?? 'bundle.meta_other');
  return m.detail.trim() === '' ? kind : t('bundle.meta_with_detail', { kind, detail: m.detail });
}

/** A section's name, or "Section n" while it has none (`index` counts from 0). */
export function sectionTitle(s: SectionDraft, index: number): string {
  return s.title.trim() === '' ? t('bundle.section_untitled', { n: index + 1 }) : s.title.trim();
}

/** A document's date, or "no date". */
export function dateText(date: string | null | undefined): string {
  return date ? formatFuzzyDate(date, locale.current) : t('bundle.no_date');
}
