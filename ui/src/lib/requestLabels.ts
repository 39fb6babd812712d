// Words of the CCF request screens in the reader's language: types, statuses, draft languages and checklist lines,
// translated by the backend's stable keys (its English text is the fallback for a new key). The computed deadlines'
// words are in deadlineRules.ts.
import type { CheckItem } from './bindings/CheckItem';
import type { CheckKey } from './bindings/CheckKey';
import type { LimitWarning } from './bindings/LimitWarning';
import type { RequestStatus } from './bindings/RequestStatus';
import type { RequestType } from './bindings/RequestType';
import type { WarningKey } from './bindings/WarningKey';
import { formatExactDate } from './fuzzyFormat';
import { formatNumber, locale, t, type MessageKey } from './i18n';

const TYPE_KEYS: Record<RequestType, MessageKey> = {
  access: 'request.type_access',
  correction_deletion: 'request.type_correction_deletion',
  revision: 'request.type_revision',
};

const STATUS_KEYS: Record<RequestStatus, MessageKey> = {
  draft: 'request.status_draft',
  sent_to_counsel: 'request.status_sent_to_counsel',
  filed: 'request.status_filed',
  decided: 'request.status_decided',
};

const LANGUAGE_KEYS: Record<string, MessageKey> = {
  en: 'request.lang_en',
  fr: 'request.lang_fr',
  es: 'request.lang_es',
  ar: 'request.lang_ar',
};

export function typeLabel(type: RequestType | null): string {
  return type === null ? t('request.type_none') : t(TYPE_KEYS[type]);
}

export function statusLabel(status: RequestStatus): string {
  return t(STATUS_KEYS[status]);
}

export function languageLabel(code: string): string {
  const key = LANGUAGE_KEYS[code];
  return key ? t(key) : code;
}

const LANGUAGE_NAME_KEYS: Record<string, MessageKey> = {
  en: 'request.lang_name_en',
  fr: 'request.lang_name_fr',
  es: 'request.lang_name_es',
  ar: 'request.lang_name_ar',
};

/** The language's name as it reads inside a sentence ("in French" / "на французском"). */
export function languageName(code: string): string {
  const key = LANGUAGE_NAME_KEYS[code];
  return key ? t(key) : code;
}

/**
 * Checklist keys with their wording and the wizard step (1-based) where the person fixes them. `CheckKey` is generated
 * from the backend's enum, so a new key fails the type check until it has words here.
 */
const CHECK_ITEMS: Record<CheckKey, { label: MessageKey; fix: MessageKey; step: number }> = {
  type_chosen: { label: 'check.type_chosen', fix: 'check.type_chosen_fix', step: 1 },
  identity_annexed: { label: 'check.identity_annexed', fix: 'check.identity_annexed_fix', step: 2 },
  power_of_attorney_annexed: {
    label: 'check.power_of_attorney_annexed',
    fix: 'check.power_of_attorney_annexed_fix',
    step: 2,
  },
  working_language: { label: 'check.working_language', fix: 'check.working_language_fix', step: 1 },
  reasons: { label: 'check.reasons', fix: 'check.reasons_fix', step: 5 },
  placeholders_filled: { label: 'check.placeholders_filled', fix: 'check.placeholders_filled_fix', step: 5 },
  supporting_documents: { label: 'check.supporting_documents', fix: 'check.supporting_documents_fix', step: 5 },
  new_fact: { label: 'check.new_fact', fix: 'check.new_fact_fix', step: 6 },
  revised_decision: { label: 'check.revised_decision', fix: 'check.revised_decision_fix', step: 6 },
  annex_available: { label: 'check.annex_available', fix: 'check.annex_available_fix', step: 6 },
  signed: { label: 'check.signed', fix: 'check.signed_fix', step: 6 },
  several_purposes: { label: 'check.several_purposes', fix: 'check.several_purposes_fix', step: 1 },
  identity_complete: { label: 'check.identity_complete', fix: 'check.identity_complete_fix', step: 2 },
  identity_valid: { label: 'check.identity_valid', fix: 'check.identity_valid_fix', step: 2 },
  entity_documents: { label: 'check.entity_documents', fix: 'check.entity_documents_fix', step: 2 },
  minor_documents: { label: 'check.minor_documents', fix: 'check.minor_documents_fix', step: 2 },
  unverified_citations: { label: 'check.unverified_citations', fix: 'check.unverified_citations_fix', step: 5 },
  revision_window: { label: 'check.revision_window', fix: 'check.revision_window_fix', step: 6 },
  annex_translation: { label: 'check.annex_translation', fix: 'check.annex_translation_fix', step: 6 },
};

/** The entry for a key, or undefined for one a newer backend sends and this table does not know yet. */
function lookup<K extends string, V>(table: Record<K, V>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key as K] : undefined;
}

/** The words an item's label and fix may hold: its ground's title, its annex number, its date. */
function itemParams(item: CheckItem, groundTitle?: (id: string) => string): Record<string, string | number> {
  return {
    ground: item.ground === null ? '' : (groundTitle?.(item.ground) ?? item.ground),
    annex: item.annex ?? '',
    date: item.date === null ? '' : formatExactDate(item.date, locale.current),
  };
}

/** The line of a checklist item in the reader's language; `groundTitle` names a ground by its id. */
export function checkLabel(item: CheckItem, groundTitle?: (id: string) => string): string {
  const known = lookup(CHECK_ITEMS, item.key);
  return known ? t(known.label, itemParams(item, groundTitle)) : item.label;
}

export function checkFix(item: CheckItem): string {
  const known = lookup(CHECK_ITEMS, item.key);
  if (!known) return item.fix;
  if (item.key === 'annex_available') {
    if (item.annex !== null && item.evidence !== null) {
      return t('check.annex_available_fix_n', { annex: item.annex, id: item.evidence });
    }
  }
  if (item.key === 'identity_valid' && item.date !== null) {
    return t('check.identity_valid_fix_expired', itemParams(item));
  }
  return t(known.fix, itemParams(item));
}

/** The wizard step where a checklist line is fixed, or null for an unknown key. */
export function checkStep(key: string): number | null {
  return lookup(CHECK_ITEMS, key)?.step ?? null;
}

const WARNINGS: Record<WarningKey, { text: MessageKey; step: number }> = {
  too_many_annexes: { text: 'check.warn_too_many_annexes', step: 6 },
  arguments_too_long: { text: 'check.warn_arguments_too_long', step: 5 },
  revision_summary_too_long: { text: 'check.warn_revision_summary_too_long', step: 6 },
};

export function warningText(w: LimitWarning): string {
  const known = lookup(WARNINGS, w.key);
  return known ? t(known.text, { measured: formatNumber(w.measured), limit: formatNumber(w.limit) }) : w.message;
}

export function warningStep(key: string): number | null {
  return lookup(WARNINGS, key)?.step ?? null;
}
