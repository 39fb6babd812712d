// Pure helpers of the CCF request screens: turning a stored request back into what the form edits, placeholders
// left in an argument, the order of annexes, facts and grounds, and reading the backend's zoned times.
import type { Annex } from './bindings/Annex';
import type { GroundArgument } from './bindings/GroundArgument';
import type { ProfileState } from './bindings/ProfileState';
import type { Request } from './bindings/Request';
import type { RequestInput } from './bindings/RequestInput';
import type { RequestStatus } from './bindings/RequestStatus';
import type { RequestType } from './bindings/RequestType';
import type { RevisionInput } from './bindings/RevisionInput';

export const REQUEST_TYPES: readonly RequestType[] = ['access', 'correction_deletion', 'revision'];
export const REQUEST_STATUSES: readonly RequestStatus[] = ['draft', 'sent_to_counsel', 'filed', 'decided'];
/** The CCF's working languages, in the order the app offers them; Redress drafts in all four. */
export const OUTPUT_LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export const DRAFT_LANGUAGES = OUTPUT_LANGUAGES;
export type OutputLanguage = (typeof OUTPUT_LANGUAGES)[number];

export function isDraftLanguage(value: string): value is (typeof DRAFT_LANGUAGES)[number] {
  return (DRAFT_LANGUAGES as readonly string[]).includes(value);
}

export function emptyRevision(): RevisionInput {
  return {
    revised_type: null,
    decision_reference: '',
    decision_date: '',
    new_fact: '',
    discovered_on: '',
    summary: '',
    why_unknown: '',
    why_decisive: '',
    late_reason: '',
  };
}

/** A new request: English, a draft, with the notice's details taken from the case profile when there is one. */
export function newRequestInput(profile: ProfileState | null, title = ''): RequestInput {
  return {
    title,
    request_type: null,
    language: 'en',
    representative: null,
    power_of_attorney: null,
    identity_document: null,
    data: {
      issuing_country: profile?.issuing_country ?? '',
      instrument: profile?.notice_type ?? 'red_notice',
      references: profile ? [...profile.references] : [],
      dates: '',
    },
    facts: [],
    grounds: [],
    annexes: [],
    revision: null,
    confidentiality: '',
    signature_place: '',
    signature_date: '',
    status: 'draft',
    received: '',
    admissibility: '',
    decision: '',
    other_purposes: [],
    applicant_kind: 'person',
    applicant_form: 'neutral',
    identity_complete: false,
    identity_expiry: '',
    entity_registration: null,
    entity_authority: null,
    minor_relationship: null,
    signer: 'applicant',
  };
}

/**
 * What the form edits for a stored request: every date as YYYY-MM-DD text ("" when unknown), lists copied. Fields
 * a request stored before them does not hold take their defaults (neutral form, the applicant signs).
 */
export function requestToInput(r: Request): RequestInput {
  return {
    title: r.title,
    request_type: r.request_type,
    language: r.language,
    representative: r.representative,
    power_of_attorney: r.power_of_attorney,
    identity_document: r.identity_document,
    data: {
      issuing_country: r.data.issuing_country,
      instrument: r.data.instrument,
      references: [...r.data.references],
      dates: r.data.dates,
    },
    facts: [...r.facts],
    grounds: r.grounds.map((g) => ({ ground: g.ground, argument: g.argument, evidence: [...g.evidence] })),
    annexes: r.annexes.map((a) => ({ evidence: a.evidence, confidential: a.confidential })),
    revision: r.revision
      ? {
          revised_type: r.revision.revised_type,
          decision_reference: r.revision.decision_reference,
          decision_date: r.revision.decision_date ?? '',
          new_fact: r.revision.new_fact,
          discovered_on: r.revision.discovered_on ?? '',
          summary: r.revision.summary,
          why_unknown: r.revision.why_unknown ?? '',
          why_decisive: r.revision.why_decisive ?? '',
          late_reason: r.revision.late_reason ?? '',
        }
      : null,
    confidentiality: r.confidentiality,
    signature_place: r.signature_place,
    signature_date: r.signature_date ?? '',
    status: r.status,
    received: r.ccf.received ?? '',
    admissibility: r.ccf.admissibility ?? '',
    decision: r.ccf.decision ?? '',
    other_purposes: [...(r.other_purposes ?? [])],
    applicant_kind: r.applicant_kind ?? 'person',
    applicant_form: r.applicant_form ?? 'neutral',
    identity_complete: r.identity_complete ?? false,
    identity_expiry: r.identity_expiry ?? '',
    entity_registration: r.entity_registration ?? null,
    entity_authority: r.entity_authority ?? null,
    minor_relationship: r.minor_relationship ?? null,
    signer: r.signer ?? 'applicant',
  };
}

/** The input as sent: one-line fields trimmed, blank references dropped; a revision always has its details. */
export function inputToSave(input: RequestInput): RequestInput {
  const revision = input.request_type === 'revision' ? (input.revision ?? emptyRevision()) : input.revision;
  return {
    ...input,
    title: input.title.trim(),
    data: {
      ...input.data,
      issuing_country: input.data.issuing_country.trim(),
      references: input.data.references.map((r) => r.trim()).filter((r) => r !== ''),
      dates: input.data.dates.trim(),
    },
    revision: revision
      ? {
          ...revision,
          decision_reference: revision.decision_reference.trim(),
          decision_date: revision.decision_date.trim(),
          discovered_on: revision.discovered_on.trim(),
        }
      : null,
    other_purposes: input.other_purposes.filter((p) => p !== input.request_type),
    identity_expiry: input.identity_expiry.trim(),
    signature_place: input.signature_place.trim(),
    signature_date: input.signature_date.trim(),
    received: input.received.trim(),
    admissibility: input.admissibility.trim(),
    decision: input.decision.trim(),
  };
}

// A placeholder name as the grounds library writes it: lower-case Latin letters, digits and "_".
const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}|\[([a-z0-9_]+)\]/gu;

/**
 * The placeholders still in an argument, each once, in order: `{{name}}` from a template, or `[name]` (how the
 * draft shows an unfilled one). Text in brackets written by the person, such as "[Annex 3]", is not one.
 */
export function placeholdersIn(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? m[2] ?? '';
    if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The annexes with the one at `index` moved by `delta` places (−1 up, +1 down); unchanged at the ends. */
export function moveAnnex(annexes: readonly Annex[], index: number, delta: number): Annex[] {
  const out = annexes.map((a) => ({ ...a }));
  const to = index + delta;
  if (index < 0 || index >= out.length || to < 0 || to >= out.length || delta === 0) return out;
  const [moved] = out.splice(index, 1);
  if (moved) out.splice(to, 0, moved);
  return out;
}

export function removeAnnex(annexes: readonly Annex[], index: number): Annex[] {
  return annexes.filter((_, i) => i !== index).map((a) => ({ ...a }));
}

/** Adds an evidence item as the last annex, unless it is one already. */
export function addAnnex(annexes: readonly Annex[], evidence: number, confidential = false): Annex[] {
  const out = annexes.map((a) => ({ ...a }));
  if (!out.some((a) => a.evidence === evidence)) out.push({ evidence, confidential });
  return out;
}

/** The annex number (1-based) of an evidence item, or null. */
export function annexNumber(annexes: readonly Annex[], evidence: number | null): number | null {
  if (evidence === null) return null;
  const i = annexes.findIndex((a) => a.evidence === evidence);
  return i < 0 ? null : i + 1;
}

/** The chosen events in the chronology's order (`ordered`: ids in date order); unknown ids keep their place at the end. */
export function orderFacts(selected: readonly number[], ordered: readonly number[]): number[] {
  const chosen = new Set(selected);
  const known = new Set(ordered);
  return [...ordered.filter((id) => chosen.has(id)), ...selected.filter((id) => !known.has(id))];
}

/** The grounds in the library's order (`ids`), so the draft numbers them as the reference does. */
export function orderGrounds(grounds: readonly GroundArgument[], ids: readonly string[]): GroundArgument[] {
  const rank = (g: GroundArgument): number => {
    const i = ids.indexOf(g.ground);
    return i < 0 ? ids.length : i;
  };
  return [...grounds].sort((a, b) => rank(a) - rank(b));
}

/** Reads "2026-03-30 23:59 +02:00" (a moment in a zone, as the backend gives it). */
export function parseZonedTime(text: string): { date: string; time: string; offset: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) ([+-]\d{2}:\d{2})$/u.exec(text.trim());
  if (!m) return null;
  return { date: m[1] ?? '', time: m[2] ?? '', offset: m[3] ?? '' };
}

