import { describe, expect, it } from 'vitest';
import { estimateStrength, MIN_PASSPHRASE_LENGTH, passphraseLength } from './strength';

describe('estimateStrength', () => {
  it('reports an empty passphrase as empty', () => {
    const s = estimateStrength('');
    expect(s.level).toBe('empty');
    expect(s.score).toBe(0);
    expect(s.tooShort).toBe(true);
  });

  it('calls anything shorter than the minimum weak, however varied', () => {
    const s = estimateStrength('Ab1!xY7');
    expect([...'Ab1!xY7'].length).toBeLessThan(MIN_PASSPHRASE_LENGTH);
    expect(s.tooShort).toBe(true);
    expect(s.level).toBe('weak');
  });

  it('asks for ten characters, as the backend does, counted in NFC (issue 12 §7)', () => {
    expect(MIN_PASSPHRASE_LENGTH).toBe(10);
    expect(estimateStrength('Zq8#vLm2!').tooShort).toBe(true);
    expect(estimateStrength('Zq8#vLm2!w').tooShort).toBe(false);
    // Nine accented letters typed with combining marks are 18 code points but nine characters.
    const decomposed = 'e\u0301'.repeat(9);
    expect(passphraseLength(decomposed)).toBe(9);
    expect(estimateStrength(decomposed).tooShort).toBe(true);
    expect(passphraseLength('\u00e9'.repeat(10))).toBe(10);
  });

  it('penalises common words, in English and Russian', () => {
    for (const p of ['password123', 'Qwerty2024', 'мойпароль1', 'gfhjkm123']) {
      const s = estimateStrength(p);
      expect(s.commonWord, p).toBe(true);
      expect(s.level, p).toBe('weak');
    }
  });

  it('penalises runs and repeats', () => {
    expect(estimateStrength('12345678').level).toBe('weak');
    expect(estimateStrength('aaaaaaaaaaaa').level).toBe('weak');
    expect(estimateStrength('abcdefghijkl').level).toBe('weak');
    expect(estimateStrength('zzzzzzzzzzzzzzzzzzzzzzzz').bits).toBeLessThanOrEqual(10);
  });

  it('rates a long passphrase of several words strong, in Latin or Cyrillic', () => {
    expect(estimateStrength('correct horse battery staple').level).toBe('strong');
    expect(estimateStrength('зелёный чайник летит над Женевой').level).toBe('strong');
  });

  it('puts a medium mix in between', () => {
    expect(estimateStrength('kotik20190').level).toBe('fair');
  });

  it('grows with length and character classes', () => {
    const a = estimateStrength('mountainriver').bits;
    const b = estimateStrength('mountainriverlake').bits;
    const c = estimateStrength('Mountain-River-7').bits;
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(a);
  });
});
