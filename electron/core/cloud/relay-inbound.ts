/**
 * The desk's side of the relay (issue 10): pulls the workspace's events after this desk's cursor (long-poll,
 * resumed from the cursor after any disconnect), opens each with the workspace key pair, and commits them —
 * Meta's webhooks to the durable inbox (idempotent by the relay's seq), other desks' copies of sent messages
 * to the archive — in ONE transaction with `synchronous = FULL` that also moves the cursor. Only after that
 * commit does it acknowledge, so a crash at any point loses nothing and repeats nothing.
 *
 * It also posts a sealed copy of every message this desk sent (desk-copies.ts) for the other desks.
 */
import type { z } from 'zod';
import type { CloudStatus } from '../../../shared/ipc';
import type { RelayEvent } from '../../../shared/relay/protocol';
import { decodeEnvelope, encodeEnvelope } from '../../../shared/relay/sealed-envelope';
import type { Archive } from '../archive';
import type { NewInboxRow } from '../archive/repositories/webhook-inbox';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import type { Sodium } from '../vault/sodium';
import { applyDeskCopy, buildDeskCopy, deskCopySchema } from './desk-copies';
import { withFullSync } from './group-commit';
import type { RelayClient } from './relay-client';
import { addUnshared, advanceRelayCursor, readRelayState, readUnshared, removeUnshared, setRelayPrimary } from './relay-state';
import { checkSignature } from './signature';

/** What the settings page shows of the relay line (CloudStatus.relay). */
export type RelayInboundHealth = NonNullable<CloudStatus['relay']>;

export interface RelayInboundOptions {
  archive: Archive;
  client: RelayClient;
  sodium: Sodium;
  keys: { publicKey: Uint8Array; secretKey: Uint8Array };
  clock: Pick<ClockPort, 'now'>;
  logger: Logger;
  /** Meta's app secret, to check each webhook's signature again: the relay can neither read nor forge. */
  appSecret: () => string | null;
  /** Called after each commit that stored webhooks (drain the processor) — and copies (their ids). */
  onCommitted: (result: { webhooks: number; copies: Array<{ messageId: number; conversationId: number }> }) => void;
  /** Long-poll length (tests shorten it). */
  waitMs?: number;
  /** The relay became reachable or not: the health banners are recomputed. */
  onReachabilityChange?: () => void;
}

/** The relay counts as unreachable (a health banner) once it has not answered for this long. */
export const relayUnreachableAfterMs = 60_000;

export interface RelayInbound {
  health(): RelayInboundHealth;
  /** Whether the relay has failed to answer for `relayUnreachableAfterMs` or longer. */
  unreachable(): boolean;
  /** Posts the sealed copy of a message Meta accepted from this desk; retried by the next call on failure. */
  shareSent(messageId: number): void;
  stop(): Promise<void>;
}

const retryDelaysMs = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

export function startRelayInbound(options: RelayInboundOptions): RelayInbound {
  const { archive, client, sodium, keys, logger } = options;
  const state = readRelayState(archive);
  if (!state) throw new AppError('not_connected', 'This desk is not paired with a relay');
  const self = state.deskId;
  // Only this loop moves the cursor (in the archive, with the events): kept here too, not read back each time.
  let cursor = state.cursor;
  const health: RelayInboundHealth = { url: state.url, reachable: false, backlog: 0, primary: state.primary, lastContactAt: null, lastError: null, rejected: 0, missed: 0 };
  const abort = new AbortController();
  let stopped = false;
  let answered = false;
  let failures = 0;
  // Since when requests fail (null while the relay answers); the start counts, so a relay never reached shows too.
  let failingSince: number | null = options.clock.now();
  let sharing: Promise<void> | null = null;

  function open(event: RelayEvent): { row?: NewInboxRow; copy?: z.infer<typeof deskCopySchema> } | null {
    let plain: Uint8Array;
    try {
      plain = sodium.crypto_box_seal_open(Buffer.from(event.sealed, 'base64url'), keys.publicKey, keys.secretKey);
    } catch {
      return null;
    }
    const envelope = decodeEnvelope(plain);
    if (!envelope || envelope.kind !== event.kind) return null;
    if (envelope.kind === 'meta') {
      const body = Buffer.from(envelope.payload);
      const secret = options.appSecret();
      // Without the app secret, or when it does not match the signature (this desk's copy of the secret may be
      // out of date), the body waits unverified in the inbox — never processed, never lost — and is checked
      // again when an app secret is saved (spool.verifyDeferred).
      const verified = secret !== null && checkSignature(body, envelope.signature, secret) === 'ok';
      if (secret !== null && !verified) {
        health.rejected++;
        logger.warn('A relay event does not carry a signature this desk’s app secret makes; held unverified', { seq: event.seq });
      }
      return {
        row: { body, receivedAt: envelope.receivedAt, source: 'relay', externalId: `relay:${state!.workspaceId}:${event.seq}`, verified, signature: verified ? null : envelope.signature },
      };
    }
    if (event.fromDeskId === self) return {};
    try {
      const copy = deskCopySchema.safeParse(JSON.parse(new TextDecoder().decode(envelope.payload)));
      return copy.success ? { copy: copy.data } : null;
    } catch {
      return null;
    }
  }

  function commit(events: RelayEvent[]): { webhooks: number; copies: Array<{ messageId: number; conversationId: number }> } {
    const rows: NewInboxRow[] = [];
    const copies: Array<z.infer<typeof deskCopySchema>> = [];
    let expected = cursor + 1;
    for (const event of events) {
      if (event.seq <= cursor) continue;
      if (event.seq > expected) {
        health.missed += event.seq - expected;
        logger.warn('Relay events were missed (kept beyond the relay’s retention)', { from: expected, to: event.seq - 1 });
      }
      expected = event.seq + 1;
      const opened = open(event);
      if (!opened) {
        health.rejected++;
        logger.warn('A relay event could not be opened; dropped', { seq: event.seq, kind: event.kind });
        continue;
      }
      if (opened.row) rows.push(opened.row);
      if (opened.copy) copies.push(opened.copy);
    }
    const last = events[events.length - 1]!.seq;
    const applied: Array<{ messageId: number; conversationId: number }> = [];
    withFullSync(archive.db, () =>
      archive.transaction(() => {
        archive.webhookInbox.appendMany(rows);
        for (const copy of copies) {
          const stored = applyDeskCopy(archive, copy);
          if (stored) applied.push(stored);
        }
        advanceRelayCursor(archive, last);
      }),
    );
    cursor = Math.max(cursor, last);
    return { webhooks: rows.length, copies: applied };
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        // The first pull answers at once: reachability is known from the start, not after a quiet long-poll.
        const answer = await client.pull(cursor, answered ? (options.waitMs ?? 25_000) : 0, health.primary, abort.signal);
        answered = true;
        if (stopped) return;
        failures = 0;
        if (failingSince !== null) {
          failingSince = null;
          options.onReachabilityChange?.();
        }
        health.reachable = true;
        health.lastError = null;
        health.lastContactAt = options.clock.now();
        if (answer.primary !== health.primary) {
          health.primary = answer.primary;
          setRelayPrimary(archive, answer.primary);
        }
        if (answer.events.length > 0) {
          options.onCommitted(commit(answer.events));
          // Acknowledged only now: the events are in this archive whatever happens next.
          await client.ack(cursor);
        }
        health.backlog = Math.max(0, answer.lastSeq - cursor);
        if (readUnshared(archive).length > 0) void flushShared();
      } catch (error) {
        if (stopped) return;
        health.reachable = false;
        // The next pull answers at once too: the relay being back is noticed, and waiting copies sent, at once.
        answered = false;
        if (failingSince === null) {
          failingSince = options.clock.now();
          options.onReachabilityChange?.();
        }
        health.lastError = error instanceof AppError ? error.code : 'relay_unreachable';
        const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)]!;
        failures++;
        logger.warn('The relay could not be reached; trying again', { code: health.lastError, retryInMs: delay });
        await sleep(delay);
      }
    }
  }

  /** Seals and posts one copy; false when the relay could not take it (it stays waiting). */
  async function share(messageId: number): Promise<boolean> {
    const copy = buildDeskCopy(archive, messageId);
    if (copy) {
      const payload = new TextEncoder().encode(JSON.stringify(copy));
      const sealed = sodium.crypto_box_seal(encodeEnvelope({ kind: 'desk', receivedAt: options.clock.now(), signature: '', payload }), keys.publicKey);
      try {
        await client.postMessage(sealed, abort.signal);
      } catch (error) {
        logger.warn('A sent message could not be shared with the other desks yet', { code: error instanceof AppError ? error.code : 'unknown' });
        return false;
      }
    }
    removeUnshared(archive, messageId);
    return true;
  }

  async function flushShared(): Promise<void> {
    if (sharing) return sharing;
    sharing = (async () => {
      // Again until none wait: messages sent meanwhile join the list while this runs.
      for (let ids = readUnshared(archive); ids.length > 0 && !stopped; ids = readUnshared(archive)) {
        for (const messageId of ids) {
          if (stopped || !(await share(messageId))) return;
        }
      }
    })().finally(() => (sharing = null));
    return sharing;
  }

  const running = loop();

  return {
    health: () => ({ ...health }),
    unreachable: () => failingSince !== null && options.clock.now() - failingSince >= relayUnreachableAfterMs,
    shareSent(messageId) {
      addUnshared(archive, messageId);
      void flushShared();
    },
    async stop() {
      stopped = true;
      abort.abort();
      await running;
      await sharing;
    },
  };
}
