// Words and pure helpers for the deadline rules of the reference's §5 (the "When is it due?" calculator and the
// deadlines computed from CCF requests): rule titles, citation statuses and notes in the reader's language, how a
// date was counted, whether it has passed, and the deadline a result becomes when the person adds it.
import type { CitationStatus } from './bindings/CitationStatus';
import type { ClockOf } from './bindings/ClockOf';
import type { Computed } from './bindings/Computed';
import type { DeadlineInput } from './bindings/DeadlineInput';
import type { DeadlineKind } from './bindings/DeadlineKind';
import type { Rule } from './bindings/Rule';
import type { RuleGroup } from './bindings/RuleGroup';
import type { RuleId } from './bindings/RuleId';
import type { RuleNote } from './bindings/RuleNote';
import { daysBetween } from './dates';
import { formatExactDate, type DateLocale } from './fuzzyFormat';
import { formatNumber, t, type MessageKey } from './i18n';

/** The groups of the calculator's list, in the order shown. */
export const RULE_GROUPS: readonly RuleGroup[] = ['ccf', 'uk', 'europe', 'us'];

const GROUP_KEYS: Record<RuleGroup, MessageKey> = {
  ccf: 'calc.group.ccf',
  uk: 'calc.group.uk',
  europe: 'calc.group.europe',
  us: 'calc.group.us',
};

const RULE_KEYS: Record<RuleId, { trigger: MessageKey; title: MessageKey }> = {
  'ccf-admissibility-expected': {
    trigger: 'rules.ccf-admissibility-expected.trigger',
    title: 'rules.ccf-admissibility-expected.title',
  },
  'ccf-access-decision': { trigger: 'rules.ccf-access-decision.trigger', title: 'rules.ccf-access-decision.title' },
  'ccf-deletion-decision': {
    trigger: 'rules.ccf-deletion-decision.trigger',
    title: 'rules.ccf-deletion-decision.title',
  },
  'ccf-notification-expected': {
    trigger: 'rules.ccf-notification-expected.trigger',
    title: 'rules.ccf-notification-expected.title',
  },
  'ccf-revision-window': { trigger: 'rules.ccf-revision-window.trigger', title: 'rules.ccf-revision-window.title' },
  'ccf-further-submissions': {
    trigger: 'rules.ccf-further-submissions.trigger',
    title: 'rules.ccf-further-submissions.title',
  },
  'uk-part1-appeal': { trigger: 'rules.uk-part1-appeal.trigger', title: 'rules.uk-part1-appeal.title' },
  'uk-part2-appeal': { trigger: 'rules.uk-part2-appeal.trigger', title: 'rules.uk-part2-appeal.title' },
  'ece-release': { trigger: 'rules.ece-release.trigger', title: 'rules.ece-release.title' },
  'ece-max': { trigger: 'rules.ece-max.trigger', title: 'rules.ece-max.title' },
  'us-asylum-one-year': { trigger: 'rules.us-asylum-one-year.trigger', title: 'rules.us-asylum-one-year.title' },
};

/** Every rule id the backend knows (core/src/rules.rs `RuleId::ALL`). */
export const RULE_IDS = Object.keys(RULE_KEYS) as RuleId[];

const NOTE_KEYS: Record<string, MessageKey> = {
  ccf_overdue_not_a_win: 'rules.note.ccf_overdue_not_a_win',
  ccf_may_extend: 'rules.note.ccf_may_extend',
  ccf_months_estimate: 'rules.note.ccf_months_estimate',
  reported_not_a_limit: 'rules.note.reported_not_a_limit',
  no_rollover: 'rules.note.no_rollover',
  ccf_set_date: 'rules.note.ccf_set_date',
  uk_filed_and_served: 'rules.note.uk_filed_and_served',
  uk_starting_with: 'rules.note.uk_starting_with',
  uk_from_receipt: 'rules.note.uk_from_receipt',
  uk_late_notice: 'rules.note.uk_late_notice',
  ece_may_release: 'rules.note.ece_may_release',
  ece_rearrest: 'rules.note.ece_rearrest',
  ece_parties_only: 'rules.note.ece_parties_only',
  us_last_arrival: 'rules.note.us_last_arrival',
  us_rollover: 'rules.note.us_rollover',
  us_excuses: 'rules.note.us_excuses',
  us_filing_office_clock: 'rules.note.us_filing_office_clock',
};

/** The note an overdue CCF date carries: the CCF is late; that is not a win. */
export const OVERDUE_NOTE = 'ccf_overdue_not_a_win';

const STATUS_KEYS: Record<CitationStatus, MessageKey> = {
  verified: 'calc.status.verified',
  check: 'calc.status.check',
  reported: 'calc.status.reported',
};

export function groupLabel(group: RuleGroup): string {
  return t(GROUP_KEYS[group]);
}

/** What a rule computes, in the reader's language (the backend's English for an id this UI does not know). */
export function ruleTitle(id: RuleId, english: string): string {
  const keys = RULE_KEYS[id] as (typeof RULE_KEYS)[RuleId] | undefined;
  return keys ? t(keys.title) : english;
}

/** The event a rule counts from, in the reader's language. */
export function ruleTrigger(rule: Rule): string {
  const keys = RULE_KEYS[rule.id] as (typeof RULE_KEYS)[RuleId] | undefined;
  return keys ? t(keys.trigger) : rule.trigger_text;
}

/** A citation's status in plain words: checked, not yet checked (ask your lawyer), or only reported. */
export function statusWords(status: CitationStatus): string {
  return t(STATUS_KEYS[status]);
}

export function noteText(note: RuleNote): string {
  const key = NOTE_KEYS[note.key];
  return key ? t(key) : note.text;
}

/** The rules by group, in the calculator's order; empty groups are left out. */
export function groupRules(rules: readonly Rule[]): Array<{ group: RuleGroup; rules: Rule[] }> {
  return RULE_GROUPS.map((group) => ({ group, rules: rules.filter((r) => r.group === group) })).filter(
    (g) => g.rules.length > 0,
  );
}

/** Whether the person must give a time zone for the rule's clock (the requested state, the US filing office). */
export function needsZone(clockOf: ClockOf): boolean {
  return clockOf === 'requested_state' || clockOf === 'filing_office';
}

/** Who the date binds, and whether it is a limit at all. */
export function kindWords(c: Pick<Computed, 'kind' | 'theirs'>): string {
  if (c.kind === 'expectation') return t('calc.kind_expectation');
  return c.theirs ? t('calc.kind_limit_theirs') : t('calc.kind_limit_yours');
}

function spanText(c: Pick<Computed, 'counting' | 'span'>): string {
  const unit = c.counting === 'months' ? 'month' : c.counting === 'years_after' ? 'year' : 'day';
  try {
    return formatNumber(c.span, { style: 'unit', unit, unitDisplay: 'long' });
  } catch {
    return `${c.span} ${unit}`;
  }
}

/** How the date was counted: "4 months after 31 Aug 2026", "14 days, counting 22 Dec 2010 as day 1". */
export function countedFrom(c: Pick<Computed, 'counting' | 'span' | 'from'>, locale: DateLocale): string {
  const date = formatExactDate(c.from, locale);
  switch (c.counting) {
    case 'days_starting_with':
      return t('calc.counting.starting_with', { span: spanText(c), date });
    case 'as_set':
      return t('calc.counting.as_set', { date });
    default:
      return t('calc.counting.after', { span: spanText(c), date });
  }
}

/**
 * Where a date stands on `today`: ahead, today, or passed. A passed CCF date is "overdue" only in the sense that
 * the CCF is late (the result's notes say it is not a win); a passed expectation is only later than expected.
 */
export type DueState = 'ahead' | 'today' | 'passed_yours' | 'passed_theirs' | 'passed_expected';

export function dueState(c: Pick<Computed, 'due' | 'kind' | 'theirs'>, today: string): DueState {
  const days = daysBetween(today, c.due);
  if (Number.isNaN(days) || days > 0) return 'ahead';
  if (days === 0) return 'today';
  if (c.kind === 'expectation') return 'passed_expected';
  return c.theirs ? 'passed_theirs' : 'passed_yours';
}

/** The notes to show for a result on `today`: the overdue-CCF note first once a CCF date has passed. */
export function notesFor(c: Pick<Computed, 'due' | 'kind' | 'theirs' | 'notes'>, today: string): RuleNote[] {
  const passed = dueState(c, today).startsWith('passed');
  const overdue = c.notes.filter((n) => n.key === OVERDUE_NOTE);
  const rest = c.notes.filter((n) => n.key !== OVERDUE_NOTE);
  return passed ? [...overdue, ...rest] : [...rest, ...overdue];
}

const GROUP_DEADLINE_KIND: Record<RuleGroup, DeadlineKind> = {
  ccf: 'ccf',
  uk: 'extradition',
  europe: 'extradition',
  us: 'asylum',
};

/**
 * The deadline a calculator result becomes: due at 23:59 in the rule's clock when its zone is known (the end of
 * the last day there), else the day; the notes keep the rule, its status and how it was counted.
 */
export function deadlineInputFor(c: Computed, group: RuleGroup, locale: DateLocale): DeadlineInput {
  const title = ruleTitle(c.rule, c.title);
  const notes = [
    kindWords(c),
    t('calc.citation', { citation: c.citation }),
    statusWords(c.status),
    countedFrom(c, locale),
    ...(c.unrolled ? [t('calc.rolled', { date: formatExactDate(c.unrolled, locale) })] : []),
  ].join('\n');
  return {
    title,
    due: c.clock ? `${c.due} 23:59 ${c.clock}` : c.due,
    kind: GROUP_DEADLINE_KIND[group],
    contact: null,
    event: null,
    reminders: c.kind === 'expectation' ? [7] : [14, 7, 3, 1],
    notes,
  };
}

/** US time zones an asylum office can be in. */
export const US_ZONES: readonly string[] = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
  'Pacific/Guam',
];

/** The zones to suggest for a clock the person gives: the US zones, or every zone this system knows. */
export function zoneSuggestions(clockOf: ClockOf): readonly string[] {
  if (clockOf === 'filing_office') return US_ZONES;
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}
