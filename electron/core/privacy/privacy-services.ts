/**
 * The privacy features of one open workspace behind one object, for the IPC handlers to call: every method
 * takes the raw request and validates it (zod), every failure is an AppError with a stable code. Built when
 * the archive opens (the media store may come later: pass a getter), and `startDaily` once the workspace's
 * services run (it keeps going while locked, like the rest of core's work).
 */
import type { Archive, MediaStore } from '../archive';
import type { Logger } from '../logger';
import type { ClockPort, SettingsPort } from '../ports';
import { exportTranscript, parseRequest } from '../transcript';
import type { TranscriptExportResult } from '../transcript';
import { createAuditService } from './audit';
import type { AuditChainReport, AuditPage, AuditService } from './audit';
import { createContactExport } from './contact-export';
import type { ContactExportResult } from './contact-export';
import { createErasure } from './erasure';
import type { ErasurePreview, ErasureResult } from './erasure';
import { createInboxScrub } from './inbox-scrub';
import { createRetention, readRetentionMonths, retentionSettingsSchema, saveRetentionSettings } from './retention';
import type { RetentionCounts, RetentionRun, RetentionSettings } from './retention';
import { startPrivacyMaintenance } from './schedule';
import type { DailySchedule } from './schedule';

export interface PrivacyServicesDeps {
  archive: Archive;
  /** The workspace's media store, or null while it is not open. */
  media: () => MediaStore | null;
  /** The settings store outside the archive (unlock failures wait there while locked or closed). */
  settings: SettingsPort;
  clock: ClockPort;
  logger: Logger;
}

export interface PrivacyServices {
  audit: AuditService;
  /** `transcript:export` — request: transcriptRequestSchema; destination: the save dialog's answer. */
  exportTranscript(request: unknown, destination: unknown): Promise<TranscriptExportResult>;
  /** `privacy:export-contact` — request: contactExportRequestSchema. */
  exportContact(request: unknown): Promise<ContactExportResult>;
  /** `privacy:erase-preview` — request: { contactId }. */
  previewErasure(request: unknown): ErasurePreview;
  /** `privacy:erase` — request: { contactId }. */
  eraseContact(request: unknown): Promise<ErasureResult>;
  retentionSettings(): RetentionSettings;
  /** `privacy:set-retention` — request: { months: 0…120 } (0 = off). */
  saveRetentionSettings(request: unknown): RetentionSettings;
  /** `privacy:retention-preview` — what the next daily run would delete now; request `{ months }` counts for a setting not saved yet. */
  previewRetention(request?: unknown): RetentionCounts;
  /** When the last retention run finished, or null. */
  retentionLastRunAt(): number | null;
  runRetention(): Promise<RetentionRun>;
  scrubInbox(): { scanned: number; deleted: number };
  /** Retention and the inbox scrub once a day on the clock port; stop it before the archive closes. */
  startDaily(options?: { startDelayMs?: number }): DailySchedule;
  /** `audit:verify`. */
  verifyAudit(): AuditChainReport;
  /** `audit:page` — request: { before?, limit? }. */
  auditPage(request?: unknown): AuditPage;
  /** Call from the workspace manager's onUnlocked. */
  recordUnlockFailures(workspaceId: string): Promise<unknown>;
}

export function createPrivacyServices(deps: PrivacyServicesDeps): PrivacyServices {
  const { archive, clock, logger } = deps;
  const audit = createAuditService({ archive, settings: deps.settings });
  const scrub = createInboxScrub({ archive, audit, logger });
  const retention = () => createRetention({ archive, media: deps.media(), audit, clock, logger });
  return {
    audit,
    exportTranscript: (request, destination) => exportTranscript({ archive, media: deps.media(), clock, audit }, request, destination),
    exportContact: (request) => createContactExport({ archive, media: deps.media(), audit, clock, logger }).run(request),
    previewErasure: (request) => createErasure({ archive, media: deps.media(), audit, clock, logger }).preview(request),
    eraseContact: (request) => createErasure({ archive, media: deps.media(), audit, clock, logger }).erase(request),
    retentionSettings: () => ({ months: readRetentionMonths(archive) }),
    saveRetentionSettings: (request) => saveRetentionSettings(archive, audit, request),
    previewRetention: (request) => {
      if (request === undefined) return retention().preview();
      const { months } = parseRequest(retentionSettingsSchema, request, 'retention preview');
      return retention().preview(clock.now(), months);
    },
    retentionLastRunAt: () => retention().lastRunAt(),
    runRetention: () => retention().run(),
    scrubInbox: () => scrub.run(),
    startDaily: (options = {}) =>
      startPrivacyMaintenance({
        clock,
        logger,
        scrub,
        // Built per run: the media store may have opened (or closed) since.
        retention: { run: (at) => retention().run(at), lastRunAt: () => retention().lastRunAt() },
        ...(options.startDelayMs !== undefined ? { startDelayMs: options.startDelayMs } : {}),
      }),
    verifyAudit: () => audit.verify(),
    auditPage: (request) => audit.page(request),
    recordUnlockFailures: (workspaceId) => audit.recordUnlockFailures(workspaceId),
  };
}
