/**
 * Backup settings and last-run state, validated wherever they are read or received (settings store, IPC).
 * A workspace's settings: where scheduled backups go, when, and how many to keep.
 */
import { posix, win32 } from 'node:path';
import { z } from 'zod';

export const backupScheduleSchema = z.object({
  frequency: z.enum(['off', 'daily', 'weekly']),
  /** Local time in the computer's timezone, 24-hour "HH:MM". */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  /** Day of a weekly backup, 0 = Sunday … 6 = Saturday (kept, unused, for daily). */
  weekday: z.number().int().min(0).max(6),
});

export type BackupSchedule = z.infer<typeof backupScheduleSchema>;

export const backupSettingsSchema = z.object({
  schedule: backupScheduleSchema,
  /** An absolute folder (a detected cloud-drive folder or any other); null until one is chosen. */
  destination: z
    .string()
    .min(1)
    .max(4096)
    .refine((path) => posix.isAbsolute(path) || win32.isAbsolute(path), 'an absolute folder path')
    .nullable(),
  /** Keep the newest N of this workspace's backups in the destination. */
  keep: z.number().int().min(1).max(365),
  /** When the schedule was last set (a run before it was never missed). */
  scheduledSince: z.number().int().nullable(),
});

export type BackupSettings = z.infer<typeof backupSettingsSchema>;

export const defaultBackupSettings: BackupSettings = {
  schedule: { frequency: 'off', time: '21:00', weekday: 5 },
  destination: null,
  keep: 7,
  scheduledSince: null,
};

/** What settings show: the last good backup and its age, the last attempt and why it failed. */
export const backupStatusSchema = z.object({
  lastSuccessAt: z.number().int().nullable(),
  lastAttemptAt: z.number().int().nullable(),
  lastFileName: z.string().max(255).nullable(),
  lastError: z.object({ code: z.string().max(64), reason: z.string().max(64).nullable() }).nullable(),
});

export type BackupStatus = z.infer<typeof backupStatusSchema>;

export const emptyBackupStatus: BackupStatus = { lastSuccessAt: null, lastAttemptAt: null, lastFileName: null, lastError: null };
