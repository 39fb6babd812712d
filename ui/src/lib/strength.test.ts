import { describe, expect, it } from 'vitest';
import { estimateStrength, MIN_PASSPHRASE_LENGTH } from './strength';

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
    expect(estimateStrength('kotik2019').level).toBe('fair');
  });

  it('grows with length and character classes', () => {
    const a = estimateStrength('mountainriver').bits;
    const b = estimateStrength('mountainriverlake').bits;
    const c = estimateStrength('Mountain-River-7').bits;
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(a);
  });
});
