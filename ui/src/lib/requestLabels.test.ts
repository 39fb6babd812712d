import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckItem } from './bindings/CheckItem';

// Every checklist key the backend emits (core/src/ccf/mod.rs).
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
  'several_purposes',
  'identity_complete',
  'identity_valid',
  'entity_documents',
  'minor_documents',
  'unverified_citations',
  'revision_window',
  'annex_translation',
];
const WARNING_KEYS = ['too_many_annexes', 'arguments_too_long', 'revision_summary_too_long'];

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
  severity: 'blocking',
  ground: null,
  date: null,
  overridden: false,
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
  });

  it('names the missing annex and the Arabic case', () => {
    setLocale('en');
    const fix = labels.checkFix(item('annex_available', 'whatever the backend wrote', 3, 7), 'en');
    expect(fix).toContain('Annex 3');
    expect(fix).toContain('no. 7');
    expect(labels.checkFix(item('working_language'), 'ar')).toContain('Arabic');
  });

  it('words issue 10’s items with their ground, date and annex', () => {
    setLocale('en');
    const ground = { ...item('unverified_citations'), ground: 'political', severity: 'warning' as const };
    expect(labels.checkLabel(ground, (id) => (id === 'political' ? 'Political character' : id))).toContain(
      '“Political character”',
    );
    expect(labels.checkLabel(ground)).toContain('political');
    const window = { ...item('revision_window'), date: '2026-05-25' };
    expect(labels.checkLabel(window)).toContain('2026');
    expect(labels.checkFix(window, 'en')).toContain('2026');
    expect(labels.checkLabel({ ...item('annex_translation'), annex: 4 })).toContain('Annex 4');
    expect(labels.checkFix(item('identity_valid'), 'en')).toContain('expiry date');
    expect(labels.checkFix({ ...item('identity_valid'), date: '2026-11-27' }, 'en')).toContain('expired');
    setLocale('ru');
    expect(labels.checkLabel(window)).toContain('Устава CCF — Комиссии по контролю за файлами Интерпола');
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
