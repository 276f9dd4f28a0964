import { z } from 'zod';
import { channel, channelNone } from './channel';
import type { WorkspaceSummary } from './contract';

/**
 * Encrypted backups (PRODUCT §12): types, request schemas, channels and events. `contract.ts` spreads the
 * channels and events into the one contract. Folders and files are chosen through core's dialogs port, never
 * named by the renderer: a chosen backup file is referred to by the `fileId` core gives back; a destination is
 * either chosen in the dialog or one of the cloud-drive folders core detected.
 */

export const backupKeepMax = 365;
export const backupFrequencies = ['off', 'daily', 'weekly'] as const;
export type BackupFrequency = (typeof backupFrequencies)[number];

/**
 * Why a backup operation was refused or stopped (core's `BackupFailureReason`), carried in an error's
 * `fields` as `{ path: 'backup', message: reason }`; the backup section says each in words.
 */
export const backupFailureReasons = [
  'not_a_backup',
  'too_new',
  'tampered',
  'truncated',
  'wrong_passphrase',
  'wrong_recovery_key',
  'wrong_key',
  'no_unlock_method',
  'keychain_unavailable',
  'restore_check_failed',
  'destination_unavailable',
  'cancelled',
  'replace_state',
] as const;
export type BackupFailureReasonName = (typeof backupFailureReasons)[number];

export function isBackupFailureReason(value: unknown): value is BackupFailureReasonName {
  return typeof value === 'string' && (backupFailureReasons as readonly string[]).includes(value);
}

export const backupScheduleRequestSchema = z
  .object({
    frequency: z.enum(backupFrequencies),
    /** Local time of this computer, 24-hour "HH:MM". */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM'),
    /** 0 = Sunday … 6 = Saturday (used by weekly). */
    weekday: z.number().int().min(0).max(6),
  })
  .strict();
export type BackupScheduleRequest = z.infer<typeof backupScheduleRequestSchema>;

export const backupSaveSettingsSchema = z
  .object({
    schedule: backupScheduleRequestSchema,
    keep: z.number().int().min(1, 'at least 1').max(backupKeepMax, `at most ${backupKeepMax}`),
  })
  .strict();

/** One of the detected cloud-drive folders, by the path `backup:get` listed. */
export const backupCloudFolderSchema = z.object({ path: z.string().min(1).max(4096) }).strict();

const fileId = z.string().regex(/^[0-9a-f]{32}$/, 'not a chosen file');

/** What opens a backup made elsewhere: the passphrase or recovery key it was made with, or this computer's keychain. */
export const backupCredentialsSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('passphrase'), passphrase: z.string().min(1, 'required').max(1024) }).strict(),
  z.object({ method: z.literal('recovery'), recoveryKey: z.string().min(1, 'required').max(200) }).strict(),
  z.object({ method: z.literal('keychain') }).strict(),
]);
export type BackupCredentialsRequest = z.infer<typeof backupCredentialsSchema>;

/** Without credentials: the open workspace's own keys (its own backups), else this computer's keychain. */
export const backupVerifySchema = z.object({ fileId, credentials: backupCredentialsSchema.optional() }).strict();

export const backupRestoreNewSchema = z
  .object({
    fileId,
    credentials: backupCredentialsSchema,
    /** The new workspace's passphrase (a business backup opened with its recovery key needs one). */
    newPassphrase: z.string().min(1).max(1024).optional(),
    name: z.string().trim().min(1, 'required').max(100),
  })
  .strict();

export const backupReplaceSchema = z.object({ fileId }).strict();

export interface BackupScheduleView {
  frequency: BackupFrequency;
  time: string;
  weekday: number;
}

export type CloudProviderName = 'google-drive' | 'icloud-drive' | 'onedrive' | 'dropbox';

export interface CloudFolderView {
  provider: CloudProviderName;
  /** The service, and the account or organisation when there are several. */
  label: string;
  path: string;
}

export interface BackupStatusView {
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastFileName: string | null;
  /** Size of the last good backup file. */
  lastFileBytes: number | null;
  /** Why the last attempt failed; null when it succeeded (or none was made). */
  lastError: { code: string; reason: string | null } | null;
}

export type BackupOperationName = 'export' | 'verify' | 'restore';
export type BackupPhaseName = 'writing' | 'verifying' | 'restoring' | 'checking' | 'done';

export interface BackupProgressView {
  operation: BackupOperationName;
  phase: BackupPhaseName;
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** Milliseconds left at the current rate; null until there is enough to estimate from. */
  etaMs: number | null;
  /** Started by the schedule (or a missed schedule at start), not by a person. */
  scheduled: boolean;
}

export interface PendingReplacementView {
  backupId: string;
  backupCreatedAt: number;
  replacedAt: number;
}

/** The backup section of the open workspace. */
export interface BackupView {
  destination: string | null;
  schedule: BackupScheduleView;
  keep: number;
  /** Cloud-drive folders found on this computer (empty: none found). */
  cloudFolders: CloudFolderView[];
  status: BackupStatusView;
  /** Core's clock when this view was made: ages are measured from it. */
  now: number;
  /** When the schedule runs next; null when it is off. */
  nextRunAt: number | null;
  /** The last good backup is older than the schedule promises. */
  overdue: boolean;
  /** The backup, verify or restore running now, if any. */
  running: BackupProgressView | null;
  /** The data was replaced by a backup; the old data is kept until Confirm (or put back by Roll back). */
  pendingReplacement: PendingReplacementView | null;
}

export interface BackupFileView {
  /** Refers to the chosen file in the next calls (verify, restore). */
  fileId: string;
  fileName: string;
  fileBytes: number;
  createdAt: number;
  appVersion: string;
  workspaceName: string;
  workspaceKind: 'demo' | 'business';
  /** The open workspace's own keys open it: verifying or replacing needs no passphrase. */
  ownWorkspace: boolean;
  /** How a person can open it on another computer. */
  unlockMethods: Array<'passphrase' | 'recovery' | 'keychain'>;
}

export type BackupFileChoice = { chosen: false } | { chosen: true; file: BackupFileView };

export interface BackupRunResult {
  fileName: string;
  fileBytes: number;
  createdAt: number;
  files: number;
  /** Older backups of this workspace deleted to keep the newest N. */
  deleted: number;
}

export interface BackupVerifyResult {
  fileName: string;
  createdAt: number;
  workspaceName: string;
  fileBytes: number;
  /** Files inside: the archive and each media file. */
  entries: number;
  mediaFiles: number;
  databaseBytes: number;
  mediaBytes: number;
}

export interface BackupRestoreResult {
  workspace: WorkspaceSummary;
  /** A new recovery key, when none was given (restored with a passphrase): shown once, like at set-up. */
  newRecoveryKey: string | null;
  entries: number;
  /** Media files the backup's archive names but did not hold (deleted while it was made). */
  missingMedia: number;
}

export const backupChannels = {
  /** Settings, detected cloud folders, last backup and its age, what runs now, a replacement pending. */
  'backup:get': channel<BackupView>()(channelNone),
  /** Schedule and how many to keep. */
  'backup:save-settings': channel<BackupView>()(backupSaveSettingsSchema),
  /** Asks for a folder (dialogs port); `chosen` false when cancelled (nothing changes). */
  'backup:choose-destination': channel<{ chosen: boolean; view: BackupView }>()(channelNone),
  /** One of the detected cloud-drive folders (any other path is refused). */
  'backup:use-cloud-folder': channel<BackupView>()(backupCloudFolderSchema),
  /** Backs up now to the destination; `backup:progress` events meanwhile. Ends with `backup_cancelled` when cancelled. */
  'backup:run': channel<BackupRunResult>()(channelNone),
  /** Stops the backup, verify or restore running now. */
  'backup:cancel': channel<{ cancelled: boolean }>()(channelNone),
  /**
   * Asks for a backup file (dialogs port) and reads its header; refused with the reason if it is not a readable
   * backup. Also with no workspace open (restoring on a new computer from the picker); refused while locked.
   */
  'backup:choose-file': channel<BackupFileChoice>()(channelNone, 'always'),
  /** Reads the whole file and checks every byte, restoring nothing. */
  'backup:verify': channel<BackupVerifyResult>()(backupVerifySchema),
  /**
   * Restores into a new workspace (listed by `workspace:list`, opened like any other). Also with no workspace
   * open, for a file chosen then (the passphrase or recovery key opens it); refused while locked.
   */
  'backup:restore-new': channel<BackupRestoreResult>()(backupRestoreNewSchema, 'always'),
  /** Replaces this workspace's data by its backup: staged, checked, erasures applied, swapped; the old data is kept. */
  'backup:replace': channel<BackupView>()(backupReplaceSchema),
  /** Keeps the restored data: the old copy is deleted. */
  'backup:confirm-replace': channel<BackupView>()(channelNone),
  /** Puts the old data back. */
  'backup:rollback-replace': channel<BackupView>()(channelNone),
} as const;

export const backupProgressSchema = z.object({
  operation: z.enum(['export', 'verify', 'restore']),
  phase: z.enum(['writing', 'verifying', 'restoring', 'checking', 'done']),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  etaMs: z.number().nonnegative().nullable(),
  scheduled: z.boolean(),
});

export const backupEvents = {
  /** Progress of the backup, verify or restore running now (bytes, files, time left). */
  'backup:progress': backupProgressSchema,
  /** The backup state changed (a backup finished or failed, settings, a replacement): read `backup:get` again. */
  'backup:changed': z.object({ reason: z.enum(['run', 'settings', 'replace']) }),
} as const;
