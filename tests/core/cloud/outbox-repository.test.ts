import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { createVirtualClock } from '../../../electron/core/clock';
import { createTestArchive } from '../../support/archive-helpers';
import { chat, text } from './outbox-support';

function setup() {
  const clock = createVirtualClock();
  const { archive } = createTestArchive({ clock });
  return { clock, archive };
}

function put(archive: Archive, conversationId: number, clientId: string, at: number) {
  return archive.transaction(() => {
    const { id: messageId } = archive.messages.insert({ conversationId, clientId, direction: 'out', type: 'text', text: clientId, timestamp: at });
    const id = archive.outbox.enqueue({ conversationId, messageId, clientId, request: text('1', clientId), at });
    return { id, messageId };
  });
}

describe('outbox repository', () => {
  it('stores the row with its message in one transaction, queued and due at once', () => {
    const { clock, archive } = setup();
    const c = chat(archive, clock, '1');
    const now = clock.now();
    const { id, messageId } = put(archive, c, 'client-a', now);
    expect(archive.outbox.get(id)).toMatchObject({ clientId: 'client-a', conversationId: c, messageId, state: 'queued', attempts: 0, nextAttemptAt: now, request: text('1', 'client-a') });
    expect(archive.outbox.byClientId('client-a')!.id).toBe(id);
    expect(archive.outbox.latestForMessage(messageId)!.id).toBe(id);
    expect(archive.messages.get(messageId)).toMatchObject({ status: 'pending', clientId: 'client-a', wamid: null });

    // A failure inside the transaction leaves neither row behind.
    expect(() =>
      archive.transaction(() => {
        const { id: m } = archive.messages.insert({ conversationId: c, clientId: 'client-b', direction: 'out', type: 'text', timestamp: now });
        archive.outbox.enqueue({ conversationId: c, messageId: m, clientId: 'client-a', request: {}, at: now }); // duplicate client id
      }),
    ).toThrow();
    expect(archive.messages.getByClientId('client-b')).toBeUndefined();
  });

  it('hands out only the oldest queued row of each conversation, due ones, outside the excluded conversations', () => {
    const { clock, archive } = setup();
    const a = chat(archive, clock, '1');
    const b = chat(archive, clock, '2');
    const now = clock.now();
    const a1 = put(archive, a, 'a1', now).id;
    const a2 = put(archive, a, 'a2', now).id;
    const b1 = put(archive, b, 'b1', now).id;
    expect(archive.outbox.due(now, 10).map((r) => r.id)).toEqual([a1, b1]);
    expect(archive.outbox.due(now, 1).map((r) => r.id)).toEqual([a1]);
    expect(archive.outbox.due(now, 10, [a]).map((r) => r.id)).toEqual([b1]);

    // a1 in flight: a2 must wait behind it (the head is not queued, but a1 is not done either — the service
    // excludes in-flight conversations); once a1 is sent, a2 is the head.
    expect(archive.outbox.markSending(a1, now)).toBe(true);
    expect(archive.outbox.markSending(a1, now)).toBe(false);
    expect(archive.outbox.due(now, 10, [a]).map((r) => r.id)).toEqual([b1]);
    expect(archive.outbox.scheduleRetry(a1, now + 5000, '130429: slow down', now)).toBe(true);
    // a1 is queued again but not due: a2 stays behind it, in order.
    expect(archive.outbox.due(now, 10).map((r) => r.id)).toEqual([b1]);
    expect(archive.outbox.nextDueAt()).toBe(now);
    expect(archive.outbox.nextDueAt([b])).toBe(now + 5000);
    expect(archive.outbox.due(now + 5000, 10).map((r) => r.id)).toEqual([a1, b1]);
    expect(archive.outbox.markSending(a1, now + 5000)).toBe(true);
    expect(archive.outbox.markSent(a1, now + 5001)).toBe(true);
    expect(archive.outbox.due(now + 5001, 10).map((r) => r.id)).toEqual([a2, b1]);
    expect(archive.outbox.get(a1)).toMatchObject({ state: 'sent', attempts: 2, lastError: null, nextAttemptAt: null });
    expect(archive.outbox.get(a2)!.id).toBe(a2);
  });

  it('guards every transition', () => {
    const { clock, archive } = setup();
    const c = chat(archive, clock, '1');
    const now = clock.now();
    const { id } = put(archive, c, 'x', now);
    expect(archive.outbox.markUnknown(id, 'timeout', now)).toBe(false); // not sending
    expect(archive.outbox.markNotConfirmed(id, now)).toBe(false);
    expect(archive.outbox.scheduleRetry(id, now, 'e', now)).toBe(false);
    expect(archive.outbox.markSending(id, now)).toBe(true);
    expect(archive.outbox.cancel(id, now)).toBe(false); // already sending
    expect(archive.outbox.markUnknown(id, 'timeout: response lost', now + 10)).toBe(true);
    expect(archive.outbox.get(id)).toMatchObject({ state: 'sending', lastError: 'timeout: response lost', updatedAt: now + 10 });
    expect(archive.outbox.due(now + 10, 10)).toEqual([]); // unknown is never due
    expect(archive.outbox.markNotConfirmed(id, now + 20)).toBe(true);
    expect(archive.outbox.markFailed(id, 'x', now)).toBe(false);
    expect(archive.outbox.markSent(id, now + 30)).toBe(true); // a late status webhook
    expect(archive.outbox.markSent(id, now + 30)).toBe(false);

    const { id: other } = put(archive, c, 'y', now);
    expect(archive.outbox.cancel(other, now)).toBe(true);
    expect(archive.outbox.markSending(other, now)).toBe(false);
    expect(archive.outbox.inState('cancelled').map((r) => r.id)).toEqual([other]);
    expect(archive.outbox.inState('sent').map((r) => r.id)).toEqual([id]);
  });

  it('counts the sends not finished yet', () => {
    const { clock, archive } = setup();
    const a = chat(archive, clock, '1');
    const b = chat(archive, clock, '2');
    const now = clock.now();
    const rows = [put(archive, a, 'q', now), put(archive, a, 'i', now), put(archive, a, 'u', now), put(archive, b, 'n', now), put(archive, b, 's', now)];
    const [, inFlight, unknown, notConfirmed, sent] = rows.map((r) => r.id) as [number, number, number, number, number];
    for (const id of [inFlight, unknown, notConfirmed, sent]) archive.outbox.markSending(id, now);
    archive.outbox.markUnknown(unknown, 'timeout', now);
    archive.messages.setSendState(rows[2]!.messageId, 'unknown', now);
    archive.outbox.markUnknown(notConfirmed, 'timeout', now);
    archive.outbox.markNotConfirmed(notConfirmed, now);
    archive.outbox.markSent(sent, now);
    expect(archive.outbox.pendingCounts()).toEqual({ queued: 1, sending: 1, unknown: 1, notConfirmed: 1 });
    expect(archive.outbox.pendingCounts(a)).toEqual({ queued: 1, sending: 1, unknown: 1, notConfirmed: 0 });
    expect(archive.outbox.pendingCounts(b)).toEqual({ queued: 0, sending: 0, unknown: 0, notConfirmed: 1 });
  });

  it('finds a wamid a stored status webhook gave for a client id', () => {
    const { clock, archive } = setup();
    expect(archive.outbox.acceptedWamid('c-1')).toBeUndefined();
    archive.db
      .prepare("INSERT INTO status_events(wamid, status, timestamp, client_id, raw_json, received_at) VALUES ('wamid.X', 'sent', 1, 'c-1', '{}', ?)")
      .run(clock.now());
    expect(archive.outbox.acceptedWamid('c-1')).toBe('wamid.X');
  });

  it('messages: markAccepted sets the wamid and sent without overriding later statuses; setSendState yields to Meta', () => {
    const { clock, archive } = setup();
    const c = chat(archive, clock, '1');
    const now = clock.now();
    const { messageId } = put(archive, c, 'm', now);
    expect(archive.messages.setSendState(messageId, 'unknown', now)).toBe(true);
    expect(archive.messages.markAccepted(messageId, 'wamid.1', now + 1)).toBe(true);
    expect(archive.messages.get(messageId)).toMatchObject({ wamid: 'wamid.1', status: 'sent', statusAt: now + 1 });
    expect(archive.messages.getByWamid('wamid.1')!.id).toBe(messageId);
    // Already delivered (the processor applied a status): accepted again changes nothing.
    archive.db.prepare("UPDATE messages SET status = 'delivered' WHERE id = ?").run(messageId);
    expect(archive.messages.markAccepted(messageId, 'wamid.1', now + 2)).toBe(true);
    expect(archive.messages.get(messageId)!.status).toBe('delivered');
    expect(archive.messages.setSendState(messageId, 'not_confirmed', now + 3)).toBe(false);
    // Another message cannot take a wamid that is already used.
    const second = put(archive, c, 'n', now).messageId;
    expect(archive.messages.markAccepted(second, 'wamid.1', now)).toBe(false);
    // Failed locally without a wamid, then proven accepted by a webhook: sent.
    expect(archive.messages.setSendState(second, 'failed', now, { code: 131000, title: 'Something went wrong' })).toBe(true);
    expect(archive.messages.get(second)).toMatchObject({ status: 'failed', errorCode: 131000 });
    expect(archive.messages.markAccepted(second, 'wamid.2', now + 5)).toBe(true);
    expect(archive.messages.get(second)).toMatchObject({ status: 'sent', errorCode: null, errorTitle: null, wamid: 'wamid.2' });
  });
});
