/**
 * Quick replies (PRODUCT §7): create, edit, delete, reorder, import and export as JSON, and sending one into a
 * chat through the outbox — its attachment as media with the text as caption — counting each use.
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { QuickReplyImportReport, QuickReplyView, quickReplyChannels } from '../../../shared/ipc/quick-replies';
import { quickReplyFileFormat } from '../../../shared/ipc/quick-replies';
import { mediaKindOf } from '../../../shared/rules/media-limits';
import { maxQuickReplyText, normalizeKeywords, problemMessage, quickReplyProblems } from '../../../shared/rules/quick-replies';
import type { Archive, MediaStore } from '../archive';
import { windowState } from '../cloud/inbound/window';
import { windowClosed } from '../cloud/outbox';
import type { ChannelHandlers } from '../dispatcher';
import { AppError } from '../errors';
import type { FeatureDeps } from '../feature-deps';
import { checkAttachment, mediaRequest } from '../inbox/attachments';
import { requireConversation } from '../inbox/conversation-handlers';
import { currentStaffId } from '../inbox/staff';
import { quickRepliesRepository } from './quick-replies-repository';
import type { QuickReplyRow } from './quick-replies-repository';

type QuickReplyChannel = keyof typeof quickReplyChannels;

/** One row of an imported file; attachments travel as base64 (as export writes them). */
const importRowSchema = z.object({
  shortcut: z.string(),
  text: z.string(),
  keywords: z.array(z.string()).optional(),
  attachment: z.object({ fileName: z.string().min(1).max(240), mime: z.string().min(3).max(120), base64: z.string() }).nullable().optional(),
});

const importFileSchema = z.union([z.object({ quickReplies: z.array(z.unknown()) }).loose(), z.array(z.unknown())]);

function fieldsError(fields: Array<{ path: string; message: string }>): AppError {
  return new AppError('invalid_request', `The quick reply is not valid: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`, fields);
}

export function createQuickReplyHandlers(deps: FeatureDeps): Pick<ChannelHandlers, QuickReplyChannel> {
  const changed = (ids: number[]) => deps.events.emit('quick-replies:changed', { ids });

  function view(archive: Archive, row: QuickReplyRow): QuickReplyView {
    const media = row.attachmentMediaId !== null ? archive.media.get(row.attachmentMediaId) : undefined;
    return {
      id: row.id,
      shortcut: row.shortcut,
      text: row.text,
      keywords: row.keywords,
      attachment: media ? { mediaId: media.id, fileName: media.fileName ?? 'file', mime: media.mime ?? 'application/octet-stream', size: media.size ?? 0 } : null,
      usageCount: row.usageCount,
      lastUsedAt: row.lastUsedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  function viewOf(archive: Archive, id: number): QuickReplyView {
    const repo = quickRepliesRepository(archive);
    const row = repo.get(id);
    if (!row) throw new AppError('not_found', 'This quick reply no longer exists');
    return view(archive, row);
  }

  function listOf(archive: Archive): QuickReplyView[] {
    return quickRepliesRepository(archive)
      .list()
      .map((row) => view(archive, row));
  }

  function requireMedia(): MediaStore {
    const store = deps.media();
    if (!store) throw new AppError('not_connected', 'The media store is not open');
    return store;
  }

  /** Checked as it will be sent (the text is its caption), stored encrypted, with a media row; returns the row's id. */
  async function storeAttachment(archive: Archive, file: { fileName: string; mime: string; bytes: Uint8Array }, caption: string): Promise<number> {
    const checked = checkAttachment(file, caption);
    const stored = await requireMedia().put(checked.bytes);
    return archive.media.create({ state: 'stored', mime: checked.mime, size: stored.size, fileName: checked.fileName, contentHash: stored.hash }).id;
  }

  /** Field problems of a quick reply, uniqueness included (another row with the same shortcut, any case). */
  function problems(archive: Archive, draft: { shortcut: string; text: string; keywords: string[] }, id: number | undefined) {
    const repo = quickRepliesRepository(archive);
    return quickReplyProblems(draft, (shortcut) => {
      const other = repo.byShortcut(shortcut);
      return other !== undefined && other.id !== id;
    }).map((p) => ({ path: p.path, message: problemMessage(p) }));
  }

  return {
    'quick-replies:list': () => listOf(deps.archive()),

    'quick-replies:save': async (request) => {
      const archive = deps.archive();
      const repo = quickRepliesRepository(archive);
      const existing = request.id !== undefined ? repo.get(request.id) : undefined;
      if (request.id !== undefined && !existing) throw new AppError('not_found', 'This quick reply no longer exists');
      const draft = { shortcut: request.shortcut, text: request.text, keywords: normalizeKeywords(request.keywords) };
      const wrong = problems(archive, draft, request.id);
      if (wrong.length > 0) throw fieldsError(wrong);
      let attachmentMediaId = existing?.attachmentMediaId ?? null;
      if (request.attachment === null) attachmentMediaId = null;
      else if (request.attachment) attachmentMediaId = await storeAttachment(archive, request.attachment, draft.text);
      const now = deps.clock.now();
      const fields = { ...draft, attachmentMediaId };
      // The archive may have changed while the file was stored: the UNIQUE constraint has the last word.
      const id = archive.transaction(() => {
        const again = problems(archive, draft, request.id);
        if (again.length > 0) throw fieldsError(again);
        if (existing) {
          repo.update(existing.id, fields, now);
          return existing.id;
        }
        return repo.insert(fields, now);
      });
      changed([id]);
      return viewOf(archive, id);
    },

    'quick-replies:delete': ({ id }) => {
      const archive = deps.archive();
      if (!quickRepliesRepository(archive).delete(id)) throw new AppError('not_found', 'This quick reply no longer exists');
      changed([id]);
    },

    'quick-replies:reorder': ({ ids }) => {
      const archive = deps.archive();
      const repo = quickRepliesRepository(archive);
      const known = repo.list().map((r) => r.id);
      const given = new Set(ids);
      if (given.size !== ids.length || ids.length !== known.length || known.some((id) => !given.has(id))) {
        throw new AppError('invalid_request', 'Give every quick reply once, in the new order', [{ path: 'ids', message: 'every quick reply once' }]);
      }
      repo.reorder(ids);
      changed(ids);
      return listOf(archive);
    },

    'quick-replies:import': async ({ bytes }) => {
      const archive = deps.archive();
      const repo = quickRepliesRepository(archive);
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
      } catch {
        throw new AppError('invalid_request', 'The file is not JSON', [{ path: 'bytes', message: 'not a JSON file' }]);
      }
      const file = importFileSchema.safeParse(parsed);
      if (!file.success) throw new AppError('invalid_request', 'The file holds no list of quick replies', [{ path: 'bytes', message: 'no list of quick replies' }]);
      const rows = Array.isArray(file.data) ? file.data : file.data.quickReplies;
      const report: QuickReplyImportReport = { added: 0, updated: 0, refused: [] };
      const touched: number[] = [];
      for (const [index, raw] of rows.entries()) {
        const row = importRowSchema.safeParse(raw);
        const shortcutGiven = typeof (raw as { shortcut?: unknown } | null)?.shortcut === 'string' ? (raw as { shortcut: string }).shortcut : '';
        const refuse = (fields: Array<{ path: string; message: string }>) =>
          report.refused.push({ row: index + 1, shortcut: shortcutGiven, reason: fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields });
        if (!row.success) {
          refuse(row.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
          continue;
        }
        const draft = { shortcut: row.data.shortcut.trim(), text: row.data.text, keywords: normalizeKeywords(row.data.keywords ?? []) };
        const existing = repo.byShortcut(draft.shortcut);
        // Two rows of one file with the same shortcut: the later one updates the earlier.
        const wrong = problems(archive, draft, existing?.id);
        if (wrong.length > 0) {
          refuse(wrong);
          continue;
        }
        let attachmentMediaId = existing?.attachmentMediaId ?? null;
        if (row.data.attachment === null) attachmentMediaId = null;
        else if (row.data.attachment) {
          try {
            const { fileName, mime, base64 } = row.data.attachment;
            attachmentMediaId = await storeAttachment(archive, { fileName, mime, bytes: new Uint8Array(Buffer.from(base64, 'base64')) }, draft.text);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            refuse([{ path: 'attachment', message: error.message }]);
            continue;
          }
        }
        const now = deps.clock.now();
        if (existing) {
          repo.update(existing.id, { ...draft, attachmentMediaId }, now);
          touched.push(existing.id);
          report.updated++;
        } else {
          touched.push(repo.insert({ ...draft, attachmentMediaId }, now));
          report.added++;
        }
      }
      if (touched.length > 0) changed(touched);
      return report;
    },

    'quick-replies:export': async () => {
      // Fails fast when locked, before asking where.
      deps.archive();
      const path = await deps.dialogs.chooseSaveFile({ title: 'Export quick replies', defaultName: 'quick-replies.json' });
      if (path === null) return { saved: false, count: 0 };
      // The workspace may have locked while the dialog was open: ask again.
      const archive = deps.archive();
      const rows = quickRepliesRepository(archive).list();
      const quickReplies = [];
      for (const row of rows) {
        const media = row.attachmentMediaId !== null ? archive.media.get(row.attachmentMediaId) : undefined;
        let attachment: { fileName: string; mime: string; base64: string } | undefined;
        if (media?.contentHash) {
          const bytes = await requireMedia().read(media.contentHash);
          attachment = { fileName: media.fileName ?? 'file', mime: media.mime ?? 'application/octet-stream', base64: Buffer.from(bytes).toString('base64') };
        }
        quickReplies.push({ shortcut: row.shortcut, text: row.text, keywords: row.keywords, ...(attachment ? { attachment } : {}) });
      }
      await writeFile(path, `${JSON.stringify({ format: quickReplyFileFormat, version: 1, quickReplies }, null, 2)}\n`, 'utf8');
      archive.audit.append('quick-replies.exported', null, { count: rows.length });
      return { saved: true, count: rows.length };
    },

    'quick-replies:send': ({ conversationId, quickReplyId, text }) => {
      const archive = deps.archive();
      const conversation = requireConversation(archive, conversationId);
      const repo = quickRepliesRepository(archive);
      const reply = repo.get(quickReplyId);
      if (!reply) throw new AppError('not_found', 'This quick reply no longer exists');
      const state = windowState(conversation, deps.clock.now());
      if (state.state === 'read_only') throw new AppError('read_only', 'Group chats are read-only here');
      if (state.state === 'closed') throw new AppError('window_closed', `${windowClosed.code}: ${windowClosed.sentence}`, undefined, undefined, windowClosed.code);
      const outbox = deps.outbox();
      if (!outbox || !deps.connection.view().configured) throw new AppError('not_connected', 'Connect a WhatsApp number first');
      const senderStaffId = currentStaffId(archive);
      const media = reply.attachmentMediaId !== null ? archive.media.get(reply.attachmentMediaId) : undefined;
      let messageId: number;
      if (media) {
        const kind = mediaKindOf(media.mime ?? '');
        if (media.state !== 'stored' || !media.contentHash || !kind) throw new AppError('attachment_refused', 'The attached file is no longer stored', [{ path: 'attachment', message: 'not stored' }]);
        if (text.length > maxQuickReplyText) throw fieldsError([{ path: 'text', message: `at most ${maxQuickReplyText} characters` }]);
        if (text !== '' && (kind === 'audio' || kind === 'sticker')) throw fieldsError([{ path: 'attachment', message: `A ${kind} cannot carry a caption on WhatsApp` }]);
        // A media row of its own for the message (the same encrypted file): erasing the message leaves the quick reply's.
        const row = archive.media.create({ state: 'stored', mime: media.mime, size: media.size, fileName: media.fileName, contentHash: media.contentHash });
        const request = mediaRequest({ category: kind, mime: media.mime!, fileName: media.fileName ?? 'file', bytes: new Uint8Array() }, row.id, text || undefined, null);
        messageId = outbox.queue({ conversationId, request, senderStaffId, mediaId: row.id });
      } else {
        if (text === '') throw fieldsError([{ path: 'text', message: 'required' }]);
        messageId = outbox.queue({ conversationId, request: { type: 'text', text: { body: text } }, senderStaffId });
      }
      repo.recordUse(reply.id, deps.clock.now());
      changed([reply.id]);
      return { messageId };
    },

    'quick-replies:used': ({ quickReplyId }) => {
      const archive = deps.archive();
      const repo = quickRepliesRepository(archive);
      if (!repo.get(quickReplyId)) throw new AppError('not_found', 'This quick reply no longer exists');
      repo.recordUse(quickReplyId, deps.clock.now());
      changed([quickReplyId]);
    },
  };
}
