/** How a chosen backup file is opened: the rules the backup panel and the first screen's restore share. */
import type { BackupCredentialsRequest, BackupFileView } from '../../../shared/ipc/backup';

export type PersonMethod = Exclude<BackupCredentialsRequest['method'], 'keychain'>;

/** A backup that only this computer's keychain opens (a demo's). */
export function keychainOnly(file: BackupFileView | null): boolean {
  return file !== null && file.unlockMethods.length === 1 && file.unlockMethods[0] === 'keychain';
}

/** The ways a person can open it: passphrase and/or recovery key. */
export function personMethods(file: BackupFileView | null): PersonMethod[] {
  return file ? file.unlockMethods.filter((m): m is PersonMethod => m !== 'keychain') : [];
}

/** The method offered first: the passphrase when the backup has one. */
export function defaultMethod(file: BackupFileView): PersonMethod {
  return file.unlockMethods.includes('passphrase') ? 'passphrase' : 'recovery';
}

/** The request for what was typed (a recovery key without its surrounding spaces; a passphrase exactly). */
export function credentialsRequest(file: BackupFileView, method: PersonMethod, secret: string): BackupCredentialsRequest {
  if (keychainOnly(file)) return { method: 'keychain' };
  return method === 'recovery' ? { method: 'recovery', recoveryKey: secret.trim() } : { method: 'passphrase', passphrase: secret };
}
