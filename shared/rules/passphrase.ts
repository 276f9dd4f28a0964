/**
 * Passphrase rules both sides use: the set-up form's strength meter and core's refusal agree on one
 * minimum. The estimate is deliberately simple and conservative: length counts most, repeats and
 * well-known choices count for nothing.
 */
export const minPassphraseLength = 10;

export type PassphraseStrength = 0 | 1 | 2 | 3 | 4; // too short, weak, fair, good, strong

const common = ['password', 'passw0rd', 'qwerty', 'letmein', 'welcome', 'admin', 'iloveyou', 'monkey', 'dragon', 'whatsapp', 'frontdesk', '123456', 'abc123', 'woaini', '88888888'];

function poolSize(text: string): number {
  let pool = 0;
  if (/[a-z]/.test(text)) pool += 26;
  if (/[A-Z]/.test(text)) pool += 26;
  if (/[0-9]/.test(text)) pool += 10;
  if (/[^\p{L}\p{N}]/u.test(text)) pool += 33;
  // Chinese, Japanese, Korean or other letters: a large alphabet, counted modestly.
  if (/[^\p{ASCII}]/u.test(text)) pool += 100;
  return Math.max(pool, 10);
}

/** Removes the parts an attacker guesses first: runs of one character, keyboard and number sequences, common words. */
function effectiveLength(text: string): number {
  let rest = text.toLowerCase();
  for (const word of common) rest = rest.split(word).join('§');
  rest = rest.replace(/(.)\1{2,}/gu, '$1');
  rest = rest.replace(/(?:0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef|qwer|wert|asdf|sdfg|zxcv)+/g, '§');
  return [...rest].length;
}

/** Estimated bits of entropy: effective length × log2(alphabet). */
export function passphraseBits(text: string): number {
  return effectiveLength(text) * Math.log2(poolSize(text));
}

export function passphraseStrength(text: string): PassphraseStrength {
  if ([...text].length < minPassphraseLength) return 0;
  const bits = passphraseBits(text);
  if (bits < 40) return 1;
  if (bits < 60) return 2;
  if (bits < 80) return 3;
  return 4;
}

/** Counted in characters as people see them (code points), not UTF-16 units. */
export function passphraseLongEnough(text: string): boolean {
  return [...text].length >= minPassphraseLength;
}
