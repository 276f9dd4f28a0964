/**
 * Everything about one contact as a bundle the business can hand over (PRODUCT §13: a data-access request):
 * a folder with `contact.json` (contact-export-format.ts), `contact.html` (the transcript of their chat) and
 * `media/` (their files, decrypted). Plaintext by design: the user asked for it, explicitly.
 *
 * Written as `.frontdesk-contact-….partial` in the chosen folder and renamed when complete, so a failure
 * never leaves something that looks like a finished export. Messages are read a page at a time and written
 * as they are read; one media file at a time streams through.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { Archive, MediaStore } from '../archive';
import { contactDisplayName } from '../archive';
import { localDateOf } from '../automation/hours';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import { businessTimezone, parseRequest, prepareTranscript, requireFolder, transcriptLocales, writeFileAtomically } from '../transcript';
import { escapeHtml, exportContentSecurityPolicy } from '../transcript/html';
import type { AuditService } from './audit';
import { hashing, safeFileName } from './bundle-files';
import { contactExportFormat, contactExportHeaderSchema, contactExportVersion, exportedConversationSchema, exportedFileSchema, exportedMessageSchema } from './contact-export-format';
import type { ContactExportHeader, ExportedFile, ExportedMessage } from './contact-export-format';
import { parseBody } from './inbox-redaction';
import { privacyStore } from './repositories/privacy-store';
import type { ExportMessageRow, ReactionRow } from './repositories/privacy-store';

export const contactExportRequestSchema = z
  .object({
    contactId: z.number().int().positive(),
    /** The folder the bundle goes in (the dialogs port's answer). */
    destinationDir: z.string().min(1).max(4096).refine(isAbsolute, 'an absolute path'),
    locale: z.enum(transcriptLocales),
    businessName: z.string().trim().max(200).nullish(),
  })
  .strict();

export type ContactExportRequest = z.input<typeof contactExportRequestSchema>;

export interface ContactExportDeps {
  archive: Archive;
  /** Null: the bundle lists the files but cannot include them. */
  media: Pick<MediaStore, 'read' | 'createReadStream'> | null;
  audit: AuditService;
  clock: Pick<ClockPort, 'now'>;
  logger: Logger;
}

export interface ContactExportResult {
  /** The bundle folder. */
  path: string;
  messages: number;
  mediaFiles: number;
  /** Bytes of every file in the bundle. */
  bytes: number;
}

const isoOf = (t: number) => new Date(t).toISOString();
const isoOrNull = (t: number | null) => (t === null ? null : isoOf(t));
const pageSize = 200;

function senderOf(row: ExportMessageRow): ExportedMessage['sender'] {
  if (row.direction === 'in') return { kind: 'customer', staffId: null, staffName: null, automatic: null };
  if (row.automatic) return { kind: 'automatic', staffId: null, staffName: null, automatic: row.automatic };
  if (row.senderStaffId) return { kind: 'staff', staffId: row.senderStaffId, staffName: row.staffName, automatic: null };
  return { kind: 'business', staffId: null, staffName: null, automatic: null };
}

function parsedContent(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/** Stop / resume events for the identities, from the raw `user_preferences` webhooks kept in the inbox. */
function preferenceEvents(bodies: ReadonlyArray<{ receivedAt: number; body: Buffer }>, identities: ReadonlySet<string>): ContactExportHeader['marketing']['events'] {
  const events: ContactExportHeader['marketing']['events'] = [];
  const seen = new Set<string>();
  for (const row of bodies) {
    const body = parseBody(row.body) as { entry?: Array<{ changes?: Array<{ field?: unknown; value?: { user_preferences?: unknown } }> }> } | null;
    for (const entry of Array.isArray(body?.entry) ? body.entry : []) {
      for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
        if (change?.field !== 'user_preferences' || !Array.isArray(change.value?.user_preferences)) continue;
        for (const p of change.value.user_preferences as Array<Record<string, unknown>>) {
          const who = [p.wa_id, p.user_id].filter((v): v is string => typeof v === 'string');
          const seconds = Number(p.timestamp);
          if (!who.some((v) => identities.has(v)) || !Number.isFinite(seconds)) continue;
          const event = {
            category: typeof p.category === 'string' ? p.category : 'unknown',
            value: typeof p.value === 'string' ? p.value : 'unknown',
            at: isoOf(seconds * 1000),
            detail: typeof p.detail === 'string' ? p.detail : null,
            receivedAt: isoOf(row.receivedAt),
          };
          // Meta repeats webhooks: one event per (category, value, time).
          const key = `${event.category}\u0000${event.value}\u0000${event.at}`;
          if (seen.has(key)) continue;
          seen.add(key);
          events.push(event);
        }
      }
    }
  }
  return events.sort((a, b) => a.at.localeCompare(b.at));
}

async function freeName(dir: string, stem: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const candidate = join(dir, n === 1 ? stem : `${stem}-${n}`);
    if (!(await stat(candidate).catch(() => null))) return candidate;
  }
  throw new AppError('invalid_request', 'The chosen folder already holds too many exports of this contact', [{ path: 'destinationDir', message: 'too many exports' }]);
}

export function createContactExport(deps: ContactExportDeps) {
  const { archive } = deps;
  const store = privacyStore(archive.db);

  function header(contactId: number, now: number, timezone: string) {
    const contact = archive.contacts.get(contactId);
    if (!contact) throw new AppError('not_found', 'The contact no longer exists');
    const history = store.identityHistory(contactId);
    const identities = new Set(
      [contact.waId, contact.userId, contact.phone, ...history.filter((h) => h.kind !== 'username').flatMap((h) => [h.oldValue, h.newValue])].filter(
        (v): v is string => typeof v === 'string' && v !== '',
      ),
    );
    const direct = archive.conversations.forContact(contactId) ?? null;
    const value: ContactExportHeader = {
      format: contactExportFormat,
      version: contactExportVersion,
      exportedAt: isoOf(now),
      timezone,
      contact: {
        id: contact.id,
        displayName: contactDisplayName(contact),
        savedName: contact.savedName,
        profileName: contact.profileName,
        username: contact.username,
        identities: { waId: contact.waId, userId: contact.userId, parentUserId: contact.parentUserId, phone: contact.phone },
        identityHistory: history.map((h) => ({ kind: h.kind, oldValue: h.oldValue, newValue: h.newValue, reason: h.reason, at: isoOf(h.at) })),
        notes: contact.notes,
        blocked: contact.blocked,
        createdAt: isoOf(contact.createdAt),
        updatedAt: isoOf(contact.updatedAt),
      },
      marketing: {
        optedOut: contact.marketingOptOut,
        decidedAt: isoOrNull(contact.marketingOptOutAt),
        events: preferenceEvents(store.preferenceBodies([...identities].filter((v) => v.length >= 6)), identities),
      },
      conversations: direct
        ? [
            {
              id: direct.id,
              kind: 'direct',
              groupId: null,
              createdAt: isoOf(direct.createdAt),
              archived: direct.archived,
              pinned: direct.pinnedAt !== null,
              mutedUntil: isoOrNull(direct.mutedUntil),
              draft: direct.draft,
              labels: store.conversationLabels(direct.id).map((l) => ({ name: l.name, colour: l.colour, assignedAt: isoOf(l.assignedAt) })),
            },
          ]
        : [],
      reactionsByContact: store
        .reactionsBy(contactId)
        .map((r) => ({ messageWamid: r.messageWamid, emoji: r.emoji!, at: isoOf(r.timestamp) })),
      automaticReplies: store.autoReplies(contactId).map((a) => ({ kind: a.kind, at: isoOf(a.at), inboundWamid: a.inboundWamid, messageId: a.messageId })),
    };
    return { value, contact, direct };
  }

  async function run(request: unknown): Promise<ContactExportResult> {
    const input = parseRequest(contactExportRequestSchema, request, 'contact export');
    await requireFolder(input.destinationDir, 'destinationDir');
    const now = deps.clock.now();
    const timezone = businessTimezone(archive, now);
    const { value: head, contact, direct } = header(input.contactId, now, timezone);

    const partial = join(input.destinationDir, `.frontdesk-contact-${contact.id}-${randomBytes(6).toString('hex')}.partial`);
    await mkdir(join(partial, 'media'), { recursive: true });
    try {
      let bytes = 0;
      const files = new Map<string, ExportedFile>();
      const usedNames = new Set<string>();
      const groupConversations = new Map<number, string>();
      let messages = 0;

      async function fileFor(row: ExportMessageRow): Promise<string | null> {
        if (!deps.media || row.mediaState !== 'stored' || !row.mediaHash) return null;
        const known = files.get(row.mediaHash);
        if (known) {
          known.messageIds.push(row.id);
          return known.path;
        }
        let name = safeFileName(row.mediaFileName, `${row.type}-${row.id}`, row.mediaMime);
        name = `${row.id}-${name}`;
        while (usedNames.has(name.toLowerCase())) name = `${row.id}-${randomBytes(2).toString('hex')}-${name.slice(String(row.id).length + 1)}`;
        usedNames.add(name.toLowerCase());
        const sink = { sha256: '', size: 0 };
        try {
          const written = await writeFileAtomically(join(partial, 'media', name), hashing(deps.media.createReadStream(row.mediaHash), sink));
          bytes += written.bytes;
        } catch (error) {
          if (error instanceof AppError && error.code === 'archive_damaged') {
            deps.logger.warn('A damaged media file was left out of a contact export', { messageId: row.id });
            return null;
          }
          throw error;
        }
        const file = exportedFileSchema.parse({ path: `media/${name}`, sha256: sink.sha256, size: sink.size, mime: row.mediaMime, messageIds: [row.id] });
        files.set(row.mediaHash, file);
        return file.path;
      }

      async function exportedMessage(row: ExportMessageRow, labels: Map<number, ExportedMessage['labels']>, reactions: Map<string, ReactionRow[]>, events: Map<string, ExportedMessage['statusEvents']>): Promise<ExportedMessage> {
        const kind = direct && row.conversationId === direct.id ? 'direct' : 'group';
        if (kind === 'group' && row.groupId) groupConversations.set(row.conversationId, row.groupId);
        const file = await fileFor(row);
        return exportedMessageSchema.parse({
          id: row.id,
          wamid: row.wamid,
          clientId: row.clientId,
          conversationId: row.conversationId,
          conversationKind: kind,
          direction: row.direction,
          type: row.type,
          timestamp: isoOf(row.timestamp),
          receivedAt: isoOf(row.receivedAt),
          sender: senderOf(row),
          text: row.text,
          caption: row.caption,
          content: parsedContent(row.payloadJson),
          replyToWamid: row.replyToWamid,
          status: row.status,
          statusAt: isoOrNull(row.statusAt),
          error: row.errorCode !== null || row.errorTitle !== null ? { code: row.errorCode, title: row.errorTitle } : null,
          readAt: isoOrNull(row.readAt),
          editedAt: isoOrNull(row.editedAt),
          revokedAt: isoOrNull(row.revokedAt),
          starred: row.starred === 1,
          labels: labels.get(row.id) ?? [],
          reactions: (row.wamid ? (reactions.get(row.wamid) ?? []) : []).map((r) => ({
            emoji: r.emoji!,
            by: r.reactorContactId === null ? 'business' : r.reactorContactId === contact.id ? 'customer' : 'other',
            staffId: r.reactorContactId === null ? r.senderStaffId : null,
            at: isoOf(r.timestamp),
          })),
          statusEvents: row.wamid ? (events.get(row.wamid) ?? []) : [],
          media:
            row.mediaId === null
              ? null
              : { state: row.mediaState ?? 'pending', mime: row.mediaMime, size: row.mediaSize, fileName: row.mediaFileName, metaSha256: row.mediaSha256, file },
        });
      }

      async function* messagePieces(): AsyncGenerator<string> {
        let after: { timestamp: number; id: number } | null = null;
        let first = true;
        for (;;) {
          const rows = store.contactMessages(direct?.id ?? 0, contact.id, after, pageSize);
          if (rows.length === 0) break;
          const wamids = rows.map((r) => r.wamid).filter((w): w is string => w !== null);
          const labels = new Map<number, ExportedMessage['labels']>();
          for (const l of store.messageLabels(rows.map((r) => r.id))) {
            const list = labels.get(l.messageId) ?? [];
            list.push({ name: l.name, assignedAt: isoOf(l.assignedAt) });
            labels.set(l.messageId, list);
          }
          const reactions = new Map<string, ReactionRow[]>();
          for (const r of store.reactionsOn(wamids)) reactions.set(r.messageWamid, [...(reactions.get(r.messageWamid) ?? []), r]);
          const events = new Map<string, ExportedMessage['statusEvents']>();
          for (const e of store.statusEvents(wamids)) {
            events.set(e.wamid, [...(events.get(e.wamid) ?? []), { status: e.status, at: isoOf(e.timestamp), errorCode: e.errorCode, errorTitle: e.errorTitle }]);
          }
          for (const row of rows) {
            const message = await exportedMessage(row, labels, reactions, events);
            yield `${first ? '' : ',\n'}    ${JSON.stringify(message)}`;
            first = false;
            messages++;
          }
          const last = rows.at(-1)!;
          after = { timestamp: last.timestamp, id: last.id };
          if (rows.length < pageSize) break;
        }
      }

      async function* jsonPieces(): AsyncGenerator<string> {
        const checked = contactExportHeaderSchema.parse(head);
        const open = JSON.stringify(checked, null, 2);
        // The header's closing brace is held back: the message and file lists follow it.
        yield `${open.slice(0, open.lastIndexOf('}')).trimEnd()},\n  "messages": [\n`;
        yield* messagePieces();
        // Groups the contact wrote in are listed after their messages were read.
        const groups = [...groupConversations].map(([id, groupId]) =>
          exportedConversationSchema.parse({ id, kind: 'group', groupId, createdAt: null, archived: null, pinned: null, mutedUntil: null, draft: null, labels: [] }),
        );
        yield `\n  ],\n  "groupConversations": ${JSON.stringify(groups)},\n  "files": ${JSON.stringify([...files.values()], null, 2).replace(/\n/g, '\n  ')}\n}\n`;
      }

      bytes += (await writeFileAtomically(join(partial, 'contact.json'), jsonPieces())).bytes;

      const html = direct
        ? prepareTranscript(
            { archive, media: deps.media, clock: deps.clock },
            { conversationId: direct.id, locale: input.locale, timezone, businessName: input.businessName ?? null },
            // Other files are already in media/: the page links to them instead of carrying a second copy.
            {
              fileHref: (file) => {
                const path = files.get(file.hash)?.path;
                return path ? `media/${encodeURIComponent(path.slice('media/'.length))}` : null;
              },
            },
          ).pieces()
        : emptyPage(contactDisplayName(contact), input.locale);
      bytes += (await writeFileAtomically(join(partial, 'contact.html'), html)).bytes;

      const date = localDateOf(now, timezone);
      const final = await freeName(input.destinationDir, `frontdesk-contact-${contact.id}-${date}`);
      await rename(partial, final);
      deps.audit.contactExported(contact.id, { messages, mediaFiles: files.size, bytes });
      deps.logger.info('A contact was exported', { messages, mediaFiles: files.size });
      return { path: final, messages, mediaFiles: files.size, bytes };
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw error;
    }
  }

  return { run };
}

/** The page for a contact with no chat of their own (only group posts, or nothing). */
async function* emptyPage(name: string, locale: (typeof transcriptLocales)[number]): AsyncGenerator<string> {
  const empty = locale === 'zh-CN' ? '没有一对一对话。' : 'No one-to-one conversation.';
  yield `<!DOCTYPE html>\n<html lang="${locale}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(exportContentSecurityPolicy)}"><title>${escapeHtml(name)}</title></head><body><h1>${escapeHtml(name)}</h1><p>${escapeHtml(empty)}</p></body></html>\n`;
}

export type ContactExport = ReturnType<typeof createContactExport>;
