/**
 * Backup failures as they cross IPC: each reason of a `BackupError` gets its own stable error code (the
 * renderer says it in words), and the reason itself stays in `fields` as `{ path: 'backup', message: reason }`.
 */
import type { ErrorCode } from '../../../shared/ipc';
import { AppError } from '../errors';
import { BackupError } from './errors';
import type { BackupFailureReason } from './errors';

export const backupErrorCodes: Record<BackupFailureReason, ErrorCode> = {
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
  cancelled: 'backup_cancelled',
  replace_state: 'backup_replace_state',
};

/** A BackupError becomes an AppError with the reason's own code; anything else passes unchanged. */
export function toBackupAppError(error: unknown): unknown {
  if (error instanceof BackupError) return new AppError(backupErrorCodes[error.reason], error.message, [{ path: 'backup', message: error.reason }]);
  return error;
}
