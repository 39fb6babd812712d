import { describe, expect, it } from 'vitest';
import { evidenceItem } from './fixtures.test-helpers';
import {
  foldTranslations,
  languageCode,
  languageInText,
  languageName,
  listedAnnexes,
  ocrLanguageNames,
  defaultOcrChoice,
  ocrTextLanguage,
  possibleOriginals,
} from './translations';

const item = evidenceItem;

const of = (original: number, language = 'en') => ({
  translation: { original, language, translator: '', certified: false, date: null },
});

describe('foldTranslations', () => {
  it('puts each translation under its original, in the list order of the originals', () => {
    const rows = [item(5, of(2, 'fr')), item(1), item(2), item(3, of(2)), item(4)];
    const folded = foldTranslations(rows);
    expect(folded.map((r) => r.item.id)).toEqual([1, 2, 4]);
    expect(folded[1]?.translations.map((t) => t.id)).toEqual([3, 5]);
    expect(folded[0]?.translations).toEqual([]);
  });

  it('keeps a translation whose original is not shown as a row of its own', () => {
    const folded = foldTranslations([item(3, of(9)), item(1)]);
    expect(folded.map((r) => [r.item.id, r.translations.length])).toEqual([
      [3, 0],
      [1, 0],
    ]);
  });

  it('never drops a translation of a translation', () => {
    const folded = foldTranslations([item(6, of(5)), item(5, of(1)), item(1)]);
    const shown = folded.flatMap((r) => [r.item.id, ...r.translations.map((t) => t.id)]);
    expect([...shown].sort()).toEqual([1, 5, 6]);
    expect(folded.find((r) => r.item.id === 1)?.translations.map((t) => t.id)).toEqual([5]);
  });

  it('never drops an item that names itself as its original', () => {
    expect(foldTranslations([item(7, of(7))]).map((r) => r.item.id)).toEqual([7]);
  });
});

describe('languages', () => {
  it('names a code in the reader’s language, and falls back to the code', () => {
    expect(languageName('en', 'en')).toBe('English');
    expect(languageName('fr', 'ru')).toBe('Французский');
    expect(languageInText('fr', 'ru')).toBe('французский');
    expect(languageInText('en', 'en')).toBe('English');
    expect(languageInText('qqq', 'ru')).toBe('QQQ');
    expect(languageName('qqq', 'en')).toBe('QQQ');
  });

  it('names the languages of an OCR run', () => {
    expect(ocrLanguageNames('rus+eng', 'en')).toBe('Russian + English');
    expect(ocrLanguageNames('ukr', 'ru')).toBe('Украинский');
  });

  it('takes two or three letters only', () => {
    expect(languageCode(' EN ')).toBe('en');
    expect(languageCode('English')).toBeNull();
    expect(languageCode('e1')).toBeNull();
  });

  it('offers as originals only items that are not translations, not in the trash and not the item itself', () => {
    const items = [item(1), item(2, of(1)), item(3, { trashed: true }), item(4)];
    expect(possibleOriginals(items, 4).map((i) => i.id)).toEqual([1]);
  });
});

describe('listedAnnexes', () => {
  const items = [item(1), item(2), item(3, of(2, 'en')), item(4, of(2, 'fr')), item(5, of(1, 'en')), item(6, { ...of(1, 'en'), trashed: true })];
  const numbered = (annexes: number[], language: string) =>
    listedAnnexes(annexes, items, language).map((a) => [a.evidence, a.follows, a.added]);

  it('adds each annex’s translations into the draft’s language right after it, as the draft numbers them', () => {
    expect(numbered([2, 1], 'en')).toEqual([
      [2, null, false],
      [3, 2, true],
      [1, null, false],
      [5, 1, true],
    ]);
    expect(numbered([2, 1], 'fr')).toEqual([
      [2, null, false],
      [4, 2, true],
      [1, null, false],
    ]);
  });

  it('moves an annexed translation after its original, and leaves one whose original is not annexed', () => {
    expect(numbered([4, 1, 2], 'es')).toEqual([
      [1, null, false],
      [2, null, false],
      [4, 2, false],
    ]);
    expect(numbered([3], 'en')).toEqual([[3, null, false]]);
  });

  it('never leaves out an annex, even a translation of a translation', () => {
    const chain = [item(1), item(2, of(1)), item(3, of(2))];
    const listed = listedAnnexes([3, 1, 2], chain, 'en').map((a) => a.evidence);
    expect([...listed].sort()).toEqual([1, 2, 3]);
    expect(listed.indexOf(2)).toBe(listed.indexOf(1) + 1);
  });
});

describe('the OCR languages a scan starts on', () => {
  const all = [null, 'rus+eng', 'ukr+eng', 'tur+eng', 'ara+eng', 'fra+eng', 'spa+eng', 'eng'];
  it('follows the interface when the item has no language of its own', () => {
    expect(defaultOcrChoice('', 'tr', all)).toBe('tur+eng');
    expect(defaultOcrChoice('  ', 'ar', all)).toBe('ara+eng');
    expect(defaultOcrChoice('', 'uk', all)).toBe('ukr+eng');
    expect(defaultOcrChoice('', 'ru', all)).toBe('rus+eng');
  });
  it("keeps the item's own language, an English window's default, and what is not installed", () => {
    expect(defaultOcrChoice('ru, en', 'tr', all)).toBe('');
    expect(defaultOcrChoice('', 'en', all)).toBe('');
    expect(defaultOcrChoice('', 'tr', [null, 'rus+eng', 'eng'])).toBe('');
    expect(defaultOcrChoice('', 'xx', all)).toBe('');
  });
  it("names the language of a run's text", () => {
    expect(ocrTextLanguage('ara+eng')).toBe('ar');
    expect(ocrTextLanguage('eng')).toBe('en');
    expect(ocrTextLanguage('xyz')).toBeUndefined();
  });
});
