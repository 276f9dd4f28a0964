import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js';

export type PhoneProblem = 'empty' | 'notNumber' | 'noCountryCode' | 'invalidCountry' | 'tooShort' | 'tooLong' | 'invalid';

export type PhoneInputCheck = { ok: true; international: string; e164: string } | { ok: false; problem: PhoneProblem };

/** What people put between digits: spaces (any), dashes, dots, slashes, brackets. */
const separators = /[\s\u00a0\u2000-\u200b\u202f\u3000\-‐-―.()/[\]]/gu;

/**
 * The "New chat" number as it is typed, checked the way core checks it (libphonenumber, with the country
 * code required: a bare national number means a different person in every country). Gives the number in
 * international format, or which problem to name.
 */
export function checkPhoneInput(raw: string): PhoneInputCheck {
  let value = raw.normalize('NFKC').trim();
  if (value === '') return { ok: false, problem: 'empty' };
  value = value.replace(/^tel:/iu, '').replace(/^(\+\d{1,3})\s*\(0\)/u, '$1');
  const compact = value.replace(separators, '');
  let international: string;
  if (compact.startsWith('+')) international = compact;
  else if (compact.startsWith('00')) international = `+${compact.slice(2)}`;
  else if (/^\d+$/u.test(compact)) return { ok: false, problem: 'noCountryCode' };
  else return { ok: false, problem: 'notNumber' };
  if (!/^\+\d+$/u.test(international)) return { ok: false, problem: 'notNumber' };
  const length = validatePhoneNumberLength(international);
  if (length === 'INVALID_COUNTRY') return { ok: false, problem: 'invalidCountry' };
  if (length === 'TOO_SHORT') return { ok: false, problem: 'tooShort' };
  if (length === 'TOO_LONG') return { ok: false, problem: 'tooLong' };
  if (length === 'NOT_A_NUMBER') return { ok: false, problem: 'notNumber' };
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed) return { ok: false, problem: 'notNumber' };
  if (!parsed.isValid()) return { ok: false, problem: 'invalid' };
  return { ok: true, international: parsed.formatInternational(), e164: parsed.number };
}
