// Issue 10 (reference §7, review §7): the Russian UI names INTERPOL's texts and the parties as Russian-speaking
// lawyers do, never calls the CCF's Statute «Устав CCF» without saying whose it is (it collides with «Устав
// Интерпола», INTERPOL's Constitution), and promises nothing about citations that the drafts do not keep.
import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import ru from './locales/ru.json';

const messages = ru as Record<string, string>;

describe('Russian terms (reference §7)', () => {
  it('glosses every «Устав CCF»', () => {
    for (const [key, text] of Object.entries(messages)) {
      for (const m of text.matchAll(/Устав(?:а|у|ом|е)? CCF/gu)) {
        const after = text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 60);
        expect(after, `${key}: «${m[0]}» needs its gloss`).toMatch(/^\s*(?:\(|—\s)Комиссии по контролю за файлами Интерпола/u);
      }
    }
  });

  it('uses §7’s names for the texts, the notice, the requesting country and the CCF’s date', () => {
    expect(messages['wizard.ground_abbreviations']).toContain('Const. — Устав Интерпола');
    expect(messages['wizard.ground_abbreviations']).toContain('RPD');
    expect(messages['wizard.ground_abbreviations']).toContain('Правила Интерпола по обработке данных');
    expect(messages['wizard.ground_abbreviations']).toContain('RoP —');
    expect(messages['profile.notice_red']).toContain('«Красное уведомление»');
    expect(messages['profile.notice_red']).toContain('«красный циркуляр»');
    expect(messages['wizard.field_issuing_country']).toBe('Страна — инициатор розыска');
    expect(messages['profile.issuing_country']).toBe('Страна — инициатор розыска');
    expect(messages['wizard.field_received']).toBe('Дата получения запроса Комиссией');
    for (const [key, text] of Object.entries(messages)) {
      expect(text, key).not.toContain('выдавшей уведомление');
    }
  });

  it('does not claim that citations are exact', () => {
    const note = (en as Record<string, string>)['wizard.ground_rules_note'] ?? '';
    expect(note).not.toMatch(/exactly|cannot be changed/u);
    expect(note).toContain('not verified');
    expect(messages['wizard.ground_rules_note']).not.toContain('приводятся точно');
    expect(messages['wizard.ground_rules_note']).toContain('не проверено');
  });
});
