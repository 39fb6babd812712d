import { describe, expect, it } from 'vitest';
import { looksLikeRecoveryKey, normalizeRecoveryKey } from './recoveryKey';

describe('recovery keys', () => {
  it('normalises a typed recovery key', () => {
    const typed = '7k3m q2p9-abcd efgh ijkl-mnop qrst uvwx';
    expect(looksLikeRecoveryKey(typed)).toBe(true);
    expect(normalizeRecoveryKey(typed)).toBe('7K3M-Q2P9-ABCD-EFGH-IJKL-MNOP-QRST-UVWX');
    expect(looksLikeRecoveryKey('7K3M-Q2P9')).toBe(false);
  });
});
