// Turns a failed command into one sentence in the reader's language. The specific `reason` wins over the
// general `code`; unknown ones fall back to the backend's English message so nothing is hidden. `Code` and `Reason`
// are generated from the backend's enums: a new one fails the type check here until it has a message.
import { toCommandError } from './api';
import type { Code } from './bindings/Code';
import type { Reason } from './bindings/Reason';
import type { MessageKey } from './i18n';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const CODE_KEYS: Record<Code, MessageKey> = {
  wrong_passphrase: 'error.code.wrong_passphrase',
  wrong_recovery_key: 'error.code.wrong_recovery_key',
  locked: 'error.code.locked',
  not_found: 'error.code.not_found',
  invalid_input: 'error.code.invalid_input',
  duplicate: 'error.code.duplicate',
  cancelled: 'error.code.cancelled',
  integrity: 'error.code.integrity',
  vault: 'error.code.vault',
  error: 'error.code.error',
};

const REASON_KEYS: Record<Reason, MessageKey> = {
  invalid: 'error.code.invalid_input',
  empty: 'error.reason.empty',
  empty_file: 'error.reason.empty_file',
  is_folder: 'error.reason.is_folder',
  missing_file: 'error.reason.missing_file',
  unreadable: 'error.reason.unreadable',
  no_space: 'error.reason.no_space',
  too_long: 'error.reason.too_long',
  forbidden_char: 'error.reason.forbidden_char',
  bad_date: 'error.reason.bad_date',
  passphrase_short: 'error.reason.passphrase_short',
  not_regular: 'error.reason.not_regular',
  not_working_language: 'error.reason.not_working_language',
  trashed_annex: 'error.reason.trashed_annex',
  dates_out_of_order: 'error.reason.dates_out_of_order',
  no_type: 'error.reason.no_type',
  empty_bundle: 'error.reason.empty_bundle',
  weak_password: 'error.reason.weak_password',
  target_in_vault: 'error.reason.target_in_vault',
  target_is_link: 'error.reason.target_is_link',
  target_is_folder: 'error.reason.target_is_folder',
  not_scan: 'error.reason.not_scan',
  ocr_unavailable: 'error.reason.ocr_unavailable',
  bad_languages: 'error.reason.bad_languages',
  ocr_failed: 'error.reason.ocr_failed',
  translation_link: 'error.reason.translation_link',
};

/** Codes whose general sentence loses what went wrong: the backend's own words are added as details. */
const WITH_DETAILS: ReadonlySet<string> = new Set(['invalid_input', 'integrity', 'vault', 'error']);
/** Reasons whose sentence cannot say which document, dates or field: the backend's words name them. */
const REASON_WITH_DETAILS: ReadonlySet<string> = new Set([
  'trashed_annex',
  'dates_out_of_order',
  'invalid',
  'empty',
  'ocr_unavailable',
  'ocr_failed',
  'translation_link',
]);

function has<K extends string>(table: Record<K, MessageKey>, key: string): key is K {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** The localized message for a failed command (a CommandError, or anything a rejected promise gave). */
export function errorMessage(error: unknown, tr: Translate): string {
  const err = toCommandError(error);
  let message: string;
  if (has(REASON_KEYS, err.reason)) {
    message = tr(REASON_KEYS[err.reason]);
    if (REASON_WITH_DETAILS.has(err.reason) && err.message.trim() !== '') {
      message = tr('error.with_details', { message, details: err.message });
    }
  } else if (has(CODE_KEYS, err.code)) {
    message = tr(CODE_KEYS[err.code]);
    if (WITH_DETAILS.has(err.code) && err.message.trim() !== '') {
      message = tr('error.with_details', { message, details: err.message });
    }
  } else {
    message = err.message.trim() !== '' ? err.message : tr('error.code.error');
  }
  return err.subject ? tr('error.with_subject', { subject: err.subject, message }) : message;
}

/** True when the error only says the person cancelled (a dialog, or the Cancel button). */
export function isCancelled(error: unknown): boolean {
  return toCommandError(error).code === 'cancelled';
}
