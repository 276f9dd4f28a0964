/**
 * Retention (PRODUCT §13): optionally delete messages older than N months, daily, with a preview first.
 *
 * Months are calendar months of the business timezone: with N = 3 on 15 May (local), everything before
 * 15 February 00:00 local time goes, whatever DST did in between (a day that does not exist in the shorter
 * month is clamped to its last day). Conversations and contacts stay; only their old messages go, with what
 * belongs to those messages alone — status events, reactions, outbox rows, label assignments, media rows and
 * files no newer message (or quick reply, or profile photo) uses — and the raw webhook bodies received before
 * the cutoff. Search entries and statistics follow by trigger; the index is optimised after a run.
 *
 * `preview(now)` counts exactly what `run(now)` deletes (the same definitions, one as a count, one step by
 * step). A run deletes in batches, each its own transaction, so the archive keeps answering meanwhile.
 */
import { z } from 'zod';
import type { Archive, MediaStore } from '../archive';
import { instantOfLocal, localDateOf } from '../automation/hours';
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import { businessTimezone, parseRequest } from '../transcript';
import type { AuditService } from './audit';
import { privacyStore } from './repositories/privacy-store';

export const maxRetentionMonths = 120;
export const retentionSettingsSchema = z.object({ months: z.number().int().min(0).max(maxRetentionMonths) }).strict();
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

const settingsKey = 'privacy.retention';
const lastRunKey = 'privacy.retentionLastRunAt';

/** The saved number of months; 0 (off) when none was saved or what is stored does not parse. */
export function readRetentionMonths(archive: Pick<Archive, 'settings'>): number {
  const parsed = retentionSettingsSchema.safeParse(archive.settings.get(settingsKey));
  return parsed.success ? parsed.data.months : 0;
}

/** Saves the setting (validated: it comes from the settings view) and records the change in the audit log. */
export function saveRetentionSettings(archive: Pick<Archive, 'settings'>, audit: Pick<AuditService, 'retentionConfigured'>, input: unknown): RetentionSettings {
  const settings = parseRequest(retentionSettingsSchema, input, 'retention settings');
  if (readRetentionMonths(archive) === settings.months) return settings;
  archive.settings.set(settingsKey, settings);
  audit.retentionConfigured(settings.months);
  return settings;
}

/** The calendar date `months` before `date` (YYYY-MM-DD), the day clamped to the shorter month's last day. */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Messages with a timestamp before this instant are older than `months` months at `now` in `timezone`. */
export function retentionCutoff(now: number, months: number, timezone: string): number {
  return instantOfLocal(`${monthsBefore(localDateOf(now, timezone), months)}T00:00`, timezone);
}

export interface RetentionCounts {
  /** 0: retention is off (nothing is counted or deleted). */
  months: number;
  /** Messages before this instant go; null when off. */
  cutoff: number | null;
  timezone: string;
  messages: number;
  /** Media files no remaining message uses. */
  mediaFiles: number;
  /** Raw webhook bodies (already processed) received before the cutoff. */
  webhookBodies: number;
}

export interface RetentionRun extends RetentionCounts {
  ran: boolean;
  walTruncated: boolean;
}

export interface RetentionDeps {
  archive: Archive;
  /** Null when the media store is not open: media rows go, files stay for the next run's release. */
  media: Pick<MediaStore, 'remove'> | null;
  audit: AuditService;
  clock: Pick<ClockPort, 'now'>;
  logger: Logger;
  /** Messages per transaction (default 2,000). */
  batchSize?: number;
}

const nowSchema = z.number().int().nonnegative();

export function createRetention(deps: RetentionDeps) {
  const { archive } = deps;
  const store = privacyStore(archive.db);
  const batchSize = deps.batchSize ?? 2000;

  function settingsAt(now: number, override?: number) {
    const months = override ?? readRetentionMonths(archive);
    const timezone = businessTimezone(archive, now);
    return { months, timezone, cutoff: months > 0 ? retentionCutoff(now, months, timezone) : null };
  }

  /** `months`: count for that setting instead of the saved one (the settings view previews before saving). */
  function preview(at: unknown = deps.clock.now(), months?: unknown): RetentionCounts {
    const now = parseRequest(nowSchema, at, 'retention preview');
    const override = months === undefined ? undefined : parseRequest(retentionSettingsSchema, { months }, 'retention preview').months;
    const { months: counted, timezone, cutoff } = settingsAt(now, override);
    return countAt(counted, timezone, cutoff);
  }

  function countAt(months: number, timezone: string, cutoff: number | null): RetentionCounts {
    if (cutoff === null) return { months, cutoff, timezone, messages: 0, mediaFiles: 0, webhookBodies: 0 };
    return { months, cutoff, timezone, messages: store.countOld(cutoff), mediaFiles: store.countReleasedFiles(cutoff), webhookBodies: store.countOldBodies(cutoff) };
  }

  async function run(at: unknown = deps.clock.now()): Promise<RetentionRun> {
    const now = parseRequest(nowSchema, at, 'retention run');
    const { months, timezone, cutoff } = settingsAt(now);
    if (cutoff === null) return { months, cutoff, timezone, messages: 0, mediaFiles: 0, webhookBodies: 0, ran: false, walTruncated: false };

    let messages = 0;
    const mediaIds = new Set<number>();
    for (;;) {
      const deleted = archive.transaction(() => {
        const batch = store.oldBatch(cutoff, batchSize);
        if (batch.length === 0) return 0;
        const wamids = batch.map((m) => m.wamid).filter((w): w is string => w !== null);
        const clientIds = batch.map((m) => m.clientId).filter((c): c is string => c !== null);
        store.deleteStatusEventsOf(wamids, clientIds);
        store.deleteReactionsOn(wamids);
        const count = store.deleteMessages(batch.map((m) => m.id));
        for (const conversationId of new Set(batch.map((m) => m.conversationId))) archive.conversations.refreshLastMessage(conversationId);
        for (const m of batch) if (m.mediaId !== null) mediaIds.add(m.mediaId);
        return count;
      });
      messages += deleted;
      if (deleted < batchSize) break;
    }

    const finished = archive.transaction(() => {
      const released = store.releaseMedia([...mediaIds]);
      store.deleteOldOrphanStatuses(cutoff);
      const webhookBodies = store.deleteOldBodies(cutoff);
      deps.audit.retentionRun({ months, cutoff, messages, mediaFiles: released.hashes.length, webhookBodies });
      archive.settings.set(lastRunKey, now);
      return { hashes: released.hashes, webhookBodies };
    });

    if (deps.media) {
      for (const hash of finished.hashes) if (store.hashUnreferenced(hash)) await deps.media.remove(hash);
    }
    if (messages > 0 || finished.webhookBodies > 0) archive.search.optimize();
    const walTruncated = store.truncateWal();
    deps.logger.info('Retention ran', { months, messages, mediaFiles: finished.hashes.length, webhookBodies: finished.webhookBodies });
    return { months, cutoff, timezone, messages, mediaFiles: finished.hashes.length, webhookBodies: finished.webhookBodies, ran: true, walTruncated };
  }

  return {
    preview,
    run,
    /** When the last run finished (archive settings), for the daily schedule. */
    lastRunAt(): number | null {
      const value = archive.settings.get(lastRunKey);
      return typeof value === 'number' ? value : null;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
