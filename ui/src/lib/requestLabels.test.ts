import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckItem } from './bindings/CheckItem';

vi.stubGlobal('navigator', { languages: ['en'], language: 'en' });
const { setLocale } = await import('./i18n');
const labels = await import('./requestLabels');

// A plain string, so a test can also send a key a newer backend might (the UI falls back to its English).
const item = (key: string, fix = 'English fix', annex: number | null = null, evidence: number | null = null): CheckItem => ({
  key: key as CheckItem['key'],
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

  it.each(['en', 'ru'] as const)('words a checklist line and a warning with its measured values (%s)', (code) => {
    setLocale(code);
    expect(labels.checkLabel(item('signed'))).not.toBe('English label');
    expect(labels.checkStep('signed')).toBe(6);
    const text = labels.warningText({ key: 'too_many_annexes', measured: 23, limit: 20, message: 'English' });
    expect(text).toContain('23');
    expect(text).toContain('20');
    expect(labels.warningStep('too_many_annexes')).toBe(6);
  });

  it('falls back to the backend’s English for a key it does not know', () => {
    setLocale('ru');
    expect(labels.checkLabel(item('brand_new'))).toBe('English label');
    expect(labels.checkFix(item('brand_new'))).toBe('English fix');
    expect(labels.checkStep('brand_new')).toBeNull();
  });

  it('names the missing annex', () => {
    setLocale('en');
    const fix = labels.checkFix(item('annex_available', 'whatever the backend wrote', 3, 7));
    expect(fix).toContain('Annex 3');
    expect(fix).toContain('no. 7');
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
    expect(labels.checkFix(window)).toContain('2026');
    expect(labels.checkLabel({ ...item('annex_translation'), annex: 4 })).toContain('Annex 4');
    expect(labels.checkFix(item('identity_valid'))).toContain('expiry date');
    expect(labels.checkFix({ ...item('identity_valid'), date: '2026-11-27' })).toContain('expired');
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
