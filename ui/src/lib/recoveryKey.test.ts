import { describe, expect, it } from 'vitest';
import { looksLikeRecoveryKey, normalizeRecoveryKey, pickGroups, typedBack } from './recoveryKey';

describe('recovery keys', () => {
  it('normalises a typed recovery key', () => {
    const typed = '7k3m q2p9-abcd efgh ijkl-mnop qrst uvwx';
    expect(looksLikeRecoveryKey(typed)).toBe(true);
    expect(normalizeRecoveryKey(typed)).toBe('7K3M-Q2P9-ABCD-EFGH-IJKL-MNOP-QRST-UVWX');
    expect(looksLikeRecoveryKey('7K3M-Q2P9')).toBe(false);
  });
});

describe('issue 12: typing back two groups of the recovery key', () => {
  const code = '7K3M-Q2P9-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';

  it('asks for two different groups, in order, whatever the random source gives', () => {
    for (let a = 0; a < 8; a++) {
      for (let b = 0; b < 7; b++) {
        const draws = [a, b];
        const [first, second] = pickGroups(8, () => draws.shift() ?? 0);
        expect(first).toBeLessThan(second);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(second).toBeLessThan(8);
      }
    }
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(pickGroups(8).join(','));
    expect(seen.size).toBeGreaterThan(5);
  });

  it('accepts only the asked groups, typed in any case and with O, I and L for 0, 1 and 1', () => {
    expect(typedBack(code, [1, 7], ['', ''])).toBe(false);
    expect(typedBack(code, [1, 7], ['Q2P9', ''])).toBe(false);
    expect(typedBack(code, [1, 7], ['Q2P9', 'YZ02'])).toBe(false);
    expect(typedBack(code, [1, 7], ['YZ01', 'Q2P9'])).toBe(false);
    expect(typedBack(code, [1, 7], ['7K3M', 'ABCD'])).toBe(false);
    expect(typedBack(code, [1, 7], ['q2p9', ' yzOl '])).toBe(true);
    expect(typedBack(code, [0, 2], ['7K3M', 'AB CD'])).toBe(true);
  });
});
