// Evidence files as the screens show them: sizes in the reader's language, the four kinds of file the filters and
// the bundle know, and which pictures a webview may show. The kind comes from the MIME type the backend detected.
import { intlLocale, type MessageKey } from './i18n';

/** "1.2 MB" / "1,2 МБ". */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return new Intl.NumberFormat(intlLocale(locale), {
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

const TYPE_KEYS: Record<FileCategory, MessageKey> = {
  pdf: 'evidence.type_pdf',
  image: 'evidence.type_image',
  text: 'evidence.type_text',
  other: 'evidence.type_other',
};

/** The words for a file's kind ("PDF", "Picture"…), by its MIME type. */
export function fileTypeKey(mime: string): MessageKey {
  return TYPE_KEYS[fileCategory(mime)];
}

/**
 * Pictures the isolated worker can decode and re-encode for the preview (the webview is only ever given the
 * worker's PNG or JPEG, never the original); others (e.g. HEIC, SVG) are treated as "other".
 */
export function isPreviewableImage(mime: string): boolean {
  return ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff'].includes(
    mime.toLowerCase(),
  );
}

/** Files above this size are not previewed (export instead). */
export const PREVIEW_LIMIT_BYTES = 64 * 1024 * 1024;
