import type { ErrorCode } from '../../../shared/ipc';
import { AppError } from '../errors';

/**
 * Why a backup operation was refused or stopped: stable strings (shared/ipc/backup.ts lists them), each with
 * its error code (shared/ipc/errors.ts), the reason also carried in `fields` ([{ path: 'backup', message }]).
 */
export type BackupFailureReason =
  | 'not_a_backup' // no Frontdesk backup magic at the start of the file
  | 'too_new' // written in a newer backup format than this Frontdesk reads
  | 'tampered' // a byte of the header or the body was changed (checksum or authentication failed)
  | 'truncated' // the file ends before its final authenticated message
  | 'wrong_passphrase'
  | 'wrong_recovery_key'
  | 'wrong_key' // the backup was made by another workspace (its keys do not open it)
  | 'no_unlock_method' // the backup holds no wrap for the method given (e.g. a demo backup and a passphrase)
  | 'keychain_unavailable' // a keychain-only (demo) backup on a computer whose keychain cannot open it
  | 'restore_check_failed' // the restored database did not pass its integrity or schema check
  | 'destination_unavailable' // the destination folder is missing, read-only or full
  | 'archive_busy' // the archive's WAL could not be emptied for a consistent copy (pinned-database.ts)
  | 'cancelled'
  | 'replace_state'; // confirm/rollback without a pending replacement, or a replacement already pending

const codeOf: Record<BackupFailureReason, ErrorCode> = {
  not_a_backup: 'not_a_backup',
  too_new: 'backup_too_new',
  tampered: 'backup_tampered',
  truncated: 'backup_truncated',
  wrong_passphrase: 'wrong_passphrase',
  wrong_recovery_key: 'wrong_recovery_key',
  wrong_key: 'wrong_key',
  no_unlock_method: 'backup_no_unlock_method',
  keychain_unavailable: 'keychain_unavailable',
  restore_check_failed: 'backup_check_failed',
  destination_unavailable: 'backup_destination_unavailable',
  archive_busy: 'backup_archive_busy',
  cancelled: 'backup_cancelled',
  replace_state: 'backup_replace_state',
};

/** An expected backup failure: an AppError with its code and the precise `reason`. */
export class BackupError extends AppError {
  constructor(
    readonly reason: BackupFailureReason,
    message: string,
  ) {
    super(codeOf[reason], message, [{ path: 'backup', message: reason }]);
    this.name = 'BackupError';
  }
}

export function cancelled(): BackupError {
  return new BackupError('cancelled', 'The backup operation was cancelled');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

const destinationErrnos = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EEXIST']);

/** File-system failures on the destination are the user's to fix (another folder, free space), not bugs. */
export function asDestinationError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && destinationErrnos.has(code)) {
    return new BackupError('destination_unavailable', `The backup folder cannot be written (${code})`);
  }
  return error;
}
