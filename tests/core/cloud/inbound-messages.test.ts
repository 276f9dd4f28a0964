/**
 * Inbound messages beyond one fixture each: unknown types kept, edits and revokes in any order, reactions
 * (one per reactor, newest wins, removal kept), the 24-hour window and its events, media jobs, other numbers.
 */
import { expect, it } from 'vitest';
import { serviceWindowMs } from '../../../electron/core/cloud/inbound-processor';
import type { Json } from './inbound-support';
import { asBody, countOf, createHarness, describeWithFixtures, firstMessage, fixture, valueOf, unappliedEvents } from './inbound-support';

const original = 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=';

/** A fixture's message with a new id and time. */
function variant(name: string, id: string, seconds: number, edit?: (m: Json, body: Json) => void): string {
  const body = fixture(name);
  const m = firstMessage(body);
  m.id = id;
  m.timestamp = String(seconds);
  edit?.(m, body);
  return asBody(body);
}

/** The message the edit, revoke and reaction fixtures refer to: an image the customer sent. */
const originalImage = (seconds = 1749854000) => variant('webhook-image.json', original, seconds);

describeWithFixtures('inbound messages', () => {
  it('stores a message type it does not know, with its type and whole payload, as unread', () => {
    const h = createHarness();
    const body = variant('webhook-text.json', 'wamid.m.poll', 1750000000, (m) => {
      m.type = 'poll_creation';
      m.poll_creation = { question: 'Which colour?', options: ['Red', 'Blue'] };
      delete m.text;
    });
    expect(h.process(body).messages).toBe(1);
    const message = h.archive.messages.getByWamid('wamid.m.poll')!;
    expect(message).toMatchObject({ type: 'poll_creation', text: null, caption: null, direction: 'in' });
    expect(JSON.parse(message.payloadJson!).poll_creation).toEqual({ question: 'Which colour?', options: ['Red', 'Blue'] });
    expect(h.archive.conversations.get(message.conversationId)!.unreadCount).toBe(1);
    expect(h.eventsNamed('messages:received')).toEqual([expect.objectContaining({ type: 'poll_creation' })]);
  });

  it('applies an edit to the stored message: new caption searchable, old one gone', () => {
    const h = createHarness();
    h.process(originalImage());
    h.process(fixture('webhook-edit.json'));
    const message = h.archive.messages.getByWamid(original)!;
    expect(message).toMatchObject({ caption: 'Updated image caption', editedAt: 1749854575000 });
    expect(h.archive.search.searchMessages({ text: 'Updated' }).items.map((i) => i.messageId)).toEqual([message.id]);
    expect(h.archive.search.searchMessages({ text: 'Taj' }).items).toEqual([]);
    expect(h.archive.statusEvents.forWamid(original)[0]).toMatchObject({ status: 'edit', applied: true });
    expect(h.eventsNamed('messages:changed')).toEqual([{ conversationId: message.conversationId, messageId: message.id, change: 'edit' }]);
  });

  it('keeps an edit that arrives before its message and applies it when the message comes', () => {
    const h = createHarness();
    h.process(fixture('webhook-edit.json'));
    expect(unappliedEvents(h.archive)).toBe(1);
    h.process(originalImage());
    expect(h.archive.messages.getByWamid(original)).toMatchObject({ caption: 'Updated image caption', editedAt: 1749854575000 });
    expect(unappliedEvents(h.archive)).toBe(0);
  });

  it('keeps the newest of several edits, in any order', () => {
    const edits = [1749854575, 1749854600, 1749854590].map((seconds, i) =>
      variant('webhook-edit.json', `wamid.m.edit.${i}`, seconds, (m) => (m.edit.message.image.caption = `Caption ${seconds}`)),
    );
    for (const order of [edits, [...edits].reverse()]) {
      const h = createHarness();
      for (const body of [...order, originalImage()]) h.process(body);
      expect(h.archive.messages.getByWamid(original)).toMatchObject({ caption: 'Caption 1749854600', editedAt: 1749854600000 });
    }
  });

  it('applies a revoke: the content goes, the message stays as deleted, an earlier edit cannot bring it back', () => {
    for (const order of [
      ['image', 'edit', 'revoke'],
      ['revoke', 'edit', 'image'],
      ['edit', 'image', 'revoke'],
    ]) {
      const h = createHarness();
      const bodies: Record<string, string> = {
        image: originalImage(),
        edit: asBody(fixture('webhook-edit.json')),
        revoke: asBody(fixture('webhook-revoke.json')),
      };
      for (const name of order) h.process(bodies[name]!);
      const message = h.archive.messages.getByWamid(original)!;
      expect(message, order.join()).toMatchObject({ type: 'image', text: null, caption: null, payloadJson: null, mediaId: null, revokedAt: 1749854575000, editedAt: 1749854575000 });
      expect(h.archive.search.searchMessages({ text: 'caption' }).items).toEqual([]);
      expect(h.archive.search.searchMessages({ text: 'Taj' }).items).toEqual([]);
    }
  });

  it('keeps one reaction per reactor per message: the newest wins, a removal stays removed', () => {
    const thumbs = asBody(fixture('webhook-reaction.json'));
    const heart = variant('webhook-reaction.json', 'wamid.m.heart', 1749419600, (m) => (m.reaction.emoji = '❤️'));
    const removal = variant('webhook-reaction-removed.json', 'wamid.m.removal', 1749419700);
    for (const order of [
      [thumbs, heart],
      [heart, thumbs],
    ]) {
      const h = createHarness();
      h.process(originalImage());
      for (const body of order) h.process(body);
      expect(h.archive.reactions.forMessage(original).map((r) => r.emoji)).toEqual(['❤️']);
    }
    for (const order of [
      [thumbs, heart, removal],
      [removal, heart, thumbs],
    ]) {
      const h = createHarness();
      for (const body of order) h.process(body);
      expect(h.archive.reactions.forMessage(original)).toEqual([]);
    }
    // Meta's two examples share a second: the removal wins whichever comes first.
    for (const order of [
      ['webhook-reaction.json', 'webhook-reaction-removed.json'],
      ['webhook-reaction-removed.json', 'webhook-reaction.json'],
    ]) {
      const h = createHarness();
      for (const name of order) h.process(fixture(name));
      expect(h.archive.reactions.forMessage(original)).toEqual([]);
    }
  });

  it('keeps reactions of different people apart and announces them with the message', () => {
    const h = createHarness();
    h.process(originalImage());
    h.process(fixture('webhook-reaction.json'));
    h.process(
      variant('webhook-reaction.json', 'wamid.m.other-reactor', 1749419560, (m, body) => {
        m.from = '447700900123';
        valueOf(body).contacts[0].wa_id = '447700900123';
        valueOf(body).contacts[0].profile.name = 'Emma';
        m.reaction.emoji = '😂';
      }),
    );
    expect(h.archive.reactions.forMessage(original).map((r) => r.emoji)).toEqual(['👍', '😂']);
    const message = h.archive.messages.getByWamid(original)!;
    expect(h.eventsNamed('messages:reaction').map((e) => [e.messageId, e.conversationId, e.emoji])).toEqual([
      [message.id, message.conversationId, '👍'],
      [message.id, message.conversationId, '😂'],
    ]);
    // Reactions are not messages and do not make the chat unread.
    expect(h.archive.conversations.get(message.conversationId)!.unreadCount).toBe(1);
  });

  it('opens the 24-hour window on an inbound message and announces its end on core\'s clock', () => {
    const h = createHarness();
    const seconds = Math.floor(h.clock.now() / 1000) - 60;
    h.process(variant('webhook-text.json', 'wamid.m.now', seconds));
    const message = h.archive.messages.getByWamid('wamid.m.now')!;
    const conversation = h.archive.conversations.get(message.conversationId)!;
    const closesAt = seconds * 1000 + serviceWindowMs;
    expect(h.processor.windowState(conversation)).toEqual({ state: 'open', opensAt: seconds * 1000, closesAt, remainingMs: closesAt - h.clock.now() });
    expect(h.eventsNamed('conversations:window')).toEqual([{ conversationId: conversation.id, open: true, closesAt }]);

    // A later message moves the end; the first timer no longer fires.
    h.clock.advance(60 * 60 * 1000);
    h.process(variant('webhook-text.json', 'wamid.m.later', Math.floor(h.clock.now() / 1000)));
    const laterCloses = h.clock.now() + serviceWindowMs;
    h.clock.advance(closesAt - h.clock.now() + 1);
    expect(h.eventsNamed('conversations:window').map((e) => e.open)).toEqual([true, true]);
    h.clock.advance(laterCloses - h.clock.now());
    expect(h.eventsNamed('conversations:window').at(-1)).toEqual({ conversationId: conversation.id, open: false, closesAt: laterCloses });
    expect(h.processor.windowState(h.archive.conversations.get(conversation.id)!)).toEqual({ state: 'closed', closedAt: laterCloses });
  });

  it('does not announce a window for an old message replayed days later, nor for a group', () => {
    const h = createHarness();
    h.process(fixture('webhook-text.json'));
    h.process(variant('webhook-group-text.json', 'wamid.m.group-now', Math.floor(h.clock.now() / 1000)));
    expect(h.eventsNamed('conversations:window')).toEqual([]);
    h.processor.dispose();
  });

  it('queues each new media file once, after commit', () => {
    const h = createHarness();
    h.process(fixture('webhook-document.json'));
    h.process(fixture('webhook-document.json'));
    expect(h.media).toHaveLength(1);
    expect(countOf(h.archive, 'media')).toBe(1);
  });

  it('skips messages and statuses for another phone number of the same account', () => {
    const h = createHarness({ phoneNumberId: () => '999999999999999' });
    const counts = h.process(fixture('webhook-text.json'));
    expect(counts).toMatchObject({ messages: 0, skipped: 1 });
    expect(h.process(fixture('status-sent.json')).skipped).toBe(1);
    expect(countOf(h.archive, 'messages') + countOf(h.archive, 'status_events') + countOf(h.archive, 'contacts')).toBe(0);
    // Account-level webhooks are for every number.
    expect(h.process(fixture('webhook-account-alerts.json')).health).toBe(1);

    const ours = createHarness({ phoneNumberId: () => '106540352242922' });
    expect(ours.process(fixture('webhook-text.json')).messages).toBe(1);
  });

  it('keeps a change field it does not act on in the health notes, once', () => {
    const h = createHarness();
    const body = fixture('webhook-account-alerts.json');
    body.entry[0].changes[0].field = 'business_capability_update';
    expect(h.process(body).unhandled).toBe(1);
    expect(h.process(body).unhandled).toBe(1);
    expect(h.eventsNamed('health:unhandled-field')).toEqual([{ field: 'business_capability_update', at: 1745612159000 }]);
  });

  it('processes several changes and messages of one body together', () => {
    const h = createHarness();
    const body = fixture('webhook-text.json');
    const second = structuredClone(firstMessage(body));
    second.id = 'wamid.m.batched';
    second.text.body = 'And another thing';
    valueOf(body).messages.push(second);
    body.entry.push(fixture('webhook-template-status-approved.json').entry[0]);
    const counts = h.process(body);
    expect(counts).toMatchObject({ messages: 2, templates: 1 });
    expect(countOf(h.archive, 'conversations')).toBe(1);
  });
});
