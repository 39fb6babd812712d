// A simple, explainable estimate of how hard a passphrase is to guess: length × the size of the character
// classes used, minus penalties for common words, repeats and keyboard or alphabet runs.

/** Shortest new passphrase, in characters: the same rule as the backend (`MIN_PASSPHRASE_CHARS`). Whoever copies
 * the computer can guess offline for as long as they like; below ten characters even the slow unlock leaves a
 * passphrase within their reach. */
export const MIN_PASSPHRASE_LENGTH = 10;

/** A passphrase's length as the backend counts it: characters of its NFC form, so a letter typed with a
 * combining accent counts once. */
export function passphraseLength(passphrase: string): number {
  return [...passphrase.normalize('NFC')].length;
}

export type StrengthLevel = 'empty' | 'weak' | 'fair' | 'strong';

export type Strength = {
  /** Estimated entropy in bits after penalties (never negative). */
  bits: number;
  level: StrengthLevel;
  /** 0 (empty) to 3 (strong), for a <meter>. */
  score: 0 | 1 | 2 | 3;
  tooShort: boolean;
  commonWord: boolean;
};

/** Words and patterns people often use, in English, Russian (and Russian typed on a Latin layout). */
const COMMON = [
  'password',
  'passw0rd',
  'passphrase',
  'qwerty',
  'qwertz',
  'azerty',
  'asdf',
  'zxcv',
  'letmein',
  'welcome',
  'admin',
  'iloveyou',
  'monkey',
  'dragon',
  'master',
  'secret',
  'sunshine',
  'princess',
  'football',
  'freedom',
  'interpol',
  'redress',
  'abc123',
  '123456',
  '111111',
  '000000',
  'пароль',
  'йцукен',
  'фыва',
  'привет',
  'любовь',
  'секрет',
  'свобода',
  'gfhjkm', // "пароль" typed on a Latin layout
];

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю'];
const ALPHABETS = ['abcdefghijklmnopqrstuvwxyz', 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя', '0123456789'];

function poolSize(text: string): number {
  let pool = 0;
  if (/[a-z]/u.test(text)) pool += 26;
  if (/[A-Z]/u.test(text)) pool += 26;
  if (/[0-9]/u.test(text)) pool += 10;
  if (/[а-яё]/u.test(text)) pool += 33;
  if (/[А-ЯЁ]/u.test(text)) pool += 33;
  if (/[ !-/:-@[-`{-~]/u.test(text)) pool += 33;
  // Any other script or symbol.
  if (/[^a-zA-Z0-9а-яёА-ЯЁ !-/:-@[-`{-~]/u.test(text)) pool += 100;
  return pool;
}

/** Counts characters that continue a run ("aaaa", "1234", "qwer", "абвг") of at least 3. */
function runPenaltyChars(chars: string[]): number {
  let penalised = 0;
  let runLength = 1;
  for (let i = 1; i < chars.length; i++) {
    const prev = (chars[i - 1] ?? '').toLowerCase();
    const cur = (chars[i] ?? '').toLowerCase();
    const same = prev === cur;
    const sequence = [...KEYBOARD_ROWS, ...ALPHABETS].some((row) => {
      const a = row.indexOf(prev);
      const b = row.indexOf(cur);
      return a >= 0 && b >= 0 && Math.abs(a - b) === 1;
    });
    if (same || sequence) {
      runLength += 1;
      if (runLength >= 3) penalised += runLength === 3 ? 2 : 1;
    } else {
      runLength = 1;
    }
  }
  return penalised;
}

export function estimateStrength(typed: string): Strength {
  const passphrase = typed.normalize('NFC');
  const chars = [...passphrase];
  if (chars.length === 0) {
    return { bits: 0, level: 'empty', score: 0, tooShort: true, commonWord: false };
  }
  const pool = poolSize(passphrase);
  const perChar = Math.log2(Math.max(pool, 2));
  // Characters inside runs or common words are worth about one bit each rather than a full pick.
  let cheap = runPenaltyChars(chars);
  const lower = passphrase.toLowerCase();
  let commonWord = false;
  for (const word of COMMON) {
    let from = lower.indexOf(word);
    while (from >= 0) {
      commonWord = true;
      cheap += [...word].length;
      from = lower.indexOf(word, from + word.length);
    }
  }
  // A passphrase that is one character repeated or a tiny set of characters is weak whatever its length.
  const distinct = new Set(chars.map((c) => c.toLowerCase())).size;
  cheap = Math.min(cheap, chars.length);
  let bits = (chars.length - cheap) * perChar + cheap * 1;
  if (distinct <= 2) bits = Math.min(bits, 10);
  else if (distinct <= 4) bits = Math.min(bits, 25);
  bits = Math.max(0, Math.round(bits));

  const tooShort = chars.length < MIN_PASSPHRASE_LENGTH;
  let level: StrengthLevel;
  if (tooShort || bits < 45) level = 'weak';
  else if (bits < 70) level = 'fair';
  else level = 'strong';
  const score = level === 'weak' ? 1 : level === 'fair' ? 2 : 3;
  return { bits, level, score, tooShort, commonWord };
}
