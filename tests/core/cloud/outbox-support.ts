/**
 * Test support for the outbox: an in-process fake of Meta's send endpoint that can script every outcome the
 * Graph client reports, a harness on a real archive and a virtual clock, and helpers to drive time.
 */
import { onTestFinished } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { createVirtualClock, type VirtualClock } from '../../../electron/core/clock';
import { createOutbox, type Outbox, type OutboxLimits, type OutboxStateEvent, type OutboundRequest, type SendFailure } from '../../../electron/core/cloud/outbox';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { createTestArchive } from '../../support/archive-helpers';

export type FaultName =
  | 'throughput'
  | 'pair'
  | 'waba'
  | 'app'
  | 'server'
  | 'network'
  | 'timeoutBeforeAccept'
  | 'timeoutAfterAccept'
  | 'window'
  | 'undeliverable'
  | 'auth';

/** Errors shaped as the Graph client's GraphError (REFERENCE §5). */
export function fault(name: FaultName): Error & SendFailure {
  const make = (fields: Omit<SendFailure, 'message'>, message: string): Error & SendFailure => Object.assign(new Error(message), fields);
  switch (name) {
    case 'throughput':
      return make({ retryable: true, kind: 'throttle', code: 130429, staffMessage: 'Meta asks to slow down (too many messages per second)' }, '(#130429) Rate limit hit');
    case 'pair':
      return make({ retryable: true, kind: 'throttle', code: 131056, staffMessage: 'Too many messages to this customer in a short time' }, '(#131056) (Business Account, Consumer Account) pair rate limit hit');
    case 'waba':
      return make({ retryable: true, kind: 'throttle', code: 80007 }, '(#80007) Rate limit issues');
    case 'app':
      return make({ retryable: true, kind: 'throttle', code: 4 }, '(#4) Application request limit reached');
    case 'server':
      return make({ retryable: true, kind: 'server', code: 131000 }, 'HTTP 500: Something went wrong');
    case 'network':
      return make({ retryable: true, kind: 'network', maybeDelivered: false, staffMessage: 'No connection to Meta' }, 'connect ECONNREFUSED');
    case 'timeoutBeforeAccept':
      return make({ retryable: true, kind: 'timeout', maybeDelivered: false }, 'connect timeout');
    case 'timeoutAfterAccept':
      return make({ retryable: false, kind: 'timeout', maybeDelivered: true }, 'response timeout');
    case 'window':
      return make({ retryable: false, kind: 'window_closed', code: 131047, staffMessage: 'the 24-hour window has closed — send a template' }, 'Re-engagement message');
    case 'undeliverable':
      return make({ retryable: false, kind: 'invalid', code: 131026, staffMessage: 'This number cannot receive the message' }, 'Message undeliverable');
    case 'auth':
      return make({ retryable: false, kind: 'auth', code: 190, staffMessage: 'The access token has expired' }, 'Error validating access token: Session has expired');
  }
}

export interface SendCall {
  clientId: string;
  request: OutboundRequest;
  at: number;
  outcome: 'accepted' | FaultName;
}

/** Decides the outcome of one call; undefined = accepted. */
export type Script = (call: { clientId: string; request: OutboundRequest; index: number; attemptOfClient: number }) => FaultName | undefined;

export interface FakeSender {
  send(request: OutboundRequest, clientId: string): Promise<{ wamid: string }>;
  calls: SendCall[];
  /** Client id → wamids Meta accepted it as (more than one = the customer got it twice). */
  accepted: Map<string, string[]>;
  /** False: every call fails as if the network were down. */
  online: boolean;
  /** True: calls never answer (a process killed mid-request). */
  hang: boolean;
  script: Script;
  acceptedCount(clientId: string): number;
}

/**
 * Meta's side of the send endpoint: answers after `latencyMs` of virtual time. "Accepted" means Meta took
 * the message (a timeout after accept counts: the customer gets it, only the answer is lost).
 */
export function createFakeSender(clock: VirtualClock, options: { latencyMs?: number; script?: Script } = {}): FakeSender {
  const latency = options.latencyMs ?? 0;
  let wamidSeq = 0;
  const perClient = new Map<string, number>();
  const fake: FakeSender = {
    calls: [],
    accepted: new Map(),
    online: true,
    hang: false,
    script: options.script ?? (() => undefined),
    acceptedCount: (clientId) => fake.accepted.get(clientId)?.length ?? 0,
    send(request, clientId) {
      const attemptOfClient = (perClient.get(clientId) ?? 0) + 1;
      perClient.set(clientId, attemptOfClient);
      if (fake.hang) {
        fake.calls.push({ clientId, request, at: clock.now(), outcome: 'timeoutAfterAccept' });
        return new Promise(() => {});
      }
      const outcome: FaultName | undefined = fake.online ? fake.script({ clientId, request, index: fake.calls.length, attemptOfClient }) : 'network';
      fake.calls.push({ clientId, request, at: clock.now(), outcome: outcome ?? 'accepted' });
      let wamid: string | null = null;
      if (outcome === undefined || outcome === 'timeoutAfterAccept') {
        wamid = `wamid.fake-${++wamidSeq}`;
        const list = fake.accepted.get(clientId) ?? [];
        list.push(wamid);
        fake.accepted.set(clientId, list);
      }
      return new Promise((resolve, reject) => {
        const answer = () => (outcome === undefined ? resolve({ wamid: wamid! }) : reject(fault(outcome)));
        if (latency > 0) clock.setTimer(latency, answer);
        else answer();
      });
    },
  };
  return fake;
}

/** Lets every pending promise continuation run (the virtual clock only runs timers). */
export async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advances virtual time in steps, letting promises settle after each. */
export async function run(clock: VirtualClock, ms: number, stepMs = 10): Promise<void> {
  await settle();
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    clock.advance(Math.min(stepMs, ms - elapsed));
    await settle();
  }
}

export const hour = 60 * 60_000;

/** A contact with a conversation; `lastInboundAgoMs` stores a customer message that long ago (null: none). */
export function chat(archive: Archive, clock: VirtualClock, waId: string, lastInboundAgoMs: number | null = 60_000): number {
  const contact = archive.contacts.upsertByIdentity({ waId, phone: waId, profileName: `Customer ${waId}` });
  const conversationId = archive.conversations.getOrCreateForContact(contact.id).conversation.id;
  if (lastInboundAgoMs !== null) {
    archive.messages.insert({
      conversationId,
      wamid: `wamid.in-${waId}-${clock.now()}`,
      direction: 'in',
      type: 'text',
      text: 'hello',
      timestamp: clock.now() - lastInboundAgoMs,
    });
  }
  return conversationId;
}

export function text(to: string, body: string): OutboundRequest {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body } };
}

export function template(to: string): OutboundRequest {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: { name: 'reservation_confirmation', language: { code: 'en_US' }, components: [] },
  };
}

/** A small deterministic PRNG (mulberry32) for jitter and fault mixes. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Harness {
  clock: VirtualClock;
  archive: Archive;
  path: string;
  key: Uint8Array;
  sender: FakeSender;
  outbox: Outbox;
  events: OutboxStateEvent[];
  /** The states announced for one message, in order. */
  statesOf(messageId: number): string[];
}

export function startOutbox(
  options: { clock?: VirtualClock; latencyMs?: number; script?: Script; limits?: Partial<OutboxLimits>; archive?: { archive: Archive; path: string; key: Uint8Array }; start?: boolean } = {},
): Harness {
  const clock = options.clock ?? createVirtualClock();
  const opened = options.archive ?? createTestArchive({ clock });
  const sender = createFakeSender(clock, { latencyMs: options.latencyMs, script: options.script });
  const events: OutboxStateEvent[] = [];
  const outbox = createOutbox({
    archive: opened.archive,
    sender,
    clock,
    logger: createMemoryLogger(),
    events: { emit: (_event, payload) => void events.push(payload) },
    limits: options.limits,
    random: seeded(7),
  });
  if (options.start !== false) outbox.start();
  onTestFinished(() => void outbox.stop());
  return {
    clock,
    archive: opened.archive,
    path: opened.path,
    key: opened.key,
    sender,
    outbox,
    events,
    statesOf: (messageId) => events.filter((e) => e.messageId === messageId).map((e) => e.state),
  };
}
