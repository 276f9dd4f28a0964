/**
 * What backups write to the workspace's audit log (archive/repositories/audit-log.ts). The subject is the
 * backup's random id; details are counts, sizes and reasons — never a name, a number or a folder path.
 */
export interface AuditSink {
  append(action: string, subject: string | null, details?: Record<string, string | number | boolean | null>): unknown;
}

export const backupAuditActions = {
  created: 'backup.created',
  failed: 'backup.failed',
  verified: 'backup.verified',
  verifyFailed: 'backup.verify-failed',
  restored: 'backup.restored',
  replaceConfirmed: 'backup.replace-confirmed',
  replaceRolledBack: 'backup.replace-rolled-back',
} as const;
