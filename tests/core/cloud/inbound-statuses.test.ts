/**
 * Status webhooks (REFERENCE §3): applied monotonically by their own timestamps, failures with code and
 * title, orphans kept and applied when their message appears, matched by wamid or by our client id.
 */
import { expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import type { Json } from './inbound-support';
import { asBody, createHarness, describeWithFixtures, firstStatus, fixture, unappliedEvents } from './inbound-support';

const target = 'wamid.status-test.1';
const t = 1750030073;

/** A status fixture aimed at `target` (or `id`) with a new value and time: the shape is Meta's. */
function statusBody(name: string, status: string, seconds: number, edit?: (s: Json) => void): string {
  const body = fixture(name);
  const s = firstStatus(body);
  s.id = target;
  s.status = status;
  s.timestamp = String(seconds);
  edit?.(s);
  return asBody(body);
}
const sent = (seconds = t) => statusBody('status-sent.json', 'sent', seconds);
const delivered = (seconds = t + 5) => statusBody('status-delivered-cbp.json', 'delivered', seconds);
const read = (seconds = t + 10) => statusBody('status-v24-no-conversation-no-pricing.json', 'read', seconds);
const failed = (seconds = t + 3) => statusBody('status-failed-131049.json', 'failed', seconds);

function outbound(archive: Archive, options: { wamid?: string | null; clientId?: string } = {}) {
  const contactId = archive.contacts.upsertByIdentity({ waId: '16505551234', phone: '16505551234' }).id;
  const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
  return archive.messages.insert({
    conversationId,
    wamid: options.wamid === undefined ? target : options.wamid,
    clientId: options.clientId ?? 'client-7',
    direction: 'out',
    type: 'text',
    text: 'Your table is ready',
    status: 'pending',
    timestamp: (t - 2) * 1000,
  }).id;
}

describeWithFixtures('status webhooks', () => {
  it('moves sent → delivered → read, each with its own time', () => {
    const h = createHarness();
    const id = outbound(h.archive);
    h.process(sent());
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'sent', statusAt: t * 1000 });
    h.process(delivered());
    h.process(read());
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'read', statusAt: (t + 10) * 1000, errorCode: null });
    expect(h.eventsNamed('messages:status').map((e) => e.status)).toEqual(['sent', 'delivered', 'read']);
    expect(h.archive.statusEvents.forWamid(target).map((e) => [e.status, e.applied])).toEqual([
      ['sent', true],
      ['delivered', true],
      ['read', true],
    ]);
  });

  it('never goes back: read then delivered stays read, and a late sent changes nothing', () => {
    const h = createHarness();
    const id = outbound(h.archive);
    h.process(read());
    h.process(delivered());
    h.process(sent());
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'read', statusAt: (t + 10) * 1000 });
    expect(h.eventsNamed('messages:status').map((e) => e.status)).toEqual(['read']);
    // Every event is still kept, with its time (statistics read them).
    expect(h.archive.statusEvents.forWamid(target)).toHaveLength(3);
  });

  it('is fine when delivered never comes (read straight after sent)', () => {
    const h = createHarness();
    const id = outbound(h.archive);
    h.process(sent());
    h.process(read());
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'read', statusAt: (t + 10) * 1000 });
  });

  it('records a failure with Meta code and title, and a later delivery (another device) wins', () => {
    const h = createHarness();
    const id = outbound(h.archive);
    h.process(sent());
    h.process(failed());
    expect(h.archive.messages.get(id)).toMatchObject({
      status: 'failed',
      statusAt: (t + 3) * 1000,
      errorCode: 131049,
      errorTitle: 'This message was not delivered to maintain healthy ecosystem engagement.',
    });
    h.process(delivered());
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'delivered', errorCode: null, errorTitle: null });

    // The other order ends the same.
    const other = createHarness();
    const otherId = outbound(other.archive);
    for (const body of [delivered(), failed(), sent()]) other.process(body);
    expect(other.archive.messages.get(otherId)).toMatchObject({ status: 'delivered', statusAt: (t + 5) * 1000, errorCode: null });
  });

  it('keeps the earliest time when the same status comes twice with different times', () => {
    const h = createHarness();
    const id = outbound(h.archive);
    h.process(delivered(t + 9));
    h.process(delivered(t + 6));
    h.process(delivered(t + 8));
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'delivered', statusAt: (t + 6) * 1000 });
  });

  it('keeps statuses of a message not stored yet and applies them when it appears', () => {
    const h = createHarness();
    const counts = [h.process(read()), h.process(sent()), h.process(sent())];
    expect(counts.map((c) => [c.statuses, c.orphanStatuses, c.duplicates])).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(unappliedEvents(h.archive)).toBe(2);

    // The outbox stores the message (its send response came late) and asks for what waited.
    const id = outbound(h.archive);
    expect(h.processor.applyPendingFor(id)).toBe(2);
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'read', statusAt: (t + 10) * 1000 });
    expect(unappliedEvents(h.archive)).toBe(0);
    // Applied oldest first: the last announcement is the state the message ends in.
    expect(h.eventsNamed('messages:status').at(-1)).toMatchObject({ messageId: id, status: 'read', clientId: 'client-7' });
  });

  it('applies waiting statuses in a sweep too, for a message stored by anyone', () => {
    const h = createHarness();
    h.process(delivered());
    const id = outbound(h.archive);
    expect(h.processor.applyPendingStatuses()).toBe(1);
    expect(h.archive.messages.get(id)?.status).toBe('delivered');
    expect(h.processor.applyPendingStatuses()).toBe(0);
  });

  it('reconciles a send whose response was lost by the client id echoed in biz_opaque_callback_data', () => {
    const h = createHarness();
    const id = outbound(h.archive, { wamid: null, clientId: 'client-lost-response' });
    h.process(statusBody('status-sent.json', 'sent', t, (s) => (s.biz_opaque_callback_data = 'client-lost-response')));
    expect(h.archive.messages.get(id)).toMatchObject({ wamid: target, status: 'sent' });
    // Later statuses find it by wamid.
    h.process(read());
    expect(h.archive.messages.get(id)?.status).toBe('read');
  });

  it('reconciles by client id when the status came before the message was stored', () => {
    const h = createHarness();
    h.process(statusBody('status-sent.json', 'delivered', t + 4, (s) => (s.biz_opaque_callback_data = 'client-early')));
    const id = outbound(h.archive, { wamid: null, clientId: 'client-early' });
    expect(h.processor.applyPendingFor(id)).toBe(1);
    expect(h.archive.messages.get(id)).toMatchObject({ wamid: target, status: 'delivered' });
  });

  it('lets any status from Meta overrule a failure the outbox assumed without a wamid (a timeout)', () => {
    const h = createHarness();
    const id = outbound(h.archive, { wamid: null, clientId: 'client-timeout' });
    h.archive.db.prepare("UPDATE messages SET status = 'failed', error_code = -1 WHERE id = ?").run(id);
    h.process(statusBody('status-sent.json', 'sent', t, (s) => (s.biz_opaque_callback_data = 'client-timeout')));
    expect(h.archive.messages.get(id)).toMatchObject({ wamid: target, status: 'sent', errorCode: null });
  });

  it('ignores a status that names our client id but another wamid than the message has', () => {
    const h = createHarness();
    const id = outbound(h.archive, { wamid: 'wamid.other-send', clientId: 'client-reused' });
    h.process(statusBody('status-sent.json', 'read', t, (s) => (s.biz_opaque_callback_data = 'client-reused')));
    expect(h.archive.messages.get(id)).toMatchObject({ wamid: 'wamid.other-send', status: 'pending' });
  });

  it('stores a status value it does not know without applying it', () => {
    const h = createHarness();
    const id = outbound(h.archive);
    h.process(sent());
    h.process(statusBody('status-sent.json', 'held_for_review', t + 1));
    expect(h.archive.messages.get(id)?.status).toBe('sent');
    expect(h.archive.statusEvents.forWamid(target).map((e) => e.status)).toEqual(['sent', 'held_for_review']);
  });

  it('applies "played" above read (voice notes)', () => {
    const h = createHarness();
    const id = outbound(h.archive);
    h.process(statusBody('status-sent.json', 'played', t + 20));
    h.process(read());
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'played', statusAt: (t + 20) * 1000 });
  });

  it('never puts a delivery status on an inbound message', () => {
    const h = createHarness();
    const contactId = h.archive.contacts.upsertByIdentity({ waId: '16505551234' }).id;
    const conversationId = h.archive.conversations.getOrCreateForContact(contactId).conversation.id;
    const id = h.archive.messages.insert({ conversationId, wamid: target, direction: 'in', type: 'text', text: 'hi', timestamp: t * 1000 }).id;
    h.process(read());
    expect(h.archive.messages.get(id)?.status).toBeNull();
    expect(unappliedEvents(h.archive)).toBe(0);
  });
});
