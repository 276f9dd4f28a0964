/**
 * Transcripts, data rights and the audit log over IPC (PRODUCT §11, §13). Requests are checked by the
 * contract's schemas (shared/ipc/privacy.ts) and again by the services; where files go is asked through the
 * dialogs port after the request was found good (a conversation or contact that no longer exists fails before
 * any dialog opens), and the lock is checked again once the dialog answered.
 *
 * Erasing a contact tells the inbox list (the conversation leaves it, the unread total follows) and every
 * contact list and panel (`contacts:changed`, reason `erased`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ChannelName } from '../../../shared/ipc';
import type { AuditEntryView, ExportLocale, privacyChannels, RetentionCounts, RetentionView, TranscriptRequest } from '../../../shared/ipc/privacy';
import type { Archive } from '../archive';
import { contactDisplayName } from '../archive';
import { localDateOf } from '../automation/hours';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import type { FeatureDeps } from '../feature-deps';
import type { PrintPort } from '../ports';
import { businessTimezone } from '../transcript';
import { safeFileName } from './bundle-files';
import type { PrivacyRuntime } from './privacy-runtime';
import type { RetentionCounts as CoreRetentionCounts } from './retention';

type PrivacyChannel = keyof typeof privacyChannels;

export interface PrivacyHandlerDeps extends FeatureDeps {
  privacy: PrivacyRuntime;
  print: PrintPort;
  /** The inbox list's notifier: these conversations' rows changed (or went), and the unread total is checked. */
  inboxChanged: (conversationIds: number[]) => void;
  /** Where the copy being printed is written for the moment the print dialog reads it; the OS temp folder by default. */
  printDir?: () => string;
}

const dialogTitles = {
  transcript: { en: 'Export transcript', 'zh-CN': '导出聊天记录' },
  contact: { en: 'Export everything about this contact to a folder', 'zh-CN': '将该联系人的全部资料导出到文件夹' },
} satisfies Record<string, Record<ExportLocale, string>>;
const transcriptWord: Record<ExportLocale, string> = { en: 'Transcript', 'zh-CN': '聊天记录' };

/** A file-system failure while writing an export: the folder is gone, read-only or full. */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!);
}

/** Runs an export, turning "could not write there" into `export_failed` (the UI says so in words). */
async function writing<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) {
      const aboutTheFolder = error.code === 'invalid_request' && error.fields?.some((f) => f.path === 'destination' || f.path === 'destinationDir');
      if (aboutTheFolder) throw new AppError('export_failed', error.message, error.fields);
      throw error;
    }
    if (isFileSystemError(error)) throw new AppError('export_failed', `The export could not be written (${error.code})`);
    throw error;
  }
}

function requireConversation(archive: Archive, conversationId: number) {
  const conversation = archive.conversations.get(conversationId);
  if (!conversation) throw new AppError('not_found', 'The conversation no longer exists');
  return conversation;
}

function requireContact(archive: Archive, contactId: number) {
  const contact = archive.contacts.get(contactId);
  if (!contact) throw new AppError('not_found', 'The contact no longer exists');
  return contact;
}

const toCounts = (c: CoreRetentionCounts): RetentionCounts => ({ months: c.months, cutoff: c.cutoff, timezone: c.timezone, messages: c.messages, mediaFiles: c.mediaFiles });

/** The channels whose saves are settings changes, recorded in the audit log by area and key names (never values). */
export const auditedSettingsChannels = {
  'hours:save': 'hours',
  'automation:save': 'automation',
  'inbox:set-preferences': 'inbox',
  'vault:set-auto-lock': 'autoLock',
  'secrets:set': 'secrets',
} as const satisfies Partial<Record<ChannelName, string>>;

const keyName = /^[a-z][a-zA-Z0-9_]{0,63}$/;

/**
 * Wraps the settings channels so each successful save writes `settings.changed` (area, key names). A failure
 * to record is logged, never turned into a failed save: the change itself happened.
 */
export function auditSettingsChanges(handlers: ChannelHandlers, deps: Pick<PrivacyHandlerDeps, 'archive' | 'privacy' | 'logger'>): Partial<ChannelHandlers> {
  const wrapped: Partial<Record<ChannelName, (request: unknown) => Promise<unknown>>> = {};
  for (const [channel, area] of Object.entries(auditedSettingsChannels) as Array<[keyof typeof auditedSettingsChannels, string]>) {
    const inner = handlers[channel] as (request: unknown) => unknown;
    wrapped[channel] = async (request) => {
      const result = await inner(request);
      try {
        const keys = request !== null && typeof request === 'object' ? Object.keys(request).filter((k) => keyName.test(k)) : [];
        deps.privacy.of(deps.archive()).audit.settingsChanged(area, keys.length > 0 ? keys : ['all']);
      } catch (error) {
        deps.logger.warn('A settings change could not be written to the audit log', { area, error: error instanceof Error ? error.message : 'unknown' });
      }
      return result;
    };
  }
  return wrapped as Partial<ChannelHandlers>;
}

export function createPrivacyHandlers(deps: PrivacyHandlerDeps): Pick<ChannelHandlers, PrivacyChannel> {
  const services = () => deps.privacy.of(deps.archive());
  const printDir = deps.printDir ?? (() => tmpdir());

  /** What the transcript services take: the range as asked, in the business timezone, with the business's name. */
  const transcriptRequest = (request: TranscriptRequest) => ({
    conversationId: request.conversationId,
    locale: request.locale,
    from: request.from ?? null,
    to: request.to ?? null,
    businessName: deps.businessName().slice(0, 200) || null,
  });

  function transcriptFileName(archive: Archive, request: TranscriptRequest): string {
    const conversation = requireConversation(archive, request.conversationId);
    const contact = conversation.contactId !== null ? archive.contacts.get(conversation.contactId) : undefined;
    const who = contact ? contactDisplayName(contact) : (conversation.groupId ?? '');
    const date = request.to ?? localDateOf(deps.clock.now(), businessTimezone(archive, deps.clock.now()));
    const stem = transcriptWord[request.locale];
    return safeFileName(`${[stem, who, date].filter(Boolean).join(' - ')}.html`, `${stem}-${date}`, null);
  }

  function retentionView(archive: Archive): RetentionView {
    const privacy = deps.privacy.of(archive);
    const preview = toCounts(privacy.previewRetention());
    return { months: preview.months, preview, lastRunAt: privacy.retentionLastRunAt(), nextRunAt: deps.privacy.nextRunAt() };
  }

  return {
    'transcript:export': async (request) => {
      // Fails before the dialog when the conversation is gone or the workspace locked.
      const defaultName = transcriptFileName(deps.archive(), request);
      const path = await deps.dialogs.chooseSaveFile({ title: dialogTitles.transcript[request.locale], defaultName });
      if (path === null) return { saved: false, fileName: null, messages: 0, mediaEmbedded: 0, bytes: 0 };
      const result = await writing(() => services().exportTranscript(transcriptRequest(request), path));
      return { saved: true, fileName: basename(result.path), messages: result.messages, mediaEmbedded: result.mediaEmbedded, bytes: result.bytes };
    },

    'transcript:print': async (request) => {
      const title = transcriptFileName(deps.archive(), request);
      // A private folder (mode 0700) for the one file the print window loads; removed whatever happens.
      const dir = await mkdtemp(join(printDir(), 'frontdesk-print-'));
      try {
        const path = join(dir, 'transcript.html');
        const written = await writing(() => services().exportTranscript(transcriptRequest(request), path));
        let printed: boolean;
        try {
          ({ printed } = await deps.print.printHtmlFile({ path, title: title.replace(/\.html$/i, '') }));
        } catch (error) {
          deps.logger.warn('Printing a transcript failed', { error: error instanceof Error ? error.message : 'unknown' });
          throw new AppError('print_failed', 'The print dialog could not be opened');
        }
        return { printed, messages: written.messages };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    'privacy:export-contact': async ({ contactId, locale }) => {
      requireContact(deps.archive(), contactId);
      const folder = await deps.dialogs.chooseFolder({ title: dialogTitles.contact[locale] });
      if (folder === null) return { saved: false, folderName: null, messages: 0, mediaFiles: 0, bytes: 0 };
      const result = await writing(() =>
        services().exportContact({ contactId, destinationDir: folder, locale, businessName: deps.businessName().slice(0, 200) || null }),
      );
      return { saved: true, folderName: basename(result.path), messages: result.messages, mediaFiles: result.mediaFiles, bytes: result.bytes };
    },

    'privacy:erase-preview': ({ contactId }) => {
      const preview = services().previewErasure({ contactId });
      return { contactId, messages: preview.messages, conversations: preview.conversations, mediaFiles: preview.mediaRows, labelAssignments: preview.labelAssignments };
    },

    'privacy:erase': async ({ contactId, confirmMessages }) => {
      const archive = deps.archive();
      const privacy = deps.privacy.of(archive);
      const now = privacy.previewErasure({ contactId });
      // Staff confirmed what they were shown; if the customer wrote since, they confirm the new count.
      if (now.messages !== confirmMessages) {
        throw new AppError('confirmation_stale', `The contact now has ${now.messages} messages, not ${confirmMessages}`, [{ path: 'confirmMessages', message: 'changed' }]);
      }
      const direct = archive.conversations.forContact(contactId);
      const result = await privacy.eraseContact({ contactId });
      deps.inboxChanged(direct ? [direct.id] : []);
      deps.events.emit('contacts:changed', { contactId, mergedIds: [], reason: 'erased' });
      return {
        contactId,
        messages: result.messages,
        conversations: result.conversations,
        mediaFiles: result.mediaFiles,
        labelAssignments: result.labelAssignments,
        webhookBodies: result.inboxBodies.deleted + result.inboxBodies.redacted,
      };
    },

    'privacy:retention': () => retentionView(deps.archive()),
    'privacy:retention-preview': ({ months }) => toCounts(services().previewRetention({ months })),
    'privacy:set-retention': ({ months }) => {
      const archive = deps.archive();
      deps.privacy.of(archive).saveRetentionSettings({ months });
      return retentionView(archive);
    },
    'privacy:run-retention': async () => {
      const run = await services().runRetention();
      if (run.messages > 0) deps.inboxChanged([]);
      return { ...toCounts(run), ran: run.ran };
    },

    'audit:page': ({ before, limit }) => {
      const page = services().auditPage({ ...(before !== null && before !== undefined ? { before } : {}), ...(limit !== undefined ? { limit } : {}) });
      return { entries: page.entries.map((e): AuditEntryView => ({ seq: e.seq, at: e.at, action: e.action, subject: e.subject, details: { ...e.details }, hash: e.hash })), next: page.next };
    },
    'audit:verify': () => services().verifyAudit(),
  };
}
