/** A recovery key is 64 decimal digits, shown as 16 groups of 4 (core makes and checks it; this only helps typing). */
export const recoveryKeyDigitCount = 64;
export const recoveryKeyGroupCount = 16;

/** The digits of what was typed: spaces, dashes and dots dropped, full-width digits (Chinese IMEs) made plain. */
export function recoveryKeyDigits(input: string): string {
  return input.normalize('NFKC').replace(/[\s\-–—_.]/g, '');
}

/** How many digits were typed, or null when something other than digits and separators is in it. */
export function countRecoveryKeyDigits(input: string): number | null {
  const digits = recoveryKeyDigits(input);
  return /^\d*$/.test(digits) ? digits.length : null;
}

/** "1234 5678 …" → ["1234", "5678", …]. */
export function recoveryKeyGroups(formatted: string): string[] {
  return formatted.split(/\s+/).filter((group) => group.length > 0);
}

/** One typed-back group: 4 digits once separators are dropped. */
export function isRecoveryGroup(input: string): boolean {
  return /^\d{4}$/.test(recoveryKeyDigits(input));
}
