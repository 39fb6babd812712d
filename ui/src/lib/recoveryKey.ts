// The recovery key as people type it back: spaces, dashes and lower case are all accepted, and it is sent to the
// backend in the one form it prints (8 groups of 4, upper case, joined by dashes).

/** Recovery keys are typed in many ways; send them as upper-case groups of four joined by dashes. */
export function normalizeRecoveryKey(text: string): string {
  const compact = text.replace(/[\s-]+/gu, '').toUpperCase();
  return compact.match(/.{1,4}/gu)?.join('-') ?? '';
}

/** A recovery key has 8 groups of 4 letters or digits. */
export function looksLikeRecoveryKey(text: string): boolean {
  return /^[A-Z0-9]{32}$/u.test(text.replace(/[\s-]+/gu, '').toUpperCase());
}
