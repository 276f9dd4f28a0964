/**
 * The outbox (issue 4 item 5; DESIGN: Messages in and out; PRODUCT §2 composer, §14; REFERENCE §4–§6).
 *
 * - `queue` writes the message (status `pending`) and its outbox row in one transaction, before any network
 *   call; the row carries a random client id, which the sender puts in `biz_opaque_callback_data` so status
 *   webhooks can name the message even when the send's response was lost.
 * - One sender loop picks the oldest queued message of each conversation (a customer gets messages in the
 *   order staff wrote them) and honours, before every request: the 24-hour window (a free-form message to a
 *   closed window fails with 131047 without a network call; templates go through), the per-number throughput
 *   (80 mps) and the pair rate limit (1 per 6 s per customer, bursts as Meta allows).
 * - Outcomes: accepted → `sent` with the wamid. Throttled (130429, 4, 80007) → the whole number pauses with
 *   backoff and its rate halves; pair-rate (131056) → that customer waits 4^X s; transient (5xx, …) → this
 *   message retries with jittered exponential backoff, up to `maxServerAttempts`; permanent → `failed` with
 *   Meta's code and reason, never retried (190 also pauses the number until `resume`, so the rest of the
 *   queue is not burnt). No connection → the message stays queued, the number goes offline and one request
 *   at a time probes with backoff, without limit, until the network is back.
 * - A request that may have been accepted (a timeout after sending; a crash mid-send) is never sent again
 *   automatically: it is `unknown` until a status webhook with its client id reconciles it (`reconcile`), and
 *   `not_confirmed` after 10 minutes without one. Staff may then `resend` it: a new message, new client id.
 *
 * Every state change is announced as `outbox:state`.
 */
import { randomUUID } from 'node:crypto';
import type { Archive } from '../archive/connection';
import type { OutboxEntry, OutboxPendingCounts } from '../archive/repositories/outbox';
import type { AutomaticKind } from '../archive/types';
import { AppError } from '../errors';
import { createLogger } from '../logger';
import type { ClockPort, LoggerPort } from '../ports';
import { backoffMs, pairRetryMs } from './outbox-backoff';
import { createPairLimiter, createThroughputLimiter } from './outbox-limits';

/** A Cloud API send body (REFERENCE §4) without `messaging_product` defaults or `biz_opaque_callback_data`. */
export interface OutboundRequest {
  type: string;
  to?: string;
  recipient_type?: 'individual' | 'group';
  context?: { message_id: string };
  [field: string]: unknown;
}

/**
 * What the outbox needs of the Graph client: one send. It must put `clientId` in `biz_opaque_callback_data`,
 * resolve with Meta's wamid once Meta accepted, and reject with a `SendFailure`-shaped error.
 */
export interface MessageSender<R = OutboundRequest> {
  send(request: R, clientId: string): Promise<{ wamid: string }>;
}

/** The fields of the Graph client's error that the outbox reads. */
export interface SendFailure {
  retryable: boolean;
  kind: 'auth' | 'throttle' | 'window_closed' | 'permission' | 'invalid' | 'network' | 'timeout' | 'server' | (string & {});
  /** Meta's error code, when Meta answered. */
  code?: number;
  /** True when the request may have reached Meta and been accepted (e.g. a timeout after the body was sent). */
  maybeDelivered?: boolean;
  /** Meta's reason (or the transport's). */
  message: string;
  /** The sentence for staff (REFERENCE §5), when the client has one. */
  staffMessage?: string;
}

/** A message's send state as the composer shows it (PRODUCT §2). */
export type OutboxMessageState = 'queued' | 'sending' | 'sent' | 'unknown' | 'not_confirmed' | 'failed' | 'cancelled';

export interface OutboxEventError {
  /** Meta's code (131047, 130429, …); null for transport failures and cancellations. */
  code: number | null;
  /** In words, for staff. */
  message: string;
}

export interface OutboxStateEvent {
  messageId: number;
  conversationId: number;
  state: OutboxMessageState;
  /** Why it failed, or why it is queued again (throttled, offline, retrying). */
  error?: OutboxEventError;
}

export interface OutboxEventSink {
  emit(event: 'outbox:state', payload: OutboxStateEvent): void;
}

export interface OutboxLimits {
  /** Per-number throughput cap (REFERENCE §6: 80 by default, 20 for coexistence numbers). */
  messagesPerSecond: number;
  /** Floor of the rate after repeated throughput errors. */
  minMessagesPerSecond: number;
  pairIntervalMs: number;
  /** Messages to one customer that may go at once, borrowing future quota (REFERENCE §6: 45 in 6 s). */
  pairBurst: number;
  pairBurstWindowMs: number;
  /** 131056 retries wait 4^X s; X stops growing here. */
  pairMaxExponent: number;
  /** Transient errors (5xx, 131000, …): per-message backoff. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Requests per message that end in a transient error before it is marked failed. */
  maxServerAttempts: number;
  /** Throughput errors (130429, 4, 80007): the whole number pauses. */
  throttleBaseMs: number;
  throttleCapMs: number;
  /** No connection: the probe's backoff (no attempt limit). */
  offlineBaseMs: number;
  offlineCapMs: number;
  /** Requests in flight at once (the throughput cap still applies). */
  maxInFlight: number;
  /** An unknown send becomes not_confirmed after this long without a status (PRODUCT §14: 10 minutes). */
  confirmAfterMs: number;
  /** The customer service window (REFERENCE §6). */
  windowMs: number;
}

export const defaultOutboxLimits: OutboxLimits = {
  messagesPerSecond: 80,
  minMessagesPerSecond: 1,
  pairIntervalMs: 6000,
  pairBurst: 45,
  pairBurstWindowMs: 6000,
  pairMaxExponent: 4,
  retryBaseMs: 1000,
  retryCapMs: 5 * 60_000,
  maxServerAttempts: 8,
  throttleBaseMs: 1000,
  throttleCapMs: 60_000,
  offlineBaseMs: 1000,
  offlineCapMs: 30_000,
  maxInFlight: 50,
  confirmAfterMs: 10 * 60_000,
  windowMs: 24 * 60 * 60_000,
};

/** Meta's 131047, raised here before any network call when the window is closed. */
export const windowClosed = {
  code: 131047,
  /** Meta's title for the code. */
  title: 'Re-engagement message',
  /** PRODUCT §14's words. */
  sentence: 'the 24-hour window has closed — send a template',
} as const;

const throughputCodes = new Set([130429, 4, 80007]);
const pairRateCode = 131056;

export interface QueueInput<R> {
  conversationId: number;
  request: R;
  /** Who on the staff wrote it; null for automatic messages. */
  senderStaffId: string | null;
  automatic?: AutomaticKind | null;
  /** The media row of an attached file (the sender uploads it at send time: outbound-media.ts). */
  mediaId?: number | null;
}

export interface OutboxStatus {
  /** The last request failed for lack of a connection; one request at a time probes until it is back. */
  offline: boolean;
  /** Sending is paused until `resume` (190: the access token was refused). */
  paused: 'auth' | null;
  /** Meta asked the number to slow down: no request before this time. */
  throttledUntil: number | null;
  messagesPerSecond: number;
  inFlight: number;
  counts: OutboxPendingCounts;
}

export interface Outbox<R = OutboundRequest> {
  /** Recovers rows a crash left `sending` (→ unknown, never resent) and starts the sender loop. */
  start(): void;
  /** Stops the loop and timers; resolves when the requests in flight have settled. */
  stop(): Promise<void>;
  /** Stores the message and its outbox row, then lets the loop send it; returns the message id. */
  queue(input: QueueInput<R>): number;
  /**
   * Staff action on a failed or not_confirmed message: sends its request again as a new message with a new
   * client id (the old one keeps its state). Returns the new message id.
   */
  resend(messageId: number, options?: { senderStaffId?: string | null }): number;
  /** Withdraws a message still queued; false when it is already sending or done. */
  cancel(messageId: number): boolean;
  /**
   * A status webhook carried `biz_opaque_callback_data` = `clientId`: Meta accepted that send as `wamid`.
   * Turns unknown / not_confirmed / in-flight / retry-scheduled sends into sent and gives the message its
   * wamid. The inbound processor calls it before applying the status itself. True when the client id is ours.
   */
  reconcile(clientId: string, wamid: string, status?: string): boolean;
  /** The network may be back (the OS says so, or a health check succeeded): probe now. */
  nudge(): void;
  /** New credentials after a 190: sending resumes. */
  resume(): void;
  status(): OutboxStatus;
}

export interface OutboxDeps<R> {
  archive: Archive;
  sender: MessageSender<R>;
  clock: ClockPort;
  logger: LoggerPort;
  events: OutboxEventSink;
  limits?: Partial<OutboxLimits>;
  /** [0, 1) for backoff jitter; Math.random by default. */
  random?: () => number;
}

export type Verdict =
  | { action: 'unknown' }
  | { action: 'offline' }
  | { action: 'throttle' }
  | { action: 'pair' }
  | { action: 'retry' }
  | { action: 'fail'; pause: boolean };

function isSendFailure(error: unknown): error is SendFailure {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e.retryable === 'boolean' && typeof e.kind === 'string' && typeof e.message === 'string';
}

/** What to do after a failed request. Exported for tests. */
export function classifyFailure(error: unknown): Verdict {
  // Not the client's typed error (a bug somewhere): we cannot tell whether it left, so never resend it.
  if (!isSendFailure(error)) return { action: 'unknown' };
  if (error.maybeDelivered === true) return { action: 'unknown' };
  // A timeout is a possible accept unless the client knows the request never left.
  if (error.kind === 'timeout' && error.maybeDelivered !== false) return { action: 'unknown' };
  if (error.kind === 'network' || error.kind === 'timeout') return { action: 'offline' };
  if (error.code === pairRateCode) return { action: 'pair' };
  // 131048 (spam-rate restriction) is a throttle Meta says not to retry soon: it falls through to failed.
  if ((error.code !== undefined && throughputCodes.has(error.code)) || (error.kind === 'throttle' && error.retryable)) return { action: 'throttle' };
  if (error.kind === 'auth') return { action: 'fail', pause: true };
  if (error.retryable) return { action: 'retry' };
  return { action: 'fail', pause: false };
}

function describe(error: unknown): { code: number | null; reason: string; staff: string; line: string } {
  if (!isSendFailure(error)) {
    const reason = error instanceof Error ? error.message : 'unexpected error';
    return { code: null, reason, staff: reason, line: `error: ${reason}` };
  }
  const code = error.code ?? null;
  const staff = error.staffMessage ?? error.message;
  return { code, reason: error.message, staff, line: `${code ?? error.kind}: ${staff}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The searchable words of a request and what it replies to, for the message row. */
function contentOf(request: { type: string } & Record<string, unknown>): { text: string | null; caption: string | null; replyToWamid: string | null } {
  const body = request[request.type];
  let text: string | null = null;
  if (isRecord(body)) {
    if (request.type === 'text' && typeof body.body === 'string') text = body.body;
    else if (request.type === 'interactive' && isRecord(body.body) && typeof body.body.text === 'string') text = body.body.text;
  }
  const caption = isRecord(body) && typeof body.caption === 'string' ? body.caption : null;
  const context = request.context;
  const replyToWamid = isRecord(context) && typeof context.message_id === 'string' ? context.message_id : null;
  return { text, caption, replyToWamid };
}

export function createOutbox<R extends { type: string } = OutboundRequest>(deps: OutboxDeps<R>): Outbox<R> {
  const { archive, sender, clock, events } = deps;
  const limits: OutboxLimits = { ...defaultOutboxLimits, ...deps.limits };
  const log = createLogger(deps.logger);
  const random = deps.random ?? Math.random;
  const throughput = createThroughputLimiter({ perSecond: limits.messagesPerSecond, minPerSecond: limits.minMessagesPerSecond });
  const pairs = createPairLimiter({ intervalMs: limits.pairIntervalMs, burst: limits.pairBurst, burstWindowMs: limits.pairBurstWindowMs });

  let running = false;
  let pumpScheduled = false;
  let wake: { at: number; cancel: () => void } | null = null;
  /** Outbox row id → its conversation, for requests awaiting Meta's answer in this process. */
  const inFlight = new Map<number, number>();
  const inFlightConversations = new Set<number>();
  let settled: Array<() => void> = [];
  /** Outbox row id → cancel of its not_confirmed deadline. */
  const confirmTimers = new Map<number, () => void>();
  /** Consecutive transient failures per outbox row (in memory: a restart grants a fresh budget). */
  const serverFailures = new Map<number, number>();
  /** Consecutive 131056 per conversation. */
  const pairStreak = new Map<number, number>();

  let throttledUntil = 0;
  let throttleStreak = 0;
  let offline = false;
  let offlineStreak = 0;
  let probeAt = 0;
  /** The request sent while offline to find out whether the connection is back. */
  let probeId: number | null = null;
  let paused: 'auth' | null = null;

  const emit = (messageId: number | null, conversationId: number, state: OutboxMessageState, error?: OutboxEventError) => {
    if (messageId === null) return;
    try {
      events.emit('outbox:state', error ? { messageId, conversationId, state, error } : { messageId, conversationId, state });
    } catch (e) {
      log.error('outbox: an outbox:state listener threw', { error: e instanceof Error ? e.message : 'unknown' });
    }
  };

  // ---- the 24-hour window -------------------------------------------------------------------------------

  function windowAllows(conversationId: number, type: string, now: number): boolean {
    if (type === 'template') return true;
    const conversation = archive.conversations.get(conversationId);
    if (!conversation) return false;
    // Groups have no per-customer service window of the kind REFERENCE §6 describes: Meta decides.
    if (conversation.groupId !== null) return true;
    const last = conversation.lastInboundAt;
    return last !== null && now < last + limits.windowMs;
  }

  function refuseClosedWindow(row: OutboxEntry, now: number): void {
    const changed = archive.transaction(() => {
      const failed = archive.outbox.markFailed(row.id, `${windowClosed.code}: ${windowClosed.sentence}`, now);
      if (failed && row.messageId !== null) {
        archive.messages.setSendState(row.messageId, 'failed', now, { code: windowClosed.code, title: windowClosed.title });
      }
      return failed;
    });
    if (changed) emit(row.messageId, row.conversationId, 'failed', { code: windowClosed.code, message: windowClosed.sentence });
  }

  // ---- the loop -----------------------------------------------------------------------------------------

  function schedulePump(): void {
    if (pumpScheduled || !running) return;
    pumpScheduled = true;
    queueMicrotask(() => {
      pumpScheduled = false;
      pump();
    });
  }

  function scheduleWake(at: number): void {
    if (!running || !Number.isFinite(at)) return;
    const now = clock.now();
    if (at <= now) return schedulePump();
    if (wake && wake.at <= at) return;
    wake?.cancel();
    const entry = {
      at,
      cancel: clock.setTimer(at - now, () => {
        if (wake === entry) wake = null;
        pump();
      }),
    };
    wake = entry;
  }

  function pump(): void {
    if (!running || paused) return;
    const now = clock.now();
    if (now < throttledUntil) return scheduleWake(throttledUntil);
    if (offline) {
      // One probe at a time; the others wait for its answer.
      if (inFlight.size > 0) return;
      if (now < probeAt) return scheduleWake(probeAt);
    }
    let capacity = (offline ? 1 : limits.maxInFlight) - inFlight.size;
    if (capacity <= 0) return;

    const exclude = new Set(inFlightConversations);
    let nextWake = Number.POSITIVE_INFINITY;
    for (const [conversationId, freeAt] of pairs.blocked(now)) {
      exclude.add(conversationId);
      nextWake = Math.min(nextWake, freeAt);
    }

    for (;;) {
      const rows = archive.outbox.due(now, capacity, exclude);
      if (rows.length === 0) break;
      for (const row of rows) {
        const request = row.request as R;
        if (!windowAllows(row.conversationId, request.type, now)) {
          // Failed here, so the conversation's next message may be due: the next round picks it.
          refuseClosedWindow(row, now);
          continue;
        }
        exclude.add(row.conversationId);
        const throughputWait = throughput.waitMs(now);
        if (throughputWait > 0) return scheduleWake(now + throughputWait);
        const pairWait = pairs.waitMs(row.conversationId, now);
        if (pairWait > 0) {
          nextWake = Math.min(nextWake, now + pairWait);
          continue;
        }
        if (dispatch(row, request, now)) capacity--;
        if (capacity <= 0) return;
      }
    }
    const nextDue = archive.outbox.nextDueAt(exclude);
    if (nextDue !== null) nextWake = Math.min(nextWake, nextDue);
    scheduleWake(nextWake);
  }

  function dispatch(row: OutboxEntry, request: R, now: number): boolean {
    if (!archive.outbox.markSending(row.id, now)) return false;
    probeId = offline ? row.id : null;
    inFlight.set(row.id, row.conversationId);
    inFlightConversations.add(row.conversationId);
    throughput.record(now);
    pairs.record(row.conversationId, now);
    emit(row.messageId, row.conversationId, 'sending');

    let sent: Promise<{ wamid: string }>;
    try {
      sent = sender.send(request, row.clientId);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent
      .then(
        (result) => onAccepted(row, result.wamid),
        (error: unknown) => onFailure(row, error),
      )
      .catch((error: unknown) => {
        // The archive was closed under us (lock) or a write failed: the row stays `sending`, and the next
        // start treats it as unknown, to be reconciled from status webhooks.
        log.error('outbox: could not record a send outcome', { outboxId: row.id, error: error instanceof Error ? error.message : 'unknown' });
      })
      .finally(() => {
        inFlight.delete(row.id);
        inFlightConversations.delete(row.conversationId);
        if (inFlight.size === 0) {
          const waiting = settled;
          settled = [];
          for (const resolve of waiting) resolve();
        }
        schedulePump();
      });
    return true;
  }

  // ---- outcomes -----------------------------------------------------------------------------------------

  function accept(row: OutboxEntry, wamid: string, now: number): boolean {
    const changed = archive.transaction(() => {
      const moved = archive.outbox.markSent(row.id, now);
      if (row.messageId !== null && !archive.messages.markAccepted(row.messageId, wamid, now)) {
        log.warn('outbox: the accepted wamid could not be given to the message', { outboxId: row.id });
      }
      return moved;
    });
    confirmTimers.get(row.id)?.();
    confirmTimers.delete(row.id);
    serverFailures.delete(row.id);
    if (changed) emit(row.messageId, row.conversationId, 'sent');
    return changed;
  }

  function onAccepted(row: OutboxEntry, wamid: string): void {
    const now = clock.now();
    offline = false;
    offlineStreak = 0;
    throttleStreak = 0;
    pairStreak.delete(row.conversationId);
    accept(row, wamid, now);
  }

  function requeue(row: OutboxEntry, at: number, error: OutboxEventError, line: string, now: number): void {
    if (archive.outbox.scheduleRetry(row.id, at, line, now)) emit(row.messageId, row.conversationId, 'queued', error);
  }

  function onFailure(row: OutboxEntry, error: unknown): void {
    const now = clock.now();
    const verdict = classifyFailure(error);
    const { code, reason, staff, line } = describe(error);
    log.info('outbox: send failed', { outboxId: row.id, code, kind: isSendFailure(error) ? error.kind : 'unexpected', action: verdict.action });
    if (verdict.action !== 'offline' && verdict.action !== 'unknown') {
      // Meta answered, even if with an error: the connection is back.
      offline = false;
      offlineStreak = 0;
    }

    switch (verdict.action) {
      case 'unknown':
        return markUnknown(row, line, now);
      case 'offline': {
        // The backoff grows once per failed probe, not once per request that was in flight when the line dropped.
        if (!offline || row.id === probeId) {
          offlineStreak++;
          probeAt = now + backoffMs(offlineStreak, { baseMs: limits.offlineBaseMs, capMs: limits.offlineCapMs, random });
          if (!offline) log.warn('outbox: no connection to Meta; messages stay queued');
        }
        offline = true;
        return requeue(row, now, { code: null, message: staff }, line, now);
      }
      case 'throttle': {
        // One pause per wave: the other requests in flight fail with the same error.
        if (now >= throttledUntil) {
          throttleStreak++;
          throttledUntil = now + backoffMs(throttleStreak, { baseMs: limits.throttleBaseMs, capMs: limits.throttleCapMs, random });
          throughput.slowDown(now);
          log.warn('outbox: Meta asked to slow down', { code, messagesPerSecond: throughput.limitAt(now), pausedMs: throttledUntil - now });
        }
        return requeue(row, throttledUntil, { code, message: staff }, line, now);
      }
      case 'pair': {
        const streak = pairStreak.get(row.conversationId) ?? 0;
        pairStreak.set(row.conversationId, streak + 1);
        const until = now + pairRetryMs(streak, limits.pairMaxExponent);
        pairs.penalize(row.conversationId, until);
        return requeue(row, until, { code, message: staff }, line, now);
      }
      case 'retry': {
        const failures = (serverFailures.get(row.id) ?? 0) + 1;
        if (failures < limits.maxServerAttempts) {
          serverFailures.set(row.id, failures);
          const at = now + backoffMs(failures, { baseMs: limits.retryBaseMs, capMs: limits.retryCapMs, random });
          return requeue(row, at, { code, message: staff }, line, now);
        }
        serverFailures.delete(row.id);
        return fail(row, code, reason, staff, line, now);
      }
      case 'fail':
        if (verdict.pause) {
          paused = 'auth';
          log.warn('outbox: paused until new credentials', { code });
        }
        return fail(row, code, reason, staff, line, now);
    }
  }

  function fail(row: OutboxEntry, code: number | null, reason: string, staff: string, line: string, now: number): void {
    const changed = archive.transaction(() => {
      const moved = archive.outbox.markFailed(row.id, line, now);
      if (moved && row.messageId !== null) archive.messages.setSendState(row.messageId, 'failed', now, { code, title: reason });
      return moved;
    });
    if (changed) emit(row.messageId, row.conversationId, 'failed', { code, message: staff });
  }

  function markUnknown(row: OutboxEntry, line: string, now: number): void {
    // A status webhook may already have told us (the processor ran before the response timed out).
    const known = archive.outbox.acceptedWamid(row.clientId);
    if (known) {
      accept(row, known, now);
      return;
    }
    const changed = archive.transaction(() => {
      const moved = archive.outbox.markUnknown(row.id, line, now);
      if (moved && row.messageId !== null) archive.messages.setSendState(row.messageId, 'unknown', now);
      return moved;
    });
    if (!changed) return;
    armConfirmDeadline(row.id, now + limits.confirmAfterMs);
    emit(row.messageId, row.conversationId, 'unknown');
  }

  function armConfirmDeadline(outboxId: number, at: number): void {
    confirmTimers.get(outboxId)?.();
    confirmTimers.set(
      outboxId,
      clock.setTimer(Math.max(0, at - clock.now()), () => {
        confirmTimers.delete(outboxId);
        try {
          confirmExpired(outboxId);
        } catch (error) {
          log.error('outbox: could not mark a send not confirmed', { outboxId, error: error instanceof Error ? error.message : 'unknown' });
        }
      }),
    );
  }

  function confirmExpired(outboxId: number): void {
    if (inFlight.has(outboxId)) return;
    const row = archive.outbox.get(outboxId);
    if (!row || row.state !== 'sending') return;
    const now = clock.now();
    const known = archive.outbox.acceptedWamid(row.clientId);
    if (known) {
      accept(row, known, now);
      return;
    }
    const changed = archive.transaction(() => {
      const moved = archive.outbox.markNotConfirmed(row.id, now);
      if (moved && row.messageId !== null) archive.messages.setSendState(row.messageId, 'not_confirmed', now);
      return moved;
    });
    if (changed) emit(row.messageId, row.conversationId, 'not_confirmed');
  }

  // ---- staff and processor entry points -------------------------------------------------------------------

  function enqueue(input: QueueInput<R>): number {
    const { conversationId, request } = input;
    if (!isRecord(request) || typeof request.type !== 'string' || request.type.length === 0 || request.type.length > 64) {
      throw new AppError('invalid_request', 'An outbound message needs a type');
    }
    if (!archive.conversations.get(conversationId)) throw new AppError('invalid_request', `No conversation ${conversationId}`);
    const now = clock.now();
    const clientId = randomUUID();
    const open = windowAllows(conversationId, request.type, now);
    const { text, caption, replyToWamid } = contentOf(request as R & Record<string, unknown>);
    const messageId = archive.transaction(() => {
      const { id } = archive.messages.insert({
        conversationId,
        clientId,
        direction: 'out',
        type: request.type,
        text,
        caption,
        payload: request,
        replyToWamid,
        status: open ? 'pending' : 'failed',
        statusAt: now,
        errorCode: open ? null : windowClosed.code,
        errorTitle: open ? null : windowClosed.title,
        senderStaffId: input.senderStaffId,
        automatic: input.automatic ?? null,
        timestamp: now,
        receivedAt: now,
        mediaId: input.mediaId ?? null,
      });
      archive.outbox.enqueue({
        conversationId,
        messageId: id,
        clientId,
        request,
        at: now,
        state: open ? 'queued' : 'failed',
        lastError: open ? null : `${windowClosed.code}: ${windowClosed.sentence}`,
      });
      return id;
    });
    if (open) {
      emit(messageId, conversationId, 'queued');
      schedulePump();
    } else {
      emit(messageId, conversationId, 'failed', { code: windowClosed.code, message: windowClosed.sentence });
    }
    return messageId;
  }

  return {
    start() {
      if (running) return;
      running = true;
      const now = clock.now();
      // Left `sending` by a crash or a lock mid-send: maybe accepted, so unknown (fresh deadline), never resent.
      for (const row of archive.outbox.inState('sending')) {
        if (inFlight.has(row.id)) continue;
        const known = archive.outbox.acceptedWamid(row.clientId);
        if (known) {
          accept(row, known, now);
          continue;
        }
        const changed = archive.transaction(() => {
          archive.outbox.markUnknown(row.id, row.lastError ?? 'interrupted: the app stopped while sending', now);
          return row.messageId !== null && archive.messages.setSendState(row.messageId, 'unknown', now);
        });
        armConfirmDeadline(row.id, now + limits.confirmAfterMs);
        if (changed) emit(row.messageId, row.conversationId, 'unknown');
      }
      schedulePump();
    },

    stop() {
      running = false;
      wake?.cancel();
      wake = null;
      for (const cancel of confirmTimers.values()) cancel();
      confirmTimers.clear();
      if (inFlight.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => settled.push(resolve));
    },

    queue: enqueue,

    resend(messageId, options = {}) {
      const message = archive.messages.get(messageId);
      if (!message || message.direction !== 'out') throw new AppError('invalid_request', `No outbound message ${messageId}`);
      if (message.status !== 'failed' && message.status !== 'not_confirmed') {
        throw new AppError('invalid_request', `Only a failed or not confirmed message can be sent again (this one is ${message.status})`);
      }
      const row = archive.outbox.latestForMessage(messageId);
      if (!row) throw new AppError('invalid_request', `Message ${messageId} was not sent from this outbox`);
      return enqueue({
        conversationId: message.conversationId,
        request: row.request as R,
        senderStaffId: options.senderStaffId === undefined ? message.senderStaffId : options.senderStaffId,
        automatic: message.automatic,
        mediaId: message.mediaId,
      });
    },

    cancel(messageId) {
      const row = archive.outbox.latestForMessage(messageId);
      if (!row || row.state !== 'queued' || inFlight.has(row.id)) return false;
      const now = clock.now();
      const changed = archive.transaction(() => {
        const moved = archive.outbox.cancel(row.id, now);
        if (moved && row.messageId !== null) archive.messages.setSendState(row.messageId, 'failed', now, { code: null, title: 'Cancelled before sending' });
        return moved;
      });
      if (changed) {
        emit(row.messageId, row.conversationId, 'cancelled');
        schedulePump();
      }
      return changed;
    },

    reconcile(clientId, wamid) {
      const row = archive.outbox.byClientId(clientId);
      if (!row) return false;
      const now = clock.now();
      if (row.state === 'sent') {
        // Already accepted: make sure the message has the wamid (a response and a webhook may race).
        if (row.messageId !== null && !archive.messages.markAccepted(row.messageId, wamid, now)) {
          // Accepted under two wamids: a request Meta took despite an error answer, then its retry.
          log.warn('outbox: a second wamid for one client id; the customer may have received it twice', { outboxId: row.id });
        }
      } else {
        accept(row, wamid, now);
      }
      schedulePump();
      return true;
    },

    nudge() {
      if (!offline) return;
      probeAt = clock.now();
      schedulePump();
    },

    resume() {
      if (paused === null) return;
      paused = null;
      log.info('outbox: resumed');
      schedulePump();
    },

    status() {
      const now = clock.now();
      return {
        offline,
        paused,
        throttledUntil: now < throttledUntil ? throttledUntil : null,
        messagesPerSecond: throughput.limitAt(now),
        inFlight: inFlight.size,
        counts: archive.outbox.pendingCounts(),
      };
    },
  };
}
