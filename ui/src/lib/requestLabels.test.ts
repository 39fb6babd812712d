import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckItem } from './bindings/CheckItem';
import type { Computed } from './bindings/Computed';

// Every checklist key the backend emits (core/src/ccf/mod.rs), and every key of the computed CCF deadlines.
const CHECK_KEYS = [
  'type_chosen',
  'identity_annexed',
  'power_of_attorney_annexed',
  'working_language',
  'reasons',
  'placeholders_filled',
  'supporting_documents',
  'new_fact',
  'revised_decision',
  'annex_available',
  'signed',
];
const WARNING_KEYS = ['too_many_annexes', 'arguments_too_long', 'revision_summary_too_long'];
const COMPUTED_KEYS = [
  'ccf.admissibility_due',
  'ccf.decision_due',
  'ccf.gs_answer_due',
  'ccf.decision_to_gs',
  'ccf.decision_to_applicant',
  'ccf.revision_due',
];

vi.stubGlobal('navigator', { languages: ['en'], language: 'en' });
const { setLocale } = await import('./i18n');
const labels = await import('./requestLabels');

const item = (key: string, fix = 'English fix', annex: number | null = null, evidence: number | null = null): CheckItem => ({
  key,
  passed: false,
  label: 'English label',
  fix,
  annex,
  evidence,
});
const computed = (key: string): Computed => ({
  key,
  title: 'English title',
  due: '2026-03-01',
  rule: 'ST 32(1)',
  computed_from: '+1 month from 2026-02-01',
  span: 1,
  span_unit: 'month',
  from: '2026-02-01',
  theirs: true,
});

describe('request labels', () => {
  beforeAll(() => setLocale('en'));
  afterAll(() => {
    setLocale('en');
    vi.unstubAllGlobals();
  });

  it.each(['en', 'ru'] as const)('translates every checklist line, fix and warning (%s)', (code) => {
    setLocale(code);
    for (const key of CHECK_KEYS) {
      expect(labels.checkLabel(item(key)), key).not.toBe('English label');
      expect(labels.checkFix(item(key), 'en'), key).not.toBe('English fix');
      expect(labels.checkStep(key), key).not.toBeNull();
      if (code === 'ru') expect(labels.checkLabel(item(key))).toMatch(/[а-я]/u);
    }
    for (const key of WARNING_KEYS) {
      const text = labels.warningText({ key, measured: 23, limit: 20, message: 'English' });
      expect(text, key).toContain('23');
      expect(text, key).toContain('20');
      expect(labels.warningStep(key), key).not.toBeNull();
    }
  });

  it('falls back to the backend’s English for a key it does not know', () => {
    setLocale('ru');
    expect(labels.checkLabel(item('brand_new'))).toBe('English label');
    expect(labels.checkFix(item('brand_new'), 'en')).toBe('English fix');
    expect(labels.checkStep('brand_new')).toBeNull();
    expect(labels.computedTitle(computed('us.asylum_due'), null)).toBe('English title');
  });

  it('names the missing annex and the Arabic case', () => {
    setLocale('en');
    const fix = labels.checkFix(item('annex_available', 'whatever the backend wrote', 3, 7), 'en');
    expect(fix).toContain('Annex 3');
    expect(fix).toContain('no. 7');
    expect(labels.checkFix(item('working_language'), 'ar')).toContain('Arabic');
  });

  it.each(['en', 'ru'] as const)('translates the computed CCF deadlines by key and request type (%s)', (code) => {
    setLocale(code);
    for (const key of COMPUTED_KEYS) {
      expect(labels.computedTitle(computed(key), 'access'), key).not.toBe('English title');
    }
    const titles = new Set(
      (['access', 'correction_deletion', 'revision'] as const).map((type) =>
        labels.computedTitle(computed('ccf.decision_due'), type),
      ),
    );
    expect(titles.size).toBe(3);
  });

  it('labels types, statuses and languages', () => {
    setLocale('ru');
    expect(labels.typeLabel('correction_deletion')).toBe('Исправление или удаление');
    expect(labels.typeLabel(null)).toBe('Тип ещё не выбран');
    expect(labels.statusLabel('sent_to_counsel')).toBe('Отправлен юристу');
    expect(labels.languageLabel('fr')).toBe('Французский (Français)');
    expect(labels.languageName('fr')).toBe('французский');
    expect(labels.languageLabel('xx')).toBe('xx');
    setLocale('en');
    expect(labels.languageName('es')).toBe('Spanish');
  });
});
