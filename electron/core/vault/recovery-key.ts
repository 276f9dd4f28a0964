import { randomInt } from 'node:crypto';

/** 64 decimal digits ≈ 212 bits: written on paper, typed back on a new computer. */
export const recoveryKeyDigits = 64;
const groupSize = 4;

export function generateRecoveryKey(): string {
  let digits = '';
  for (let i = 0; i < recoveryKeyDigits; i++) digits += String(randomInt(10));
  return digits;
}

/** "1234 5678 …": 16 groups of 4 for reading aloud and writing down. */
export function formatRecoveryKey(digits: string): string {
  return (digits.match(new RegExp(`.{1,${groupSize}}`, 'g')) ?? []).join(' ');
}

export function recoveryKeyGroups(digits: string): string[] {
  return formatRecoveryKey(digits).split(' ');
}

/** Accepts what people type: spaces, dashes, full-width digits (Chinese IMEs) are fine; null when not 64 digits. */
export function normaliseRecoveryKey(input: string): string | null {
  const digits = input.normalize('NFKC').replace(/[\s\-–—_.]/g, '');
  return new RegExp(`^\\d{${recoveryKeyDigits}}$`).test(digits) ? digits : null;
}
