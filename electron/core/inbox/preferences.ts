import { z } from 'zod';
import type { InboxPreferences } from '../../../shared/ipc';
import type { Archive } from '../archive';

/** The desk's inbox preferences, per workspace, in the archive's settings. */
const key = 'inbox.preferences';

export const defaultInboxPreferences: InboxPreferences = { readReceipts: true, notificationSound: true };

const storedSchema = z.object({ readReceipts: z.boolean(), notificationSound: z.boolean() }).partial();

export function readInboxPreferences(archive: Archive): InboxPreferences {
  const stored = storedSchema.safeParse(archive.settings.get(key));
  return { ...defaultInboxPreferences, ...(stored.success ? stored.data : {}) };
}

export function saveInboxPreferences(archive: Archive, patch: Partial<InboxPreferences>): InboxPreferences {
  const next = { ...readInboxPreferences(archive), ...patch };
  archive.settings.set(key, next);
  return next;
}
