/**
 * The audit log service (PRODUCT §13): one place that records sensitive actions, and the chain check and
 * pages the audit view shows. Entries go to the archive's hash-chained, append-only audit_log table
 * (archive/repositories/audit-log.ts); backups and restores are recorded by the backup module through the
 * same repository.
 *
 * Contacts are named only by opaque ids (`contact:42`, `conversation:7`: row ids, which mean nothing outside
 * this archive and outlive an erasure without pointing at anyone). Details are numbers, booleans, times and
 * a few fixed words, each action's shape checked by its own schema, so no name, number or message text can
 * slip into the log.
 */
import { z } from 'zod';
import type { Archive } from '../archive';
import { auditEntryHash } from '../archive/repositories/audit-log';
import type { AuditEntry } from '../archive/repositories/audit-log';
import { AppError } from '../errors';
import type { SettingsPort } from '../ports';
import { createUnlockFailureLedger } from '../vault/unlock-throttle';
import type { TranscriptAuditPort } from '../transcript';
import { parseRequest } from '../transcript';

const count = z.number().int().nonnegative();
const instant = z.number().int();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Setting names and areas: code words, never user data (a name or a number cannot start with a lower-case letter and pass the whole pattern). */
const settingName = z.string().regex(/^[a-z][a-zA-Z0-9_.-]{0,63}$/);

/** Every action this service writes, with the exact shape of its details. */
export const auditDetailSchemas = {
  'settings.changed': z.object({ area: settingName, keys: z.string().regex(/^[a-z][a-zA-Z0-9_.,-]{0,511}$/) }).strict(),
  'privacy.transcript-exported': z.object({ messages: count, mediaEmbedded: count, from: localDate.nullable(), to: localDate.nullable() }).strict(),
  'privacy.contact-exported': z.object({ messages: count, mediaFiles: count, bytes: count }).strict(),
  'privacy.contact-erased': z
    .object({ messages: count, mediaFiles: count, conversations: count, reactions: count, statusEvents: count, outbox: count, inboxBodies: count, tombstones: count })
    .strict(),
  'privacy.retention-configured': z.object({ months: count }).strict(),
  'privacy.retention-run': z.object({ months: count, cutoff: instant, messages: count, mediaFiles: count, webhookBodies: count }).strict(),
  'privacy.inbox-scrubbed': z.object({ inboxBodies: count }).strict(),
  'vault.unlock-failed': z.object({ count: z.number().int().positive(), firstAt: instant, lastAt: instant }).strict(),
} as const;

export type AuditAction = keyof typeof auditDetailSchemas;
export type AuditDetails<A extends AuditAction> = z.infer<(typeof auditDetailSchemas)[A]>;

/** `contact:<row id>` or `conversation:<row id>`. */
export const auditSubjectSchema = z.string().regex(/^(contact|conversation):[1-9][0-9]{0,9}$/);

export const contactSubject = (contactId: number) => subject('contact', contactId);
export const conversationSubject = (conversationId: number) => subject('conversation', conversationId);

function subject(kind: 'contact' | 'conversation', id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('internal', `Not a ${kind} id`);
  return `${kind}:${id}`;
}

export type AuditBreak =
  /** The entry's content no longer matches its hash: it was edited. */
  | 'entry_altered'
  /** Entries before this one are gone (a gap in the numbers). */
  | 'entries_missing'
  /** The entry before this one was rewritten with a new hash: the link from this one no longer matches. */
  | 'link_broken'
  /** Entries after the newest one are gone (the sequence remembers numbers the table no longer has). */
  | 'entries_missing_at_end';

export interface AuditChainReport {
  ok: boolean;
  /** Entries read before the check stopped (all of them when ok). */
  entries: number;
  /** The seq where the chain breaks (for `entries_missing_at_end`: the first missing number). */
  brokenAt: number | null;
  reason: AuditBreak | null;
  /** The last entry still proven by the chain. */
  lastGoodSeq: number | null;
}

export interface AuditEntryView {
  seq: number;
  at: number;
  action: string;
  subject: string | null;
  details: AuditEntry['details'];
  hash: string;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass as `before` for the next (older) page; null at the start of the log. */
  next: number | null;
}

export const auditPageRequestSchema = z
  .object({ before: z.number().int().positive().nullish(), limit: z.number().int().min(1).max(200).optional() })
  .strict();

export interface AuditService extends TranscriptAuditPort {
  /** Settings changed: which area and the names of the keys, never their values. */
  settingsChanged(area: string, keys: readonly string[]): AuditEntry;
  contactExported(contactId: number, facts: AuditDetails<'privacy.contact-exported'>): AuditEntry;
  contactErased(contactId: number, facts: AuditDetails<'privacy.contact-erased'>): AuditEntry;
  retentionConfigured(months: number): AuditEntry;
  retentionRun(facts: AuditDetails<'privacy.retention-run'>): AuditEntry;
  inboxScrubbed(facts: AuditDetails<'privacy.inbox-scrubbed'>): AuditEntry;
  /**
   * At a successful unlock: the wrong attempts counted in the settings store while the archive could not be
   * written become one entry, then the count is cleared. Null when there were none. Safe to repeat (a crash
   * between the entry and the clearing does not write the entry twice).
   */
  recordUnlockFailures(workspaceId: string): Promise<AuditEntry | null>;
  /** Whether the chain holds, and where and how it breaks. */
  verify(): AuditChainReport;
  /** Newest first. Input is validated (it comes from the view). */
  page(request?: unknown): AuditPage;
}

export interface AuditServiceDeps {
  archive: Pick<Archive, 'audit'>;
  /** The settings store (outside the archive), where unlock failures wait while it is locked or closed. */
  settings: SettingsPort;
}

const recentWindow = 50;

export function createAuditService(deps: AuditServiceDeps): AuditService {
  const { audit } = deps.archive;
  const ledger = createUnlockFailureLedger(deps.settings);

  function record<A extends AuditAction>(action: A, subjectId: string | null, details: AuditDetails<A>): AuditEntry {
    const checked = auditDetailSchemas[action].safeParse(details);
    if (!checked.success) throw new AppError('internal', `Audit details for ${action} do not have their documented shape`);
    if (subjectId !== null && !auditSubjectSchema.safeParse(subjectId).success) throw new AppError('internal', 'An audit subject must be an opaque id');
    return audit.append(action, subjectId, checked.data as AuditEntry['details']);
  }

  return {
    settingsChanged(area, keys) {
      return record('settings.changed', null, { area, keys: [...keys].sort().join(',') });
    },
    transcriptExported(conversationId, facts) {
      record('privacy.transcript-exported', conversationSubject(conversationId), facts);
    },
    contactExported: (contactId, facts) => record('privacy.contact-exported', contactSubject(contactId), facts),
    contactErased: (contactId, facts) => record('privacy.contact-erased', contactSubject(contactId), facts),
    retentionConfigured: (months) => record('privacy.retention-configured', null, { months }),
    retentionRun: (facts) => record('privacy.retention-run', null, facts),
    inboxScrubbed: (facts) => record('privacy.inbox-scrubbed', null, facts),

    async recordUnlockFailures(workspaceId) {
      const pending = await ledger.read(workspaceId);
      if (!pending) return null;
      const details = { count: pending.count, firstAt: pending.firstAt, lastAt: pending.lastAt };
      const already = audit
        .page({ limit: recentWindow })
        .find((e) => e.action === 'vault.unlock-failed' && e.details.count === details.count && e.details.firstAt === details.firstAt && e.details.lastAt === details.lastAt);
      const entry = already ?? record('vault.unlock-failed', null, details);
      await ledger.clear(workspaceId, pending);
      return entry;
    },

    verify() {
      const result = audit.verify();
      if (result.ok || result.brokenAt === null) return { ok: true, entries: result.entries, brokenAt: null, reason: null, lastGoodSeq: audit.page({ limit: 1 })[0]?.seq ?? null };
      const at = result.brokenAt;
      let lastGoodSeq = audit.previous(at)?.seq ?? null;
      const entry = audit.get(at);
      let reason: AuditBreak;
      if (!entry) reason = 'entries_missing_at_end';
      else {
        const { hash, ...rest } = entry;
        if (auditEntryHash(rest) !== hash) reason = 'entry_altered';
        else if (at !== (lastGoodSeq ?? 0) + 1) reason = 'entries_missing';
        else {
          // This entry is intact and numbered in turn: its predecessor was rewritten (and rehashed) after it.
          reason = 'link_broken';
          lastGoodSeq = lastGoodSeq === null ? null : (audit.previous(lastGoodSeq)?.seq ?? null);
        }
      }
      return { ok: false, entries: result.entries, brokenAt: at, reason, lastGoodSeq };
    },

    page(request = {}) {
      const { before = null, limit = 50 } = parseRequest(auditPageRequestSchema, request, 'audit log page');
      const rows = audit.page({ before, limit: limit + 1 });
      const more = rows.length > limit;
      if (more) rows.length = limit;
      return {
        entries: rows.map((e) => ({ seq: e.seq, at: e.at, action: e.action, subject: e.subject, details: e.details, hash: e.hash })),
        next: more ? rows.at(-1)!.seq : null,
      };
    },
  };
}
