import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Computed } from './bindings/Computed';
import type { Rule } from './bindings/Rule';
import type { RuleId } from './bindings/RuleId';
import type { RuleNote } from './bindings/RuleNote';

vi.stubGlobal('navigator', { languages: ['en'], language: 'en' });
const { setLocale } = await import('./i18n');
const rules = await import('./deadlineRules');

// Every note key core/src/rules.rs attaches to a rule.
const NOTE_KEYS = [
  'ccf_overdue_not_a_win',
  'ccf_may_extend',
  'ccf_months_estimate',
  'reported_not_a_limit',
  'no_rollover',
  'ccf_set_date',
  'uk_filed_and_served',
  'uk_starting_with',
  'uk_from_receipt',
  'uk_late_notice',
  'ece_may_release',
  'ece_rearrest',
  'ece_parties_only',
  'us_last_arrival',
  'us_rollover',
  'us_excuses',
  'us_filing_office_clock',
];

const note = (key: string): RuleNote => ({ key, text: 'English note', status: 'verified', sources: [] });

const computed = (over: Partial<Computed> = {}): Computed => ({
  rule: 'uk-part2-appeal',
  title: 'English title',
  due: '2011-01-04',
  unrolled: null,
  from: '2010-12-22',
  counting: 'days_starting_with',
  span: 14,
  computed_from: '14 days starting with 2010-12-22',
  kind: 'limit',
  theirs: false,
  citation: 'Extradition Act 2003 s.103(9) and s.108(4)',
  status: 'verified',
  clock_of: 'uk_court',
  clock: 'Europe/London',
  notes: [],
  ...over,
});

const rule = (id: RuleId, group: Rule['group']): Rule => ({
  id,
  group,
  trigger: 'request_received',
  trigger_text: 'English trigger',
  title: 'English title',
  counting: 'months',
  span: 1,
  kind: 'limit',
  theirs: true,
  citation: 'x',
  status: 'verified',
  sources: [],
  unverified: [],
  clock_of: 'ccf',
  clock: 'Europe/Paris',
  rollover: 'none',
  notes: [],
});

describe('deadline rules', () => {
  beforeAll(() => setLocale('en'));
  afterAll(() => {
    setLocale('en');
    vi.unstubAllGlobals();
  });

  it.each(['en', 'ru'] as const)('words every rule, status, group and note (%s)', (code) => {
    setLocale(code);
    expect(rules.RULE_IDS).toHaveLength(11);
    for (const id of rules.RULE_IDS) {
      expect(rules.ruleTitle(id, 'English title'), id).not.toBe('English title');
      expect(rules.ruleTrigger(rule(id, 'ccf')), id).not.toBe('English trigger');
      if (code === 'ru') expect(rules.ruleTitle(id, '')).toMatch(/[а-я]/u);
    }
    for (const key of NOTE_KEYS) expect(rules.noteText(note(key)), key).not.toBe('English note');
    const statuses = (['verified', 'check', 'reported'] as const).map(rules.statusWords);
    expect(new Set(statuses).size).toBe(3);
    for (const g of rules.RULE_GROUPS) expect(rules.groupLabel(g)).not.toBe('');
  });

  it('falls back to the backend’s English for what it does not know', () => {
    setLocale('ru');
    expect(rules.ruleTitle('brand-new' as RuleId, 'English title')).toBe('English title');
    expect(rules.noteText(note('brand_new'))).toBe('English note');
  });

  it('says how each date was counted', () => {
    setLocale('en');
    const uk = rules.countedFrom(computed(), 'en');
    expect(uk).toContain('14 days');
    expect(uk).toContain('day 1');
    expect(rules.countedFrom(computed({ counting: 'months', span: 4, from: '2026-08-31' }), 'en')).toMatch(
      /^4 months after/u,
    );
    expect(rules.countedFrom(computed({ counting: 'years_after', span: 1 }), 'en')).toMatch(/^1 year after/u);
    expect(rules.countedFrom(computed({ counting: 'days_after', span: 18 }), 'en')).toMatch(/^18 days after/u);
    expect(rules.countedFrom(computed({ counting: 'as_set', span: 0 }), 'en')).toContain('the CCF set');
  });

  it('tells a limit from an expectation and whose limit it is', () => {
    setLocale('en');
    expect(rules.kindWords({ kind: 'expectation', theirs: true })).toContain('not a limit');
    expect(rules.kindWords({ kind: 'limit', theirs: true })).toContain('not for you');
    expect(rules.kindWords({ kind: 'limit', theirs: false })).toContain('Your limit');
  });

  it('places a date against today; a passed CCF date is their delay, a passed expectation only late', () => {
    const c = (over: Partial<Computed>) => computed(over);
    expect(rules.dueState(c({ due: '2026-03-02' }), '2026-03-01')).toBe('ahead');
    expect(rules.dueState(c({ due: '2026-03-01' }), '2026-03-01')).toBe('today');
    expect(rules.dueState(c({ due: '2026-02-28' }), '2026-03-01')).toBe('passed_yours');
    expect(rules.dueState(c({ due: '2026-02-28', theirs: true }), '2026-03-01')).toBe('passed_theirs');
    expect(rules.dueState(c({ due: '2026-02-28', kind: 'expectation', theirs: true }), '2026-03-01')).toBe(
      'passed_expected',
    );
    const notes = [note('ccf_may_extend'), note(rules.OVERDUE_NOTE)];
    const ccf = c({ theirs: true, notes });
    expect(rules.notesFor({ ...ccf, due: '2026-02-28' }, '2026-03-01')[0]?.key).toBe(rules.OVERDUE_NOTE);
    expect(rules.notesFor({ ...ccf, due: '2026-04-28' }, '2026-03-01')[0]?.key).toBe('ccf_may_extend');
  });

  it('groups rules in the calculator’s order', () => {
    const grouped = rules.groupRules([
      rule('us-asylum-one-year', 'us'),
      rule('ece-max', 'europe'),
      rule('ccf-access-decision', 'ccf'),
    ]);
    expect(grouped.map((g) => g.group)).toEqual(['ccf', 'europe', 'us']);
    expect(rules.needsZone('requested_state')).toBe(true);
    expect(rules.needsZone('filing_office')).toBe(true);
    expect(rules.needsZone('uk_court')).toBe(false);
    expect(rules.zoneSuggestions('filing_office')).toContain('America/New_York');
  });

  it('turns a result into a deadline due at the end of the day in its clock', () => {
    setLocale('en');
    const uk = rules.deadlineInputFor(computed(), 'uk', 'en');
    expect(uk.due).toBe('2011-01-04 23:59 Europe/London');
    expect(uk.kind).toBe('extradition');
    expect(uk.notes).toContain('Extradition Act 2003 s.103(9) and s.108(4)');
    expect(uk.notes).toContain('Checked against a published source.');
    const us = rules.deadlineInputFor(
      computed({
        rule: 'us-asylum-one-year',
        due: '2026-03-16',
        unrolled: '2026-03-15',
        clock: null,
        clock_of: 'filing_office',
      }),
      'us',
      'en',
    );
    expect(us.due).toBe('2026-03-16');
    expect(us.kind).toBe('asylum');
    expect(us.notes).toContain('next business day');
    const expected = rules.deadlineInputFor(
      computed({ rule: 'ccf-admissibility-expected', kind: 'expectation', status: 'reported', theirs: true }),
      'ccf',
      'en',
    );
    expect(expected.notes).toContain('not a limit');
    expect(expected.notes).toContain('no written rule');
  });
});
