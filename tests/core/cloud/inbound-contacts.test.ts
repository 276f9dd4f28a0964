/**
 * Contacts from webhooks (PRODUCT §3, §13; REFERENCE §2.4): BSUID first, wa_id otherwise; usernames
 * without a phone number; number and id changes merge, never duplicate; erased contacts stay erased.
 */
import { expect, it } from 'vitest';
import { contactDisplayName } from '../../../electron/core/archive/display-name';
import { asBody, countOf, createHarness, describeWithFixtures, firstMessage, firstStatus, fixture, valueOf } from './inbound-support';

const oldNumber = '16505551234';
const newNumber = '12195555358';
const bsuid = 'US.13491208655302741918';

function text(id: string, seconds: number, from: { waId?: string; userId?: string; name?: string; username?: string }, body = 'Hello'): string {
  const source = from.userId && !from.waId ? fixture('webhook-text-username-bsuid-no-phone.json') : fixture('webhook-text.json');
  const m = firstMessage(source);
  const contact = valueOf(source).contacts[0];
  m.id = id;
  m.timestamp = String(seconds);
  m.text.body = body;
  if (from.waId) {
    m.from = from.waId;
    contact.wa_id = from.waId;
  }
  if (from.userId) {
    m.from_user_id = from.userId;
    contact.user_id = from.userId;
  }
  if (from.name) contact.profile.name = from.name;
  if (from.username) contact.profile.username = from.username;
  return asBody(source);
}

function numberChange(seconds: number): string {
  const body = fixture('webhook-system-user-changed-number.json');
  firstMessage(body).timestamp = String(seconds);
  return asBody(body);
}

function preference(value: 'stop' | 'resume', seconds: number): string {
  const body = fixture('webhook-user-preferences.json');
  const p = valueOf(body).user_preferences[0];
  p.value = value;
  p.timestamp = seconds;
  return asBody(body);
}

describeWithFixtures('contacts from webhooks', () => {
  it('keeps a username user without a phone number, keyed on the BSUID', () => {
    const h = createHarness();
    h.process(fixture('webhook-text-username-bsuid-no-phone.json'));
    h.process(text('wamid.c.2', 1749416400, { userId: bsuid }, 'Size M please'));
    expect(countOf(h.archive, 'contacts')).toBe(1);
    const contact = h.archive.contacts.findByIdentity({ userId: bsuid })!;
    expect(contact).toMatchObject({ userId: bsuid, waId: null, phone: null, username: 'realsheenanelson', parentUserId: 'US.ENT.11815799212886844830' });
    expect(contactDisplayName({ ...contact, profileName: null })).toBe('@realsheenanelson');
    const conversation = h.archive.conversations.forContact(contact.id)!;
    expect(h.archive.messages.pageOfConversation(conversation.id).items.map((m) => m.text)).toEqual(['Size M please', 'Does it come in another color?']);
  });

  it('joins the BSUID record and the number record when a webhook names both', () => {
    const h = createHarness();
    h.process(fixture('webhook-text.json'));
    // The fixtures of the two share a wamid: a new one makes it a distinct message.
    h.process(text('wamid.c.bsuid', 1749416390, { userId: bsuid }, 'From my username'));
    expect(countOf(h.archive, 'contacts')).toBe(2);
    h.process(fixture('status-delivered-bsuid-with-phone.json'));
    expect(countOf(h.archive, 'contacts')).toBe(1);
    const person = h.archive.contacts.findByIdentity({ userId: bsuid })!;
    expect(person).toMatchObject({ userId: bsuid, waId: oldNumber, phone: oldNumber });
    expect(countOf(h.archive, 'conversations')).toBe(1);
    expect(h.archive.conversations.forContact(person.id)!.unreadCount).toBe(2);
    expect(h.eventsNamed('contacts:changed')).toEqual([expect.objectContaining({ contactId: person.id, reason: 'merged', mergedIds: [expect.any(Number)] })]);
  });

  it('follows a number change, merging a record of the new number, whatever the order', () => {
    const bodies = [
      text('wamid.c.old', 1750269000, { waId: oldNumber }, 'Before the change'),
      text('wamid.c.new', 1750269400, { waId: newNumber }, 'After the change'),
      numberChange(1750269342),
    ];
    for (const order of [bodies, [bodies[1]!, bodies[0]!, bodies[2]!], [bodies[2]!, bodies[1]!, bodies[0]!], [bodies[2]!, bodies[0]!, bodies[1]!]]) {
      const h = createHarness();
      for (const body of order) h.process(body);
      expect(countOf(h.archive, 'contacts')).toBe(1);
      const person = h.archive.contacts.findByIdentity({ waId: newNumber })!;
      expect(person).toMatchObject({ waId: newNumber, phone: newNumber, profileName: 'Sheena Nelson' });
      expect(h.archive.contacts.findByIdentity({ waId: oldNumber })!.id).toBe(person.id);
      const conversation = h.archive.conversations.forContact(person.id)!;
      expect(h.archive.messages.pageOfConversation(conversation.id).items.map((m) => m.type + ':' + (m.text ?? ''))).toEqual([
        'text:After the change',
        'system:User Sheena Nelson changed from 16505551234 to 12195555358',
        'text:Before the change',
      ]);
      expect(countOf(h.archive, 'conversations')).toBe(1);
    }
  });

  it('lets a late webhook from the old number find the person without taking the number back', () => {
    const h = createHarness();
    h.process(text('wamid.c.1', 1750269000, { waId: oldNumber }));
    h.process(numberChange(1750269342));
    h.process(text('wamid.c.2', 1750269100, { waId: oldNumber }, 'Sent before the change, delivered after'));
    const person = h.archive.contacts.findByIdentity({ waId: newNumber })!;
    expect(person.waId).toBe(newNumber);
    expect(h.archive.messages.getByWamid('wamid.c.2')!.conversationId).toBe(h.archive.conversations.forContact(person.id)!.id);
    expect(countOf(h.archive, 'contacts')).toBe(1);
  });

  it("takes the profile from the person's newest message, whatever the arrival order", () => {
    const older = text('wamid.c.a', 1750000000, { waId: oldNumber, name: 'Sheena' });
    const newer = text('wamid.c.b', 1750000500, { waId: oldNumber, name: 'Sheena Nelson-Park' });
    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      const h = createHarness();
      for (const body of order) h.process(body);
      expect(h.archive.contacts.findByIdentity({ waId: oldNumber })!.profileName).toBe('Sheena Nelson-Park');
    }
  });

  it('applies marketing stop and resume by their own times, in any order', () => {
    for (const [order, expected] of [
      [['stop', 'resume'], false],
      [['resume', 'stop'], false],
    ] as const) {
      const h = createHarness();
      const times = { stop: 1731705000, resume: 1731705721 };
      for (const value of order) h.process(preference(value, times[value]));
      expect(h.archive.contacts.findByIdentity({ waId: oldNumber })).toMatchObject({ marketingOptOut: expected, marketingOptOutAt: times.resume * 1000 });
    }
    const h = createHarness();
    h.process(preference('stop', 1731705000));
    expect(h.archive.contacts.findByIdentity({ waId: oldNumber })).toMatchObject({ marketingOptOut: true, marketingOptOutAt: 1731705000 * 1000 });
    expect(h.eventsNamed('contacts:changed')).toEqual([expect.objectContaining({ reason: 'marketing_preference' })]);
    // The same second: a stop wins, whatever came first.
    h.process(preference('resume', 1731705000));
    expect(h.archive.contacts.findByIdentity({ waId: oldNumber })!.marketingOptOut).toBe(true);
  });

  it('does not bring an erased contact back from replayed webhooks', () => {
    const h = createHarness();
    // What the privacy module leaves after erasing the customer: tombstones of their identities and messages.
    h.archive.tombstones.add('wa_id', oldNumber);
    h.archive.tombstones.add('phone', oldNumber);
    h.archive.tombstones.add('user_id', bsuid);
    h.archive.tombstones.add('wamid', 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=');

    const replayed = [
      fixture('webhook-text.json'),
      fixture('webhook-image.json'),
      fixture('webhook-group-text.json'),
      fixture('webhook-reaction.json'),
      fixture('webhook-edit.json'),
      fixture('webhook-revoke.json'),
      fixture('webhook-user-preferences.json'),
      fixture('webhook-text-username-bsuid-no-phone.json'),
      fixture('status-delivered-bsuid-with-phone.json'),
      fixture('status-delivered-bsuid-no-phone.json'),
      fixture('status-failed-131049.json'),
    ];
    let skipped = 0;
    for (const body of replayed) skipped += h.process(body).skipped;
    expect(skipped).toBe(replayed.length);
    for (const table of ['contacts', 'conversations', 'messages', 'media', 'reactions', 'status_events', 'messages_fts', 'contacts_fts']) {
      expect(countOf(h.archive, table), table).toBe(0);
    }
    expect(h.events).toEqual([]);
    expect(h.media).toEqual([]);
  });

  it('drops a replayed message whose own wamid was erased, even from an identity not erased', () => {
    const h = createHarness();
    const m = firstMessage(fixture('webhook-text.json'));
    h.archive.tombstones.add('wamid', m.id);
    expect(h.process(fixture('webhook-text.json')).skipped).toBe(1);
    expect(countOf(h.archive, 'messages')).toBe(0);
    const status = fixture('status-sent.json');
    h.archive.tombstones.add('wamid', firstStatus(status).id);
    expect(h.process(status).skipped).toBe(1);
  });
});
