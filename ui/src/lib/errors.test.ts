import { describe, expect, it } from 'vitest';
import { errorMessage, isCancelled } from './errors';
import type { MessageKey } from './i18n';
import { translate } from './i18n/translate';

const en = (key: MessageKey, params?: Record<string, string | number>): string => translate('en', key, params);
const ru = (key: MessageKey, params?: Record<string, string | number>): string => translate('ru', key, params);

describe('errorMessage', () => {
  it('names the empty field with the backend’s words', () => {
    const err = { code: 'invalid_input', reason: 'empty', message: 'deadline title: must not be empty', subject: null };
    expect(errorMessage(err, en)).toBe('This cannot be left empty. (Details: deadline title: must not be empty)');
    expect(errorMessage(err, ru)).toMatch(/^Это нельзя оставлять пустым/u);
  });

  it('uses the reason before the code', () => {
    const err = { code: 'invalid_input', reason: 'empty_file', message: 'scan.pdf is empty', subject: null };
    expect(errorMessage(err, en)).toBe('This file is empty, so there is nothing to import.');
    expect(errorMessage(err, ru)).toBe('Файл пустой — импортировать нечего.');
  });

  it('translates the CCF request reasons, naming the document or dates when the sentence cannot', () => {
    const noType = { code: 'invalid_input', reason: 'no_type', message: 'request type: choose…', subject: null };
    expect(errorMessage(noType, en)).not.toContain('Details');
    expect(errorMessage(noType, ru)).toMatch(/тип/u);
    const trashed = {
      code: 'invalid_input',
      reason: 'trashed_annex',
      message: "annexes: annex 3: evidence item 7 ('Passport') is in the trash; restore it or remove it",
      subject: null,
    };
    expect(errorMessage(trashed, en)).toContain("('Passport')");
    expect(errorMessage(trashed, ru)).toMatch(/корзин/u);
  });

  it('names the subject (the file) when there is one', () => {
    const err = { code: 'invalid_input', reason: 'is_folder', message: '…', subject: 'Documents' };
    expect(errorMessage(err, en)).toMatch(/^Documents: This is a folder/u);
    expect(errorMessage(err, ru)).toMatch(/^«Documents»: Это папка/u);
  });

  it('maps a wrong passphrase to a calm sentence', () => {
    const err = { code: 'wrong_passphrase', reason: 'wrong_passphrase', message: 'the passphrase is not correct', subject: null };
    expect(errorMessage(err, en)).toContain('passphrase is not correct');
    expect(errorMessage(err, ru)).toContain('Неверный пароль');
  });

  it('adds the backend details to general codes', () => {
    const err = { code: 'invalid_input', reason: 'invalid', message: 'deadline title: must not be empty', subject: null };
    expect(errorMessage(err, en)).toBe(
      'Some of what you entered was not accepted. (Details: deadline title: must not be empty)',
    );
  });

  it('falls back to the English message for unknown codes, and copes with strings and Errors', () => {
    expect(errorMessage({ code: 'brand_new', reason: 'brand_new', message: 'Disk on fire', subject: null }, ru)).toBe(
      'Disk on fire',
    );
    expect(errorMessage('plain text failure', en)).toContain('plain text failure');
    expect(errorMessage(new Error('boom'), en)).toContain('boom');
  });

  it('recognises cancellation', () => {
    expect(isCancelled({ code: 'cancelled', reason: 'cancelled', message: '', subject: null })).toBe(true);
    expect(isCancelled({ code: 'error', reason: 'error', message: '', subject: null })).toBe(false);
  });
});
