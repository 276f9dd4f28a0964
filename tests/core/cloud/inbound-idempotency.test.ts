/**
 * At-least-once, unordered delivery (REFERENCE §1.4): the same events, repeated or shuffled, must leave the
 * same archive. The scenario is one customer's day built from Meta's fixtures (their shapes; ids, times and
 * a few values changed so the events are distinct), replayed in many orders into fresh archives.
 */
import { expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import type { Json } from './inbound-support';
import { asBody, canonicalDump, createHarness, describeWithFixtures, firstMessage, firstStatus, fixture, shuffled, valueOf } from './inbound-support';

const wamid = (name: string) => `wamid.scenario.${name}`;
const t0 = 1750100000;

/** A fixture's message with a new id and time (and whatever `edit` changes). */
function message(name: string, id: string, offset: number, edit?: (m: Json, body: Json) => void): Json {
  const body = fixture(name);
  const m = firstMessage(body);
  m.id = wamid(id);
  m.timestamp = String(t0 + offset);
  edit?.(m, body);
  return body;
}

function status(name: string, target: string, offset: number, edit?: (s: Json) => void): Json {
  const body = fixture(name);
  const s = firstStatus(body);
  s.id = wamid(target);
  s.timestamp = String(t0 + offset);
  edit?.(s);
  return body;
}

function scenario(): string[] {
  const bodies: Json[] = [
    message('webhook-text.json', 'text', 10),
    message('webhook-image.json', 'image', 20),
    message('webhook-document.json', 'document', 30),
    message('webhook-location.json', 'location', 40),
    message('webhook-interactive-list-reply.json', 'list', 50, (m) => (m.context.id = wamid('outbound-1'))),
    message('webhook-button-template-quick-reply.json', 'button', 60),
    message('webhook-contacts.json', 'contacts', 70),
    message('webhook-audio-voice.json', 'voice', 80),
    message('webhook-unsupported-131051.json', 'unsupported', 90),
    message('webhook-text.json', 'poll', 95, (m) => {
      m.type = 'poll_creation';
      m.poll_creation = { name: 'Colour?' };
      delete m.text;
    }),
    message('webhook-group-text.json', 'group', 100),
    // The customer reacts, changes the reaction, then removes it.
    message('webhook-reaction.json', 'reaction-1', 110, (m) => (m.reaction.message_id = wamid('text'))),
    message('webhook-reaction.json', 'reaction-2', 120, (m) => {
      m.reaction.message_id = wamid('text');
      m.reaction.emoji = '❤️';
    }),
    message('webhook-reaction-removed.json', 'reaction-3', 130, (m) => (m.reaction.message_id = wamid('text'))),
    // …and reacts to our message, which stays.
    message('webhook-reaction.json', 'reaction-4', 135, (m) => (m.reaction.message_id = wamid('outbound-1'))),
    // Two edits of the image caption and a deleted document.
    message('webhook-edit.json', 'edit-1', 140, (m) => (m.edit.original_message_id = wamid('image'))),
    message('webhook-edit.json', 'edit-2', 150, (m) => {
      m.edit.original_message_id = wamid('image');
      m.edit.message.image.caption = 'Taj Mahal at dawn';
    }),
    message('webhook-revoke.json', 'revoke', 160, (m) => (m.revoke.original_message_id = wamid('document'))),
    // Our message: sent, delivered, read (read arrives before delivered in some orders), a duplicate "sent".
    status('status-sent.json', 'outbound-1', 200),
    status('status-delivered-cbp.json', 'outbound-1', 210),
    status('status-v24-no-conversation-no-pricing.json', 'outbound-1', 220, (s) => (s.status = 'read')),
    // A message sent from elsewhere: its statuses stay orphans.
    status('status-failed-131049.json', 'elsewhere', 230),
    // The customer has a username and a BSUID; a status links it to the number.
    message('webhook-text-username-bsuid-no-phone.json', 'bsuid-text', 240),
    status('status-delivered-bsuid-with-phone.json', 'outbound-2', 250),
    // Marketing: stop, then resume.
    (() => {
      const body = fixture('webhook-user-preferences.json');
      const p = valueOf(body).user_preferences[0];
      p.value = 'stop';
      p.detail = 'User requested to stop marketing messages';
      p.timestamp = t0 + 260;
      return body;
    })(),
    (() => {
      const body = fixture('webhook-user-preferences.json');
      valueOf(body).user_preferences[0].timestamp = t0 + 270;
      return body;
    })(),
    // Templates: status, quality and category of one template, at different times.
    (() => {
      const body = fixture('webhook-template-status-approved.json');
      body.entry[0].time = t0 + 300;
      return body;
    })(),
    (() => {
      const body = fixture('webhook-template-status-approved.json');
      body.entry[0].time = t0 + 310;
      valueOf(body).event = 'PAUSED';
      return body;
    })(),
    (() => {
      const body = fixture('webhook-template-quality-update.json');
      valueOf(body).message_template_id = valueOf(fixture('webhook-template-status-approved.json')).message_template_id;
      valueOf(body).message_template_name = 'order_confirmation';
      body.entry[0].time = t0 + 320;
      return body;
    })(),
    (() => {
      const body = fixture('webhook-template-category-update-done.json');
      Object.assign(valueOf(body), { message_template_id: 1689556908129832, message_template_name: 'order_confirmation' });
      body.entry[0].time = t0 + 330;
      return body;
    })(),
    fixture('webhook-template-status-rejected-invalid-format.json'),
    fixture('webhook-template-category-update-impending.json'),
    fixture('webhook-phone-number-quality-update.json'),
    fixture('webhook-account-alerts.json'),
    fixture('webhook-errors-130429.json'),
    // The customer changes number, then writes from the new one.
    message('webhook-system-user-changed-number.json', 'system', 400),
    message('webhook-text.json', 'new-number', 410, (m, body) => {
      m.from = '12195555358';
      valueOf(body).contacts[0].wa_id = '12195555358';
      m.text.body = 'New number, same me';
    }),
    // A field Frontdesk does not act on.
    (() => {
      const body = fixture('webhook-account-alerts.json');
      body.entry[0].changes[0].field = 'business_capability_update';
      return body;
    })(),
  ];
  return bodies.map(asBody);
}

/** What the outbox would have stored before any of the webhooks: our two outbound messages. */
function seedOutbound(archive: Archive) {
  const contactId = archive.contacts.upsertByIdentity({ waId: '16505551234', phone: '16505551234' }, 'manual').id;
  const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
  for (const [i, id] of ['outbound-1', 'outbound-2'].entries()) {
    archive.messages.insert({ conversationId, wamid: wamid(id), clientId: `client-${i}`, direction: 'out', type: 'text', text: 'Hello', status: 'pending', timestamp: (t0 + 1) * 1000 });
  }
}

function replay(bodies: readonly string[]) {
  const h = createHarness();
  seedOutbound(h.archive);
  for (const body of bodies) h.process(body, h.clock.now());
  return { h, dump: canonicalDump(h.archive) };
}

describeWithFixtures('the same events in any order, any number of times, give the same archive', () => {
  it('builds the expected archive in arrival order', () => {
    const { h, dump } = replay(scenario());
    const get = (id: string) => h.archive.messages.getByWamid(wamid(id))!;

    // One person: number, BSUID and the new number merged.
    expect(dump.contacts.filter((c) => c.wa_id === '12195555358')).toHaveLength(1);
    const person = h.archive.contacts.findByIdentity({ userId: 'US.13491208655302741918' })!;
    expect(person).toMatchObject({ waId: '12195555358', phone: '12195555358', marketingOptOut: false, marketingOptOutAt: (t0 + 270) * 1000 });
    expect(h.archive.contacts.findByIdentity({ waId: '16505551234' })!.id).toBe(person.id);
    const conversation = h.archive.conversations.forContact(person.id)!;
    expect(get('text').conversationId).toBe(conversation.id);
    expect(get('bsuid-text').conversationId).toBe(conversation.id);
    expect(get('new-number').conversationId).toBe(conversation.id);

    expect(get('image')).toMatchObject({ caption: 'Taj Mahal at dawn', editedAt: (t0 + 150) * 1000 });
    expect(get('document')).toMatchObject({ caption: null, payloadJson: null, mediaId: null, revokedAt: (t0 + 160) * 1000 });
    expect(get('poll')).toMatchObject({ type: 'poll_creation', text: null });
    expect(get('outbound-1')).toMatchObject({ status: 'read', statusAt: (t0 + 220) * 1000 });
    expect(get('outbound-2')).toMatchObject({ status: 'delivered' });
    expect(h.archive.statusEvents.forWamid(wamid('elsewhere'))[0]).toMatchObject({ status: 'failed', applied: false });
    expect(h.archive.reactions.forMessage(wamid('text'))).toEqual([]);
    expect(h.archive.reactions.forMessage(wamid('outbound-1'))).toEqual([expect.objectContaining({ emoji: '👍', reactorContactId: person.id })]);
    expect(h.archive.templates.getByMetaId('1689556908129832')).toMatchObject({ status: 'PAUSED', quality: 'YELLOW', category: 'MARKETING' });
  });

  it('gives the same archive for every order tried', () => {
    const bodies = scenario();
    const reference = replay(bodies).dump;
    expect(replay([...bodies].reverse()).dump).toEqual(reference);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) expect(replay(shuffled(bodies, seed)).dump, `seed ${seed}`).toEqual(reference);
  });

  it('gives the same archive when every event comes two or three times', () => {
    const bodies = scenario();
    const reference = replay(bodies).dump;
    const repeated = shuffled([...bodies, ...bodies, ...shuffled(bodies, 99).slice(0, 10)], 42);
    expect(replay(repeated).dump).toEqual(reference);
  });

  it('changes nothing at all when a processed body comes again', () => {
    const { h } = replay(scenario());
    const tables = ['contacts', 'conversations', 'messages', 'media', 'status_events', 'reactions', 'templates', 'settings', 'contact_identity_history'];
    const snapshot = () => tables.map((t) => h.archive.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
    const before = snapshot();
    const events = h.events.length;
    h.clock.advance(60_000);
    for (const body of scenario()) h.process(body, h.clock.now() - 60_000);
    expect(snapshot()).toEqual(before);
    expect(h.events.slice(events)).toEqual([]);
  });
});
