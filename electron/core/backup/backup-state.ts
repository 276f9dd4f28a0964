/**
 * Where a workspace's backup settings and last-run state live: in its own encrypted archive (`settings`
 * table), like the rest of a workspace's settings, so they travel with it and are readable while it is locked
 * (scheduled backups run then). What is stored is validated when read; anything that no longer parses reads
 * as the defaults.
 */
import { z } from 'zod';
import type { Archive } from '../archive';
import { backupSettingsSchema, backupStatusSchema, defaultBackupSettings, emptyBackupStatus } from './settings';
import type { BackupSettings, BackupStatus } from './settings';

const settingsKey = 'backup.settings';
const statusKey = 'backup.status';

/** The core's status, and the size of the last good backup (shown beside its age). */
export const storedBackupStatusSchema = backupStatusSchema.extend({ lastFileBytes: z.number().int().nonnegative().nullable().default(null) });
export type StoredBackupStatus = z.infer<typeof storedBackupStatusSchema>;

type SettingsHolder = Pick<Archive, 'settings'>;

export function readBackupSettings(archive: SettingsHolder): BackupSettings {
  const parsed = backupSettingsSchema.safeParse(archive.settings.get(settingsKey));
  return parsed.success ? parsed.data : { ...defaultBackupSettings, schedule: { ...defaultBackupSettings.schedule } };
}

export function writeBackupSettings(archive: SettingsHolder, settings: BackupSettings): void {
  archive.settings.set(settingsKey, backupSettingsSchema.parse(settings));
}

export function readBackupStatus(archive: SettingsHolder): StoredBackupStatus {
  const parsed = storedBackupStatusSchema.safeParse(archive.settings.get(statusKey));
  return parsed.success ? parsed.data : { ...emptyBackupStatus, lastFileBytes: null };
}

export function writeBackupStatus(archive: SettingsHolder, status: StoredBackupStatus): void {
  archive.settings.set(statusKey, storedBackupStatusSchema.parse(status));
}

export type { BackupSettings, BackupStatus };
