/**
 * The inbound processor (DESIGN: Messages in and out): turns raw webhook bodies from the durable inbox into
 * contacts, conversations, messages, reactions, statuses, template updates and health notices.
 *
 * Idempotent and order-free: Meta delivers at least once and in any order (REFERENCE §1.4), so every write
 * is keyed (a message by wamid, a status by wamid + status + time, a reaction by message + reactor) and
 * every state that can move is moved by Meta's own timestamps, never by arrival: the same events, repeated
 * or shuffled, leave the same archive. What arrives before the thing it refers to (a status before its
 * message, an edit before the original) is kept and applied when that thing appears.
 *
 * Announcements (new message, status, window, health) are collected during a batch and emitted only after
 * it commits.
 */
import type { Archive } from '../archive/connection';
import type { WebhookInboxRepository } from '../archive/repositories/webhook-inbox';
import type { StatusEvent } from '../archive/repositories/status-events';
import type { Conversation, Message } from '../archive/types';
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import { hasIdentity, isTombstoned, resolveContact } from './inbound/contacts';
import type { IdentityHint, ResolvedContact } from './inbound/contacts';
import type { InboundEvent, InboundEventPayloads, InboundEventSink } from './inbound/events';
import { createHealthStore } from './inbound/health';
import { contentOf, messageContent } from './inbound/message-content';
import { windowState } from './inbound/window';
import type { WindowState } from './inbound/window';
import { isKnownMessage, knownStatusValues, parseWebhookBody } from './webhook-schemas';
import type {
  InboundMessage,
  KnownInboundMessage,
  KnownStatusValue,
  MessageStatusEvent,
  MessagesValue,
  ParsedChange,
  UnknownChange,
  UserPreferencesValue,
  WebhookContact,
} from './webhook-schemas';

export { windowState, serviceWindowMs } from './inbound/window';
export type { WindowState } from './inbound/window';
export type { InboundEvent, InboundEventName, InboundEventPayloads, InboundEventSink } from './inbound/events';
export { readInboundHealth } from './inbound/health';
export type { InboundHealth } from './inbound/health';

/** A media file to fetch from Meta into the media store (its row exists, state `pending`). */
export interface MediaJob {
  mediaId: number;
  messageId: number;
  metaMediaId: string;
  mime: string | null;
  sha256: string | null;
  /** Meta's download URL when the webhook carries one (being rolled out); else resolve `metaMediaId`. */
  url: string | null;
}

export type InboxPort = Pick<WebhookInboxRepository, 'nextUnprocessed' | 'markProcessed' | 'markFailed'>;

export interface InboundProcessorOptions {
  archive: Archive;
  clock: Pick<ClockPort, 'now' | 'setTimer'>;
  logger: Logger;
  events: InboundEventSink;
  /** Called after commit for each media file of a new message. */
  onMedia?: (job: MediaJob) => void;
  /** The workspace's phone number id: `messages` and `user_preferences` changes for another number are skipped. */
  phoneNumberId?: () => string | null | undefined;
  /** The inbox to drain; the archive's own by default. */
  inbox?: InboxPort;
}

export interface ProcessCounts {
  /** New messages stored. */
  messages: number;
  /** Events already applied (a repeated webhook). */
  duplicates: number;
  /** New status events stored, applied or not. */
  statuses: number;
  /** New status events whose message is not stored (yet). */
  orphanStatuses: number;
  reactions: number;
  edits: number;
  revokes: number;
  preferences: number;
  templates: number;
  health: number;
  /** Fields or values Frontdesk does not act on (kept in the inbox). */
  unhandled: number;
  /** Events for an erased contact or another phone number. */
  skipped: number;
}

export type ProcessErrorCode = 'invalid_json' | 'invalid_webhook' | 'processing_failed';

export type ProcessResult = { ok: true; counts: ProcessCounts } | { ok: false; error: { code: ProcessErrorCode; message: string } };

export interface DrainResult {
  processed: number;
  failed: number;
  /** The batch was full: more rows may be waiting. */
  more: boolean;
}

export interface InboundProcessor {
  /** Applies one raw body (tests, and the drain). Bad input is a result, never an exception. */
  processBody(body: Buffer | string, receivedAt: number): ProcessResult;
  /** Processes up to `limit` unprocessed inbox rows, marking each processed or failed with its reason. */
  drain(limit?: number): DrainResult;
  /** Drains until the inbox is empty. */
  drainAll(batchSize?: number): DrainResult;
  /** Applies waiting events to a message the outbox just stored or gave a wamid. Returns how many applied. */
  applyPendingFor(messageId: number): number;
  /** Applies every waiting event whose message is stored now. Returns how many applied. */
  applyPendingStatuses(limit?: number): number;
  windowState(conversation: Pick<Conversation, 'lastInboundAt' | 'groupId'>, now?: number): WindowState;
  /** Cancels the window-closing timers. */
  dispose(): void;
}

interface Effects {
  events: InboundEvent[];
  media: MediaJob[];
  /** Conversations whose last inbound time moved, with the new time. */
  windows: Map<number, number>;
  counts: ProcessCounts;
}

const zeroCounts = (): ProcessCounts => ({
  messages: 0, duplicates: 0, statuses: 0, orphanStatuses: 0, reactions: 0, edits: 0, revokes: 0, preferences: 0, templates: 0,
  health: 0, unhandled: 0, skipped: 0,
});

const newEffects = (): Effects => ({ events: [], media: [], windows: new Map(), counts: zeroCounts() });

/** Meta's Unix seconds (string or number) as archive milliseconds. */
const secondsToMs = (s: string | number) => Number(s) * 1000;

/** Webhooks name languages `en-US`; the API and the templates table use `en_US`. */
const apiLanguage = (language: string) => language.replace(/-/g, '_');

const knownStatuses: ReadonlySet<string> = new Set(knownStatusValues);
const isKnownStatus = (s: string): s is KnownStatusValue => knownStatuses.has(s);

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

const orphanSweepIntervalMs = 60_000;

export function createInboundProcessor(options: InboundProcessorOptions): InboundProcessor {
  const { archive, clock, logger } = options;
  const health = createHealthStore(archive.settings);
  const windowTimers = new Map<number, () => void>();
  let lastSweepAt = Number.NEGATIVE_INFINITY;

  const push = <N extends keyof InboundEventPayloads>(fx: Effects, name: N, payload: InboundEventPayloads[N]) =>
    fx.events.push({ name, payload } as InboundEvent);

  function isOurNumber(phoneNumberId: string): boolean {
    const ours = options.phoneNumberId?.();
    return !ours || ours === phoneNumberId;
  }

  function noteContact(resolved: ResolvedContact, fx: Effects) {
    if (resolved.mergedIds.length > 0) push(fx, 'contacts:changed', { contactId: resolved.contactId, mergedIds: resolved.mergedIds, reason: 'merged' });
  }

  // -------------------------------------------------------------------------------------------------------
  // Messages

  function matchContact(m: InboundMessage, contacts: readonly WebhookContact[]): WebhookContact | undefined {
    const exact = contacts.find(
      (c) => (m.from_user_id !== undefined && c.user_id === m.from_user_id) || (m.from !== undefined && c.wa_id === m.from),
    );
    return exact ?? (contacts.length === 1 ? contacts[0] : undefined);
  }

  function applyMessage(m: InboundMessage, contacts: readonly WebhookContact[], used: Set<WebhookContact>, receivedAt: number, fx: Effects) {
    const at = secondsToMs(m.timestamp);
    const entry = matchContact(m, contacts);
    if (entry) used.add(entry);
    const hint: IdentityHint = {
      userId: m.from_user_id ?? entry?.user_id,
      parentUserId: m.from_parent_user_id ?? entry?.parent_user_id,
      waId: m.from ?? entry?.wa_id,
      profileName: entry?.profile?.name,
      username: entry?.profile?.username,
    };
    if (archive.tombstones.has('wamid', m.id) || isTombstoned(archive, hint)) {
      fx.counts.skipped++;
      return;
    }

    if (isKnownMessage(m)) {
      if (m.type === 'reaction') return applyReaction(m, hint, at, fx);
      if (m.type === 'edit' || m.type === 'revoke') return recordMessageChange(m, at, receivedAt, fx);
    }

    if (archive.messages.getByWamid(m.id)) {
      fx.counts.duplicates++;
      return;
    }
    const groupId = m.group_id ?? null;
    const resolved = resolveContact(archive, hint, groupId === null && m.type !== 'system' ? { kind: 'newest', at } : { kind: 'if_new' });
    noteContact(resolved, fx);
    const contactId = isKnownMessage(m) && m.type === 'system' ? applySystem(m, resolved.contactId, fx) : resolved.contactId;

    const conversation =
      groupId !== null ? archive.conversations.getOrCreateForGroup(groupId).conversation : archive.conversations.getOrCreateForContact(contactId).conversation;
    const content = messageContent(m);
    const media = content.media
      ? archive.media.create({
          state: 'pending',
          mime: content.media.mime,
          sha256: content.media.sha256,
          metaMediaId: content.media.metaMediaId,
          fileName: content.media.fileName,
        })
      : null;
    const { id, inserted } = archive.messages.insert({
      conversationId: conversation.id,
      wamid: m.id,
      direction: 'in',
      type: m.type,
      text: content.text,
      caption: content.caption,
      payload: m,
      replyToWamid: m.context?.id ?? null,
      errorCode: content.errorCode,
      errorTitle: content.errorTitle,
      timestamp: at,
      receivedAt,
      groupId,
      authorContactId: groupId !== null ? contactId : null,
      mediaId: media?.id ?? null,
    });
    if (!inserted) throw new Error('A message checked as new was already stored');
    fx.counts.messages++;
    if (media && content.media) {
      fx.media.push({ mediaId: media.id, messageId: id, metaMediaId: content.media.metaMediaId, mime: media.mime, sha256: media.sha256, url: content.media.url });
    }
    push(fx, 'messages:received', { conversationId: conversation.id, messageId: id, contactId: groupId === null ? contactId : null, groupId, type: m.type, timestamp: at });

    const lastInboundAt = archive.conversations.get(conversation.id)?.lastInboundAt ?? null;
    if (groupId === null && lastInboundAt !== null && lastInboundAt !== conversation.lastInboundAt) fx.windows.set(conversation.id, lastInboundAt);

    // An edit or revoke that came first.
    for (const event of archive.statusEvents.pendingFor({ wamid: m.id, clientId: null })) applyEventToMessage(event, archive.messages.get(id)!, fx);
  }

  /** `user_changed_number` (REFERENCE §2.2): the contact moves to the new number (and BSUID), merging any record already holding it. */
  function applySystem(m: Extract<KnownInboundMessage, { type: 'system' }>, contactId: number, fx: Effects): number {
    const system = m.system;
    if (system.type !== 'user_changed_number') return contactId;
    const merged: number[] = [];
    if (system.wa_id) {
      merged.push(...archive.contacts.changeIdentity(contactId, 'wa_id', system.wa_id, 'number_change').mergedIds);
      merged.push(...archive.contacts.changeIdentity(contactId, 'phone', system.wa_id, 'number_change').mergedIds);
    }
    if (system.user_id) merged.push(...archive.contacts.changeIdentity(contactId, 'user_id', system.user_id, 'number_change').mergedIds);
    if (system.wa_id || system.user_id) push(fx, 'contacts:changed', { contactId, mergedIds: merged, reason: 'number_change' });
    return contactId;
  }

  function applyReaction(m: Extract<KnownInboundMessage, { type: 'reaction' }>, hint: IdentityHint, at: number, fx: Effects) {
    const target = m.reaction.message_id;
    if (archive.tombstones.has('wamid', target)) {
      fx.counts.skipped++;
      return;
    }
    const reactor = resolveContact(archive, hint, { kind: 'if_new' });
    noteContact(reactor, fx);
    const emoji = m.reaction.emoji || null;
    if (!archive.reactions.apply({ messageWamid: target, reactorContactId: reactor.contactId, emoji, timestamp: at, wamid: m.id })) {
      fx.counts.duplicates++;
      return;
    }
    fx.counts.reactions++;
    const message = archive.messages.getByWamid(target);
    const current = archive.reactions.get(target, reactor.contactId);
    push(fx, 'messages:reaction', {
      messageWamid: target,
      messageId: message?.id ?? null,
      conversationId: message?.conversationId ?? null,
      reactorContactId: reactor.contactId,
      emoji: current?.emoji ?? null,
    });
  }

  /** Edits and revokes are kept like statuses, keyed by the message they change, and applied when it is stored. */
  function recordMessageChange(m: Extract<KnownInboundMessage, { type: 'edit' | 'revoke' }>, at: number, receivedAt: number, fx: Effects) {
    const target = m.type === 'edit' ? m.edit.original_message_id : m.revoke.original_message_id;
    if (archive.tombstones.has('wamid', target)) {
      fx.counts.skipped++;
      return;
    }
    const { event, inserted } = archive.statusEvents.record({ wamid: target, status: m.type, timestamp: at, raw: m, receivedAt });
    if (!inserted) {
      fx.counts.duplicates++;
      return;
    }
    if (m.type === 'edit') fx.counts.edits++;
    else fx.counts.revokes++;
    const message = archive.messages.getByWamid(target);
    if (message) applyEventToMessage(event, message, fx);
  }

  // -------------------------------------------------------------------------------------------------------
  // Events applied to a stored message: delivery statuses, edits, revokes

  function applyEventToMessage(event: StatusEvent, message: Message, fx: Effects) {
    if (event.status === 'edit') applyEdit(event, message, fx);
    else if (event.status === 'revoke') applyRevoke(event, message, fx);
    else applyDelivery(event, message, fx);
    archive.statusEvents.markApplied(event.id);
  }

  function applyEdit(event: StatusEvent, message: Message, fx: Effects) {
    const raw = JSON.parse(event.rawJson) as { edit?: { message?: Record<string, unknown> & { type?: unknown } } };
    const inner = raw.edit?.message;
    const type = typeof inner?.type === 'string' ? inner.type : '';
    const edited = message.revokedAt !== null ? { text: null, caption: null } : contentOf(type, inner?.[type]);
    // The newest edit wins; equal times fall to a fixed rule. A deleted message keeps no content either way.
    if (message.editedAt !== null) {
      if (event.timestamp < message.editedAt) return;
      if (event.timestamp === message.editedAt && `${edited.text ?? ''}\u0000${edited.caption ?? ''}` <= `${message.text ?? ''}\u0000${message.caption ?? ''}`) return;
    }
    archive.messages.applyEdit(message.id, { text: edited.text, caption: edited.caption, editedAt: event.timestamp });
    push(fx, 'messages:changed', { conversationId: message.conversationId, messageId: message.id, change: 'edit' });
  }

  function applyRevoke(event: StatusEvent, message: Message, fx: Effects) {
    if (archive.statusEvents.applyRevoke(message.id, event.timestamp)) {
      push(fx, 'messages:changed', { conversationId: message.conversationId, messageId: message.id, change: 'revoke' });
    }
  }

  function applyDelivery(event: StatusEvent, message: Message, fx: Effects) {
    // Found by client id but accepted under another wamid: this status is about another send.
    if (message.direction !== 'out' || (message.wamid !== null && message.wamid !== event.wamid)) return;
    const failed = event.status === 'failed';
    // Status first: a message the outbox marked failed without a wamid still ranks below any status from Meta.
    const changed =
      isKnownStatus(event.status) &&
      archive.statusEvents.applyDeliveryStatus(message.id, {
        status: event.status,
        at: event.timestamp,
        errorCode: failed ? event.errorCode : null,
        errorTitle: failed ? event.errorTitle : null,
      });
    // The send whose response was lost: the status names its wamid.
    if (message.wamid === null) archive.statusEvents.assignWamid(message.id, event.wamid);
    if (!changed) return;
    const now = archive.messages.get(message.id)!;
    push(fx, 'messages:status', {
      conversationId: now.conversationId,
      messageId: now.id,
      clientId: now.clientId,
      status: now.status!,
      statusAt: now.statusAt,
      errorCode: now.errorCode,
      errorTitle: now.errorTitle,
    });
  }

  function applyStatus(s: MessageStatusEvent, receivedAt: number, fx: Effects) {
    if (archive.tombstones.has('wamid', s.id) || isTombstoned(archive, { userId: s.recipient_user_id, waId: s.recipient_id })) {
      fx.counts.skipped++;
      return;
    }
    const error = s.errors?.[0];
    const { event, inserted } = archive.statusEvents.record({
      wamid: s.id,
      status: s.status,
      timestamp: secondsToMs(s.timestamp),
      clientId: s.biz_opaque_callback_data ?? null,
      errorCode: error?.code ?? null,
      errorTitle: error ? (error.title ?? error.message ?? null) : null,
      raw: s,
      receivedAt,
    });
    if (!inserted) {
      fx.counts.duplicates++;
      return;
    }
    fx.counts.statuses++;
    const message = archive.messages.getByWamid(s.id) ?? (event.clientId ? archive.messages.getByClientId(event.clientId) : undefined);
    if (!message) {
      fx.counts.orphanStatuses++;
      return;
    }
    applyEventToMessage(event, message, fx);
  }

  /** Contacts in a value that no message names (status webhooks): their identities are linked, a new one named. */
  function linkContact(c: WebhookContact, fx: Effects) {
    const hint: IdentityHint = { userId: c.user_id, parentUserId: c.parent_user_id, waId: c.wa_id, profileName: c.profile?.name, username: c.profile?.username };
    if (!hasIdentity(hint) || isTombstoned(archive, hint)) return;
    noteContact(resolveContact(archive, hint, { kind: 'if_new' }), fx);
  }

  function applyMessagesValue(value: MessagesValue, at: number, receivedAt: number, fx: Effects) {
    if (!isOurNumber(value.metadata.phone_number_id)) {
      fx.counts.skipped += (value.messages?.length ?? 0) + (value.statuses?.length ?? 0);
      return;
    }
    const contacts = value.contacts ?? [];
    const used = new Set<WebhookContact>();
    for (const m of value.messages ?? []) applyMessage(m, contacts, used, receivedAt, fx);
    for (const c of contacts) if (!used.has(c)) linkContact(c, fx);
    for (const s of value.statuses ?? []) applyStatus(s, receivedAt, fx);
    for (const e of value.errors ?? []) {
      const notice = { code: e.code, title: e.title ?? e.message ?? null, details: e.error_data?.details ?? null, at };
      if (health.webhookError(notice)) push(fx, 'health:webhook-error', notice);
      fx.counts.health++;
    }
  }

  function applyUserPreferences(value: UserPreferencesValue, fx: Effects) {
    if (!isOurNumber(value.metadata.phone_number_id)) {
      fx.counts.skipped += value.user_preferences.length;
      return;
    }
    const contacts = value.contacts ?? [];
    for (const p of value.user_preferences) {
      if (p.category !== 'marketing_messages' || (p.value !== 'stop' && p.value !== 'resume')) {
        logger.info('A user preference Frontdesk does not act on', { category: p.category, value: p.value });
        fx.counts.unhandled++;
        continue;
      }
      const entry = contacts.find((c) => (p.user_id !== undefined && c.user_id === p.user_id) || (p.wa_id !== undefined && c.wa_id === p.wa_id));
      const hint: IdentityHint = {
        userId: p.user_id ?? entry?.user_id,
        parentUserId: p.parent_user_id ?? entry?.parent_user_id,
        waId: p.wa_id ?? entry?.wa_id,
        profileName: entry?.profile?.name,
        username: entry?.profile?.username,
      };
      if (!hasIdentity(hint) || isTombstoned(archive, hint)) {
        fx.counts.skipped++;
        continue;
      }
      // The contact is created if needed: the opt-out must be known before anyone sends them marketing.
      const contact = resolveContact(archive, hint, { kind: 'if_new' });
      noteContact(contact, fx);
      fx.counts.preferences++;
      const optedOut = p.value === 'stop';
      if (archive.contactPreferences.applyMarketingPreference(contact.contactId, { optedOut, at: secondsToMs(p.timestamp) })) {
        push(fx, 'contacts:changed', { contactId: contact.contactId, mergedIds: [], reason: 'marketing_preference' });
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Templates, quality, alerts

  function applyTemplate(update: Parameters<Archive['templates']['applyWebhook']>[0], fx: Effects) {
    fx.counts.templates++;
    const { template, changed } = archive.templates.applyWebhook(update);
    if (!changed) return;
    push(fx, 'templates:changed', {
      templateId: template.id,
      metaId: template.metaId,
      name: template.name,
      language: template.language,
      status: template.status,
      quality: template.quality,
      category: template.category,
    });
  }

  function applyChange(change: ParsedChange | UnknownChange, receivedAt: number, fx: Effects) {
    // Account and template webhooks carry Meta's time on the entry; `messages` carry it per item.
    const at = change.time !== null ? secondsToMs(change.time) : receivedAt;
    if (!change.known) {
      logger.info('A webhook field Frontdesk does not act on', { field: change.field });
      fx.counts.unhandled++;
      if (health.unhandledField(change.field, at)) push(fx, 'health:unhandled-field', { field: change.field, at });
      return;
    }
    switch (change.field) {
      case 'messages':
        return applyMessagesValue(change.value, at, receivedAt, fx);
      case 'user_preferences':
        return applyUserPreferences(change.value, fx);
      case 'message_template_status_update': {
        const v = change.value;
        const reason = v.reason && v.reason !== 'NONE' ? v.reason : null;
        return applyTemplate(
          {
            metaId: String(v.message_template_id),
            name: v.message_template_name,
            language: apiLanguage(v.message_template_language),
            at,
            status: { value: v.event, rejectionReason: v.event === 'REJECTED' ? (v.rejection_info?.reason ?? reason) : null },
            category: v.message_template_category,
          },
          fx,
        );
      }
      case 'message_template_quality_update': {
        const v = change.value;
        return applyTemplate(
          { metaId: String(v.message_template_id), name: v.message_template_name, language: apiLanguage(v.message_template_language), at, quality: v.new_quality_score },
          fx,
        );
      }
      case 'template_category_update': {
        const v = change.value;
        const metaId = String(v.message_template_id);
        const language = apiLanguage(v.message_template_language);
        // Impending or done, `new_category` is the category the template has now.
        applyTemplate({ metaId, name: v.message_template_name, language, at, category: v.new_category }, fx);
        if (v.correct_category) {
          const notice = {
            metaId,
            name: v.message_template_name,
            language,
            currentCategory: v.new_category,
            correctCategory: v.correct_category,
            effectiveAt: v.category_update_timestamp !== undefined ? secondsToMs(v.category_update_timestamp) : null,
            at,
          };
          if (health.templateCategoryNotice(notice)) push(fx, 'health:template-category', notice);
        }
        return;
      }
      case 'phone_number_quality_update': {
        const v = change.value;
        fx.counts.health++;
        const notice = {
          displayPhoneNumber: v.display_phone_number,
          event: v.event,
          currentLimit: v.current_limit ?? null,
          oldLimit: v.old_limit ?? null,
          maxDailyConversations: v.max_daily_conversations_per_business !== undefined ? String(v.max_daily_conversations_per_business) : null,
          at,
        };
        if (health.phoneQuality(notice)) push(fx, 'health:phone-quality', notice);
        return;
      }
      case 'account_alerts': {
        const v = change.value;
        fx.counts.health++;
        const notice = {
          entityType: v.entity_type,
          entityId: v.entity_id,
          type: v.alert_info.alert_type,
          severity: v.alert_info.alert_severity,
          status: v.alert_info.alert_status,
          description: v.alert_info.alert_description ?? null,
          at,
        };
        if (health.accountAlert(notice)) push(fx, 'health:account-alert', notice);
        return;
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // After commit

  function emit(event: InboundEvent) {
    try {
      options.events(event);
    } catch (error) {
      logger.error('An inbound event listener failed', { event: event.name, error: describeError(error) });
    }
  }

  function scheduleWindow(conversationId: number, lastInboundAt: number) {
    const state = windowState({ lastInboundAt, groupId: null }, clock.now());
    if (state.state !== 'open') return;
    windowTimers.get(conversationId)?.();
    emit({ name: 'conversations:window', payload: { conversationId, open: true, closesAt: state.closesAt } });
    windowTimers.set(
      conversationId,
      clock.setTimer(state.remainingMs, () => {
        windowTimers.delete(conversationId);
        emit({ name: 'conversations:window', payload: { conversationId, open: false, closesAt: state.closesAt } });
      }),
    );
  }

  function flush(fx: Effects) {
    for (const event of fx.events) emit(event);
    for (const [conversationId, lastInboundAt] of fx.windows) scheduleWindow(conversationId, lastInboundAt);
    if (options.onMedia) {
      for (const job of fx.media) {
        try {
          options.onMedia(job);
        } catch (error) {
          logger.error('The media download could not be queued', { mediaId: job.mediaId, error: describeError(error) });
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Entry points

  function processBody(body: Buffer | string, receivedAt: number): ProcessResult {
    const parsed = parseWebhookBody(body);
    if (!parsed.ok) {
      logger.warn('A webhook body was refused', { code: parsed.code });
      return { ok: false, error: { code: parsed.code, message: parsed.reason } };
    }
    const fx = newEffects();
    try {
      archive.transaction(() => {
        for (const change of parsed.changes) applyChange(change, receivedAt, fx);
      });
    } catch (error) {
      logger.error('A webhook body could not be applied', { error: describeError(error) });
      return { ok: false, error: { code: 'processing_failed', message: describeError(error) } };
    }
    flush(fx);
    return { ok: true, counts: fx.counts };
  }

  function inbox(): InboxPort {
    return options.inbox ?? archive.webhookInbox;
  }

  const failure = (result: Extract<ReturnType<typeof parseWebhookBody>, { ok: false }>) => `${result.code}: ${result.reason}`;

  /** The slow path after a batch failed: each row in its own transaction, so only the bad one fails. */
  function drainOneByOne(rows: Array<{ id: number; receivedAt: number; parsed: ReturnType<typeof parseWebhookBody> }>): DrainResult {
    let processed = 0;
    let failed = 0;
    for (const row of rows) {
      const parsed = row.parsed;
      if (!parsed.ok) {
        archive.transaction(() => inbox().markFailed(row.id, failure(parsed), clock.now()));
        failed++;
        continue;
      }
      const fx = newEffects();
      try {
        archive.transaction(() => {
          for (const change of parsed.changes) applyChange(change, row.receivedAt, fx);
          inbox().markProcessed(row.id, clock.now());
        });
        processed++;
        flush(fx);
      } catch (error) {
        logger.error('A webhook body could not be applied', { inboxId: row.id, error: describeError(error) });
        archive.transaction(() => inbox().markFailed(row.id, `processing_failed: ${describeError(error)}`, clock.now()));
        failed++;
      }
    }
    return { processed, failed, more: false };
  }

  function drain(limit = 200): DrainResult {
    const rows = inbox()
      .nextUnprocessed(limit)
      .map((row) => ({ id: row.id, receivedAt: row.receivedAt, parsed: parseWebhookBody(row.body) }));
    if (rows.length === 0) return { processed: 0, failed: 0, more: false };
    const more = rows.length >= limit;
    const fx = newEffects();
    let processed = 0;
    let failed = 0;
    try {
      archive.transaction(() => {
        for (const row of rows) {
          const parsed = row.parsed;
          if (!parsed.ok) {
            logger.warn('A webhook body was refused', { inboxId: row.id, code: parsed.code });
            inbox().markFailed(row.id, failure(parsed), clock.now());
            failed++;
            continue;
          }
          for (const change of parsed.changes) applyChange(change, row.receivedAt, fx);
          inbox().markProcessed(row.id, clock.now());
          processed++;
        }
      });
    } catch (error) {
      // The whole batch rolled back (nothing of it was announced): find the body that fails, alone.
      logger.warn('A webhook batch failed; retrying its bodies one by one', { rows: rows.length, error: describeError(error) });
      return { ...drainOneByOne(rows), more };
    }
    flush(fx);
    if (clock.now() - lastSweepAt >= orphanSweepIntervalMs) applyPendingStatuses();
    return { processed, failed, more };
  }

  function drainAll(batchSize = 200): DrainResult {
    const total: DrainResult = { processed: 0, failed: 0, more: false };
    for (;;) {
      const r = drain(batchSize);
      total.processed += r.processed;
      total.failed += r.failed;
      if (!r.more || r.processed + r.failed === 0) return total;
    }
  }

  function applyPendingFor(messageId: number): number {
    const fx = newEffects();
    let applied = 0;
    archive.transaction(() => {
      const message = archive.messages.get(messageId);
      if (!message) return;
      for (const event of archive.statusEvents.pendingFor({ wamid: message.wamid, clientId: message.clientId })) {
        applyEventToMessage(event, archive.messages.get(messageId)!, fx);
        applied++;
      }
    });
    flush(fx);
    return applied;
  }

  function applyPendingStatuses(limit = 5000): number {
    lastSweepAt = clock.now();
    const fx = newEffects();
    let applied = 0;
    archive.transaction(() => {
      for (const { event, messageId } of archive.statusEvents.pendingWithStoredMessage(limit)) {
        applyEventToMessage(event, archive.messages.get(messageId)!, fx);
        applied++;
      }
    });
    flush(fx);
    return applied;
  }

  return {
    processBody,
    drain,
    drainAll,
    applyPendingFor,
    applyPendingStatuses,
    windowState: (conversation, now = clock.now()) => windowState(conversation, now),
    dispose() {
      for (const cancel of windowTimers.values()) cancel();
      windowTimers.clear();
    },
  };
}
