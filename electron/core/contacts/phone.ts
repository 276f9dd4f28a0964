import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Digits as stored (E.164 without the +) → `+86 138 0013 8000`; the bare `+digits` when libphonenumber cannot. */
export function formatInternational(digits: string): string {
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed ? parsed.formatInternational() : `+${digits}`;
}

export type PhoneCheck = { ok: true; digits: string } | { ok: false; reason: string };

/** What people put between digits: spaces (any), dashes, dots, slashes, brackets. */
const separators = /[\s\u00a0\u2000-\u200b\u202f\u3000\-‐-―.()/[\]]/gu;

/**
 * A number from an imported file, in any common writing (`+86 138-0013-8000`, `0044 (0)20 …`, full-width
 * digits, `tel:` URIs): it must carry its country code, since a bare national number means a different
 * person in every country. Returns the E.164 digits, or the reason in English.
 */
export function checkImportedPhone(raw: string): PhoneCheck {
  let value = raw.normalize('NFKC').trim();
  if (value === '') return { ok: false, reason: 'No phone number' };
  value = value.replace(/^tel:/iu, '');
  // Extensions cannot reach WhatsApp; anything after them is dropped before checking.
  value = value.replace(/\s*(?:;ext=|ext\.?|x|#).*$/iu, '');
  // "+44 (0)20 …": the trunk zero in brackets is not dialled from abroad.
  value = value.replace(/^(\+\d{1,3})\s*\(0\)/u, '$1');
  const compact = value.replace(separators, '');
  let international: string;
  if (compact.startsWith('+')) international = compact;
  else if (compact.startsWith('00')) international = `+${compact.slice(2)}`;
  else if (/^\d+$/u.test(compact)) return { ok: false, reason: 'No country code: write the number with + and the country code (for example +86 138 0013 8000)' };
  else return { ok: false, reason: 'Not a phone number' };
  if (!/^\+\d+$/u.test(international)) return { ok: false, reason: 'Not a phone number' };
  if (international.length > 16) return { ok: false, reason: 'Too many digits for a phone number' };
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed) return { ok: false, reason: 'Not a phone number' };
  if (!parsed.isValid()) return { ok: false, reason: 'Not a valid number for its country code' };
  return { ok: true, digits: parsed.number.slice(1) };
}
