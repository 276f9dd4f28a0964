/**
 * A conversation, or a date range of it, as one self-contained HTML file (PRODUCT §11): readable anywhere,
 * printable to PDF, with every picture inside it. Produced as a stream of pieces, a page of messages at a
 * time, so a conversation of any length is written in bounded memory (one page, plus one media file while
 * it is embedded).
 *
 * Safety: the archive's text is customers' text. Every value is escaped; the file has no script at all and
 * a Content-Security-Policy that loads nothing but its own data: images and inline styles; the only links
 * are map links built from coordinates (https) and data: links to embedded files.
 */
import { z } from 'zod';
import { fieldIssues } from '../../../shared/ipc';
import { isValidDate } from '../../../shared/rules/business-hours';
import type { Archive, MediaStore } from '../archive';
import { contactDisplayName } from '../archive';
import { instantOfLocal, localDateOf } from '../automation/hours';
import { AppError } from '../errors';
import type { ClockPort } from '../ports';
import { businessTimezone, isKnownTimezone } from './business-timezone';
import { dataUrl, escapeHtml, exportContentSecurityPolicy, formatBytes, isInlineImage, safeMime, transcriptStylesheet } from './html';
import { chosenReplyOf, contactCardsOf, isVoiceNote, locationOf, mapUrl, sentInteractiveOf, templateOf, typeContent, unsupportedTypeOf } from './message-parts';
import { transcriptStore } from './repositories/transcript-store';
import type { TranscriptMessageRow, TranscriptQuotedRow, TranscriptReactionRow } from './repositories/transcript-store';
import { htmlLang, transcriptLocales, transcriptStrings } from './strings';
import type { TranscriptLocale, TranscriptStrings } from './strings';

const localDate = z.string().refine(isValidDate, 'a date as YYYY-MM-DD');

/** What a caller (IPC, the contact export) asks for. Dates are the business timezone's calendar days, both included. */
export const transcriptRequestSchema = z
  .object({
    conversationId: z.number().int().positive(),
    locale: z.enum(transcriptLocales),
    from: localDate.nullish(),
    to: localDate.nullish(),
    /** IANA name; default: the business timezone (business hours), else the computer's. */
    timezone: z.string().min(1).max(64).refine(isKnownTimezone, 'an IANA timezone').nullish(),
    /** Shown in the heading (the workspace's name). */
    businessName: z.string().trim().max(200).nullish(),
  })
  .strict()
  .refine((r) => !r.from || !r.to || r.from <= r.to, { path: ['to'], message: 'on or after from' });

export type TranscriptRequest = z.input<typeof transcriptRequestSchema>;

/** Parses a request at a boundary; a bad one is `invalid_request` naming the fields. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('invalid_request', `The ${what} request is not valid`, fieldIssues(parsed.error.issues));
  return parsed.data;
}

export interface TranscriptDeps {
  archive: Archive;
  /** Null: files are described, not embedded (the media store is not open). */
  media: Pick<MediaStore, 'read'> | null;
  clock: Pick<ClockPort, 'now'>;
}

export interface EmbeddableFile {
  messageId: number;
  mediaId: number;
  hash: string;
  fileName: string | null;
  mime: string | null;
  size: number | null;
}

export interface TranscriptRenderOptions {
  /** Pictures up to this size are shown inline (default 16 MiB). */
  imageLimitBytes?: number;
  /** Other files up to this size are included as data: links (default 2 MiB); larger ones are listed. */
  fileEmbedLimitBytes?: number;
  /** A link for a file kept beside the HTML (the contact bundle's `media/…`), used instead of embedding it. */
  fileHref?: (file: EmbeddableFile) => string | null;
  /** Messages read per query. */
  pageSize?: number;
}

export interface PreparedTranscript {
  conversationId: number;
  timezone: string;
  /** The range as instants: from ≤ timestamp < to (null: open). */
  from: number | null;
  to: number | null;
  /** The range as asked: business-timezone dates, both included (null: open). */
  dates: { from: string | null; to: string | null };
  /** Messages in the range (what the file will show). */
  messageCount: number;
  /** The file, piece by piece. Can be iterated once. */
  pieces(): AsyncGenerator<string>;
  /** Counted while the pieces are produced. */
  readonly written: { messages: number; mediaEmbedded: number };
}

const defaultImageLimit = 16 * 1024 * 1024;
const defaultFileLimit = 2 * 1024 * 1024;
const quoteLength = 300;
const dayMs = 86_400_000;

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + dayMs).toISOString().slice(0, 10);
}

/** A calendar date written out in the locale (the date itself, no zone involved). */
function formatDate(date: string, lang: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang, { timeZone: 'UTC', dateStyle: 'long' }).format(Date.UTC(y, m - 1, d));
}

/** Validates, resolves the conversation and timezone, counts: everything that can fail before a byte is written. */
export function prepareTranscript(deps: TranscriptDeps, input: unknown, options: TranscriptRenderOptions = {}): PreparedTranscript {
  const request = parseRequest(transcriptRequestSchema, input, 'transcript');
  const store = transcriptStore(deps.archive.db);
  const conversation = store.conversation(request.conversationId);
  if (!conversation) throw new AppError('not_found', 'The conversation no longer exists');
  const now = deps.clock.now();
  const timezone = request.timezone ?? businessTimezone(deps.archive, now);
  const from = request.from ? instantOfLocal(`${request.from}T00:00`, timezone) : null;
  const to = request.to ? instantOfLocal(`${nextDate(request.to)}T00:00`, timezone) : null;
  const lo = from ?? Number.MIN_SAFE_INTEGER;
  const hi = to ?? Number.MAX_SAFE_INTEGER;
  const messageCount = store.count(conversation.conversationId, lo, hi);

  const locale: TranscriptLocale = request.locale;
  const t = transcriptStrings(locale);
  const lang = htmlLang(locale);
  const time = new Intl.DateTimeFormat(lang, { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dateTime = new Intl.DateTimeFormat(lang, { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat(lang, { timeZone: timezone, dateStyle: 'full' });
  const imageLimit = options.imageLimitBytes ?? defaultImageLimit;
  const fileLimit = options.fileEmbedLimitBytes ?? defaultFileLimit;
  const pageSize = options.pageSize ?? 200;
  const written = { messages: 0, mediaEmbedded: 0 };

  const customerName =
    conversation.contactId !== null
      ? contactDisplayName({ savedName: conversation.savedName, profileName: conversation.profileName, phone: conversation.phone, username: conversation.username, waId: conversation.waId }) || t.customer
      : t.customer;
  const businessName = request.businessName || t.businessSender;

  function senderOf(row: Pick<TranscriptMessageRow, 'direction' | 'automatic' | 'senderStaffId' | 'staffName'> & Partial<TranscriptMessageRow>): string {
    if (row.direction === 'out') {
      if (row.automatic) return t.automatic[row.automatic];
      if (row.senderStaffId) return row.staffName ?? t.staff;
      return businessName;
    }
    if (row.isGroup === 1) {
      const author = contactDisplayName({
        savedName: row.authorSavedName ?? null,
        profileName: row.authorProfileName ?? null,
        phone: row.authorPhone ?? null,
        username: row.authorUsername ?? null,
        waId: row.authorWaId ?? null,
      });
      return author || t.customer;
    }
    return customerName;
  }

  function reactorOf(r: TranscriptReactionRow): string {
    if (r.reactorContactId === null) return r.staffName ?? businessName;
    return contactDisplayName(r) || t.customer;
  }

  function quoteHtml(row: TranscriptMessageRow, quoted: ReadonlyMap<string, TranscriptQuotedRow>): string {
    if (!row.replyToWamid) return '';
    const q = quoted.get(row.replyToWamid);
    if (!q) return `<blockquote class="quote"><p class="note">${escapeHtml(t.quotedUnavailable)}</p></blockquote>`;
    const who = q.direction === 'out' ? senderOf(q) : customerName;
    let body: string;
    if (q.revokedAt !== null) body = `<p class="note">${escapeHtml(t.deleted)}</p>`;
    else {
      const text = q.text ?? q.caption ?? t.types[q.type] ?? q.type;
      const cut = text.length > quoteLength ? `${text.slice(0, quoteLength)}…` : text;
      body = `<p class="text">${escapeHtml(cut)}</p>`;
    }
    return `<blockquote class="quote"><p class="detail">${escapeHtml(`${t.replyingTo} ${who} · ${dateTime.format(q.timestamp)}`)}</p>${body}</blockquote>`;
  }

  async function mediaHtml(row: TranscriptMessageRow): Promise<string> {
    const kindName = isVoiceNote(row.type, typeContent(row.type, row.payloadJson)) ? t.types.voice! : (t.types[row.type] ?? t.media.file);
    if (row.mediaId === null || row.mediaState === null) return `<p class="note">${escapeHtml(`${kindName}: ${t.media.missing}`)}</p>`;
    const name = row.mediaFileName ?? kindName;
    if (row.mediaState !== 'stored' || !row.mediaHash) {
      const reason = row.mediaState === 'failed' ? t.media.failed : row.mediaState === 'expired' ? t.media.expired : t.media.pending;
      return `<p class="note">${escapeHtml(`${name}: ${reason}`)}</p>`;
    }
    const mime = safeMime(row.mediaMime);
    const sizeText = row.mediaSize !== null ? formatBytes(row.mediaSize, lang) : '';
    const describe = [sizeText, mime].filter(Boolean).join(' · ');
    const picture = (row.type === 'image' || row.type === 'sticker') && isInlineImage(mime);
    const file: EmbeddableFile = { messageId: row.id, mediaId: row.mediaId, hash: row.mediaHash, fileName: row.mediaFileName, mime: row.mediaMime, size: row.mediaSize };
    const linked = picture ? null : (options.fileHref?.(file) ?? null);
    const limit = picture ? imageLimit : fileLimit;
    if (linked === null && (!deps.media || (row.mediaSize !== null && row.mediaSize > limit))) {
      return `<p class="file">${escapeHtml(`${name} (${describe})`)}<br><span class="note">${escapeHtml(t.media.tooLarge)}</span></p>`;
    }
    if (linked !== null) {
      return `<p class="file"><a href="${escapeHtml(linked)}">${escapeHtml(name)}</a> <span class="detail">${escapeHtml(describe)}</span></p>`;
    }
    let bytes: Uint8Array;
    try {
      bytes = await deps.media!.read(row.mediaHash);
    } catch (error) {
      if (error instanceof AppError && error.code === 'archive_damaged') return `<p class="note">${escapeHtml(`${name}: ${t.media.damaged}`)}</p>`;
      throw error;
    }
    if (bytes.length > limit) return `<p class="file">${escapeHtml(`${name} (${describe})`)}<br><span class="note">${escapeHtml(t.media.tooLarge)}</span></p>`;
    written.mediaEmbedded++;
    if (picture) return `<figure><img src="${dataUrl(mime, bytes)}" alt="${escapeHtml(row.caption ?? kindName)}"></figure>`;
    return `<p class="file"><a download="${escapeHtml(name)}" href="${dataUrl(mime, bytes)}">${escapeHtml(`${t.media.download}: ${name}`)}</a> <span class="detail">${escapeHtml(describe)}</span></p>`;
  }

  async function contentHtml(row: TranscriptMessageRow): Promise<string> {
    if (row.revokedAt !== null) return `<p class="note">${escapeHtml(t.deleted)} ${escapeHtml(dateTime.format(row.revokedAt))}</p>`;
    const content = typeContent(row.type, row.payloadJson);
    const text = (value: string | null, cls = 'text') => (value ? `<p class="${cls}">${escapeHtml(value)}</p>` : '');
    switch (row.type) {
      case 'text':
        return text(row.text ?? '');
      case 'image':
      case 'video':
      case 'audio':
      case 'document':
      case 'sticker':
        return `${await mediaHtml(row)}${text(row.caption)}`;
      case 'location': {
        const location = locationOf(content);
        if (!location) break;
        const fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 5 });
        return (
          `<div class="location">${text(location.name ?? t.types.location!)}${text(location.address, 'detail')}` +
          `<p class="detail">${escapeHtml(t.coordinates(fmt.format(location.latitude), fmt.format(location.longitude)))}</p>` +
          `<p class="detail"><a href="${escapeHtml(mapUrl(location))}" rel="noopener noreferrer">${escapeHtml(t.openMap)}</a></p></div>`
        );
      }
      case 'contacts': {
        const cards = contactCardsOf(content);
        if (cards.length === 0) return text(row.text ?? t.types.contacts!);
        return cards
          .map((card) => `<div class="card">${text(card.name ?? t.types.contacts!)}${text(card.org, 'detail')}${card.phones.map((p) => text(p, 'detail')).join('')}${card.emails.map((e) => text(e, 'detail')).join('')}</div>`)
          .join('');
      }
      case 'interactive':
      case 'button': {
        const chosen = chosenReplyOf(row.type, content, row.text);
        if (chosen) return `${text(row.type === 'button' ? t.tapped(chosen.title) : t.chose(chosen.title))}${text(chosen.description, 'detail')}`;
        const sent = sentInteractiveOf(content);
        if (sent) {
          const options = sent.options.length > 0 ? `<ul class="options">${sent.options.map((o) => `<li>${escapeHtml(o)}</li>`).join('')}</ul>` : '';
          return `${text(sent.body ?? row.text)}${options}`;
        }
        return text(row.text ?? t.types[row.type]!);
      }
      case 'template': {
        const template = templateOf(content);
        const heading = `<p class="detail">${escapeHtml(t.template(template?.name ?? '—'))}${template?.language ? ` · ${escapeHtml(template.language)}` : ''}</p>`;
        const body = row.text ? text(row.text) : template && template.parameters.length > 0 ? text(template.parameters.join('\n'), 'detail') : '';
        return `${heading}${body}`;
      }
      case 'system':
        return text(row.text ?? t.types.system!, 'note');
      case 'order':
        return `<p class="detail">${escapeHtml(t.types.order!)}</p>${text(row.text)}`;
      default:
        break;
    }
    const detail = unsupportedTypeOf(content) ?? row.type;
    return `<p class="note">${escapeHtml(t.unsupported(detail))}</p>${text(row.text)}${text(row.caption)}`;
  }

  function statusHtml(row: TranscriptMessageRow): string {
    if (row.direction !== 'out' || row.status === null) return '';
    const label =
      row.status === 'failed' && (row.errorCode !== null || row.errorTitle)
        ? t.failed([row.errorCode, row.errorTitle].filter((v) => v !== null && v !== '').join(' '))
        : (t.statuses[row.status] ?? row.status);
    const at = row.statusAt !== null ? ` · ${dateTime.format(row.statusAt)}` : '';
    return `<p class="status">${escapeHtml(`${label}${at}`)}</p>`;
  }

  function reactionsHtml(list: TranscriptReactionRow[] | undefined): string {
    if (!list || list.length === 0) return '';
    const items = list.map((r) => escapeHtml(`${r.emoji} ${reactorOf(r)}`)).join(' · ');
    return `<p class="reactions" aria-label="${escapeHtml(t.reactions)}">${items}</p>`;
  }

  async function messageHtml(row: TranscriptMessageRow, reactions: ReadonlyMap<string, TranscriptReactionRow[]>, quoted: ReadonlyMap<string, TranscriptQuotedRow>): Promise<string> {
    const classes = ['msg', row.direction === 'out' ? 'out' : 'in'];
    if (row.automatic) classes.push('auto');
    const edited = row.editedAt !== null && row.revokedAt === null ? `<p class="note">${escapeHtml(t.edited(dateTime.format(row.editedAt)))}</p>` : '';
    return (
      `<article class="${classes.join(' ')}" id="m${row.id}" data-type="${escapeHtml(row.type)}">` +
      `<p class="meta"><span class="sender">${escapeHtml(senderOf(row))}</span>` +
      `<time datetime="${new Date(row.timestamp).toISOString()}">${escapeHtml(time.format(row.timestamp))}</time></p>` +
      quoteHtml(row, quoted) +
      (await contentHtml(row)) +
      edited +
      reactionsHtml(row.wamid ? reactions.get(row.wamid) : undefined) +
      statusHtml(row) +
      '</article>\n'
    );
  }

  function headerHtml(): string {
    const title = conversation!.contactId !== null ? t.conversationWith(customerName) : t.groupConversation(conversation!.groupId ?? '');
    const identity = [conversation!.phone ? `+${conversation!.phone}` : null, conversation!.username ? `@${conversation!.username}` : null].filter(Boolean).join(' · ');
    const range =
      request.from && request.to
        ? t.range(formatDate(request.from, lang), formatDate(request.to, lang))
        : request.from
          ? t.rangeFrom(formatDate(request.from, lang))
          : request.to
            ? t.rangeTo(formatDate(request.to, lang))
            : t.allMessages;
    const lines = [
      identity,
      request.businessName ? t.business(request.businessName) : null,
      range,
      t.messageCount(messageCount),
      t.timezone(timezone),
      t.exportedAt(dateTime.format(now)),
    ].filter((line): line is string => Boolean(line));
    return (
      '<!DOCTYPE html>\n' +
      `<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n` +
      `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(exportContentSecurityPolicy)}">\n` +
      '<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      `<title>${escapeHtml(`${t.documentTitle} — ${title}`)}</title>\n<style>${transcriptStylesheet}</style>\n</head>\n<body>\n` +
      `<header class="doc"><h1>${escapeHtml(title)}</h1>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</header>\n<main>\n`
    );
  }

  let started = false;
  async function* pieces(): AsyncGenerator<string> {
    if (started) throw new Error('A prepared transcript is produced once');
    started = true;
    yield headerHtml();
    if (messageCount === 0) yield `<p class="empty">${escapeHtml(t.noMessages)}</p>\n`;
    let after: { timestamp: number; id: number } | null = null;
    let currentDay: string | null = null;
    for (;;) {
      const rows = store.page(conversation!.conversationId, lo, hi, after, pageSize);
      if (rows.length === 0) break;
      const wamids = rows.map((r) => r.wamid).filter((w): w is string => w !== null);
      const reactions = new Map<string, TranscriptReactionRow[]>();
      for (const r of store.reactionsFor(wamids)) {
        const list = reactions.get(r.messageWamid) ?? [];
        list.push(r);
        reactions.set(r.messageWamid, list);
      }
      const quoted = new Map(store.quoted([...new Set(rows.map((r) => r.replyToWamid).filter((w): w is string => w !== null))]).map((q) => [q.wamid, q]));
      for (const row of rows) {
        const dayKey = localDateOf(row.timestamp, timezone);
        if (dayKey !== currentDay) {
          if (currentDay !== null) yield '</section>\n';
          currentDay = dayKey;
          yield `<section class="day" data-date="${dayKey}"><h2 class="day"><span>${escapeHtml(day.format(row.timestamp))}</span></h2>\n`;
        }
        yield await messageHtml(row, reactions, quoted);
        written.messages++;
      }
      const last = rows.at(-1)!;
      after = { timestamp: last.timestamp, id: last.id };
      if (rows.length < pageSize) break;
    }
    if (currentDay !== null) yield '</section>\n';
    yield `</main>\n<footer class="doc"><p>${escapeHtml(t.footer)}</p></footer>\n</body>\n</html>\n`;
  }

  return { conversationId: conversation.conversationId, timezone, from, to, dates: { from: request.from ?? null, to: request.to ?? null }, messageCount, pieces, written };
}

export type { TranscriptLocale, TranscriptStrings };
