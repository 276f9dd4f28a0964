import { ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { Result } from '../../../shared/ipc/result';
import { fail } from '../../../shared/ipc/result';
import type {
  AuditLogPage,
  AuditVerification,
  ContactExportResult,
  ErasurePreview,
  ErasureSummary,
  ExportLocale,
  RetentionCounts,
  RetentionRunResult,
  RetentionView,
  TranscriptExportResult,
  TranscriptPrintResult,
} from '../../../shared/ipc/privacy';
import { useFrontdesk } from '../composables/use-frontdesk';
import { useWorkspaceStore } from './workspace';

/** A transport should answer with a Result; one that throws instead is, for the user, unreachable. */
async function settle<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (cause) {
    return fail('transport_unavailable', cause instanceof Error ? cause.message : String(cause));
  }
}

/** A short result shown by `PrivacyToast` (it outlives the dialog or panel that caused it). */
export interface PrivacyNotice {
  id: number;
  /** Says it in the current language (asked again when the language changes while it is shown). */
  text: () => string;
  /** The text names a customer (a file name with their name in it): privacy mode blurs it. */
  private: boolean;
}

export interface TranscriptRange {
  /** Business-timezone dates, both included; null for an open end. */
  from: string | null;
  to: string | null;
}

/**
 * Transcripts, data rights, retention and the audit log (PRODUCT §11, §13): the calls the chat, the contact
 * panel and the Backups & privacy page make. (The store named `privacy` is privacy mode, the screen blur.)
 * It holds no customer data: `auditRevision`, bumped after every action that writes to the audit log from
 * this window, so an open audit view reads its first page again, and the last result to show (`notice`).
 */
export const useDataRightsStore = defineStore('dataRights', () => {
  const frontdesk = useFrontdesk();
  const auditRevision = ref(0);
  const notice = ref<PrivacyNotice | null>(null);
  let noticeId = 0;

  function notify(text: () => string, options: { private?: boolean } = {}): void {
    notice.value = { id: ++noticeId, text, private: options.private ?? false };
  }

  function dismiss(): void {
    notice.value = null;
  }

  // A result names what was exported: it goes when the window locks or the workspace changes.
  const workspace = useWorkspaceStore();
  watch(
    () => (workspace.unlocked ? workspace.open?.id : null),
    () => dismiss(),
  );

  async function audited<T>(run: () => Promise<Result<T>>, wrote: (value: T) => boolean = () => true): Promise<Result<T>> {
    const result = await settle(run);
    if (result.ok && wrote(result.value)) auditRevision.value += 1;
    return result;
  }

  const transcriptRequest = (conversationId: number, locale: ExportLocale, range: TranscriptRange) => ({
    conversationId,
    locale,
    ...(range.from ? { from: range.from } : {}),
    ...(range.to ? { to: range.to } : {}),
  });

  return {
    auditRevision,
    notice,
    notify,
    dismiss,
    exportTranscript: (conversationId: number, locale: ExportLocale, range: TranscriptRange): Promise<Result<TranscriptExportResult>> =>
      audited(() => frontdesk.transcript.export(transcriptRequest(conversationId, locale, range)), (v) => v.saved),
    printTranscript: (conversationId: number, locale: ExportLocale, range: TranscriptRange): Promise<Result<TranscriptPrintResult>> =>
      audited(() => frontdesk.transcript.print(transcriptRequest(conversationId, locale, range))),
    exportContact: (contactId: number, locale: ExportLocale): Promise<Result<ContactExportResult>> =>
      audited(() => frontdesk.privacy['export-contact']({ contactId, locale }), (v) => v.saved),
    previewErasure: (contactId: number): Promise<Result<ErasurePreview>> => settle(() => frontdesk.privacy['erase-preview']({ contactId })),
    erase: (contactId: number, confirmMessages: number): Promise<Result<ErasureSummary>> => audited(() => frontdesk.privacy.erase({ contactId, confirmMessages })),
    retention: (): Promise<Result<RetentionView>> => settle(() => frontdesk.privacy.retention()),
    previewRetention: (months: number): Promise<Result<RetentionCounts>> => settle(() => frontdesk.privacy['retention-preview']({ months })),
    setRetention: (months: number): Promise<Result<RetentionView>> => audited(() => frontdesk.privacy['set-retention']({ months })),
    runRetention: (): Promise<Result<RetentionRunResult>> => audited(() => frontdesk.privacy['run-retention'](), (v) => v.ran),
    auditPage: (before: number | null, limit = 50): Promise<Result<AuditLogPage>> =>
      settle(() => frontdesk.audit.page({ limit, ...(before !== null ? { before } : {}) })),
    verifyAudit: (): Promise<Result<AuditVerification>> => settle(() => frontdesk.audit.verify()),
  };
});
