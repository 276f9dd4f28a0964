import { passphraseLongEnough } from '../../../shared/rules/passphrase';

export type NewPassphraseProblem = 'tooShort' | 'mismatch';

export interface NewPassphraseCheck {
  passphrase: 'tooShort' | null;
  repeat: 'mismatch' | null;
}

/** The checks before a new passphrase is sent: long enough (shared rule), and typed the same twice. */
export function checkNewPassphrase(passphrase: string, repeat: string): NewPassphraseCheck {
  return {
    passphrase: passphraseLongEnough(passphrase) ? null : 'tooShort',
    repeat: repeat === passphrase ? null : 'mismatch',
  };
}

/** Whether a Result's field list names the field (`passphrase`, `next`, `confirmations.0` …). */
export function namesField(fields: ReadonlyArray<{ path: string }> | undefined, path: string): boolean {
  return (fields ?? []).some((field) => field.path === path);
}
