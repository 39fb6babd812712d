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

/** A uniform random integer in [0, n) from the system's secure generator. */
function secureIndex(n: number): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return (buf[0] ?? 0) % n;
}

/**
 * Which groups of the key the person types back after writing it down: two different positions (0-based, in
 * order), chosen at random so the check cannot be passed by remembering the first group only.
 */
export function pickGroups(groupCount: number, randomIndex: (n: number) => number = secureIndex): [number, number] {
  const first = randomIndex(groupCount);
  // The second is chosen among the others, so the two always differ.
  const offset = 1 + randomIndex(groupCount - 1);
  const second = (first + offset) % groupCount;
  return first < second ? [first, second] : [second, first];
}

/** Spaces and case do not matter, and O, I and L read as 0, 1 and 1, as when the key is typed to recover. */
function canonicalGroup(text: string): string {
  return text
    .replace(/[\s-]+/gu, '')
    .toUpperCase()
    .replace(/O/gu, '0')
    .replace(/[IL]/gu, '1');
}

/** Whether `typed` holds, in order, the key's groups at `asked`: then the key was written down correctly. */
export function typedBack(code: string, asked: readonly number[], typed: readonly string[]): boolean {
  const groups = code.split('-');
  return asked.every((index, i) => {
    const group = groups[index];
    return group !== undefined && group !== '' && canonicalGroup(typed[i] ?? '') === canonicalGroup(group);
  });
}
