/**
 * Phone numbers typed by staff (PRODUCT §2 "New chat"): any common way of writing an international number,
 * checked with libphonenumber-js (the full metadata: which ranges are in use, not only lengths), stored as
 * digits without `+` (Meta's wa_id form).
 */
import { parsePhoneNumberWithError, ParseError, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { PhoneNumber } from 'libphonenumber-js/max';
import { AppError } from '../errors';

export interface TypedNumber {
  /** Digits with the country code, no `+`: what Meta calls the wa_id. */
  digits: string;
  /** `+44 7911 123456` */
  international: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function refuse(sentence: string): AppError {
  return new AppError('invalid_phone', sentence, [{ path: 'phone', message: sentence }]);
}

/** "in Hong Kong", or "under country code +1" when the number fits no country's ranges. */
function where(phone: PhoneNumber): string {
  const region = phone.country;
  return region ? `in ${regionNames.of(region) ?? region}` : `under country code +${phone.countryCallingCode}`;
}

const lengthSentences: Record<string, string> = {
  TOO_SHORT: 'is too short for its country',
  TOO_LONG: 'is too long for its country',
  INVALID_LENGTH: 'does not have a length numbers of its country have',
  INVALID_COUNTRY: 'does not start with a country code in use',
  NOT_A_NUMBER: 'is not a phone number',
};

/**
 * Reads a typed number. `known` says whether a contact already has these digits: a number Meta gave us
 * is accepted even when it lies in a range the metadata does not list (new ranges appear every year).
 */
export function readTypedNumber(input: string, known: (digits: string) => boolean): TypedNumber {
  const typed = input.trim();
  if (!/^(\+|00)?[\d\s().\-/]+$/u.test(typed)) {
    throw refuse('A phone number has only digits, spaces, dashes and brackets after its leading + or 00.');
  }
  const withPlus = typed.startsWith('00') ? `+${typed.slice(2)}` : typed;
  if (!withPlus.startsWith('+')) {
    throw refuse('Write the number with its country code, starting with + or 00 (for example +44 7911 123456).');
  }
  let phone: PhoneNumber;
  try {
    phone = parsePhoneNumberWithError(withPlus);
  } catch (error) {
    const reason = error instanceof ParseError ? lengthSentences[error.message] : undefined;
    throw refuse(`${typed} ${reason ?? 'is not a phone number'}.`);
  }
  const digits = phone.number.slice(1);
  const result = { digits, international: phone.formatInternational() };
  if (known(digits)) return result;
  const length = validatePhoneNumberLength(withPlus);
  if (length) throw refuse(`${result.international} ${lengthSentences[length] ?? 'is not a phone number'}.`);
  if (!phone.isValid()) throw refuse(`${result.international} is not a number in use ${where(phone)}.`);
  return result;
}
