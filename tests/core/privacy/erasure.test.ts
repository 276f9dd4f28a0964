/**
 * Erasing a contact (PRODUCT §13): nothing of the person is left in the database pages (decrypted with the
 * key, free pages included), the WAL, the full-text index or the media files; a file another message uses
 * stays; replaying Meta's webhooks does not bring anything back.
 */
import { expect, it } from 'vitest';
import { createInboxScrub, redactInbox } from '../../../electron/core/privacy';
import { redactWebhookBody } from '../../../electron/core/privacy/inbox-redaction';
import { createHarness, decryptedDatabase, decryptedWal, found } from './privacy-support';
import { bodiesOfTheErasedPerson, controlMarkers, controlNumber, erasedMarkers, everything, newNumber, oldNumber, seedPerson, sharedImage, t0 } from './seed-person';
import { describeWithFixtures, textBody, twoMessagesBody } from './webhook-bodies';

describeWithFixtures('contact erasure', () => {
  it('leaves no trace of the person in database pages, WAL, search index or media files, and keeps what others use', async () => {
    const { h, pipeline, contactId, conversationId, erasure, audit, pendingRow, spooledRow } = await seedPerson();
    const { archive } = h;
    const contact = archive.contacts.get(contactId)!;
    expect(contact).toMatchObject({ waId: newNumber, phone: newNumber, profileName: erasedMarkers.name, marketingOptOut: true });
    const documentHash = archive.media.get(archive.messages.getByWamid('wamid.ERASED.4')!.mediaId!)!.contentHash!;
    const sharedHash = archive.media.get(archive.messages.getByWamid('wamid.CONTROL.2')!.mediaId!)!.contentHash!;
    expect(archive.media.get(archive.messages.getByWamid('wamid.ERASED.3')!.mediaId!)!.contentHash).toBe(sharedHash);
    expect(archive.search.searchMessages({ text: erasedMarkers.text }).items.length).toBeGreaterThan(0);

    // The check can see plaintext: before the erasure it finds the person everywhere.
    archive.checkpoint();
    const before = found(await everything(h), { ...erasedMarkers, ...controlMarkers });
    expect(before).toEqual(expect.arrayContaining(['oldNumber', 'name', 'nameToken', 'note', 'text', 'chinese', 'fileName', 'outbound', 'draft', 'group', 'documentContent', 'controlText']));

    // Their own chat: 3 texts, image, document, location, the number-change notice, the business's message; and their group post.
    expect(erasure.preview({ contactId })).toEqual({ contactId, messages: 9, conversations: 1, mediaRows: 2, labelAssignments: 2 });
    const result = await erasure.erase({ contactId });
    expect(result).toMatchObject({
      contactId,
      messages: 9,
      conversations: 1,
      outbox: 1,
      labelAssignments: 2,
      mediaFiles: 1,
      inboxBodies: { redacted: 1, waiting: 1 },
      walTruncated: true,
    });
    // Right after the erasure: the WAL holds nothing of them, and the pages only the one body not yet
    // signature-checked (spooled while the app secret was unknown: the processor and the scrub deal with it).
    expect(found(decryptedWal(h.path, h.key), erasedMarkers)).toEqual([]);
    expect(found(decryptedDatabase(h.path, h.key), erasedMarkers)).toEqual(['newNumber', 'name', 'spooled']);
    expect(result.statusEvents).toBeGreaterThanOrEqual(2);
    // Every processed body about them (12), the waiting batched one redacted, the unverified one left for later.
    expect(result.inboxBodies.deleted).toBe(12);
    expect(result.tombstones).toBeGreaterThanOrEqual(2 + 10);

    // Rows: the person, their chat, their messages everywhere, their reactions and statuses are gone.
    expect(archive.contacts.get(contactId)).toBeUndefined();
    expect(archive.conversations.get(conversationId)).toBeUndefined();
    for (const wamid of ['wamid.ERASED.1', 'wamid.ERASED.4', 'wamid.ERASED.G1', 'wamid.ERASED.SYS', 'wamid.OUT.1']) expect(archive.messages.getByWamid(wamid)).toBeUndefined();
    expect(archive.reactions.forMessage('wamid.OUT.1')).toEqual([]);
    expect(archive.statusEvents.forWamid('wamid.OUT.1')).toEqual([]);
    expect(archive.statusEvents.forWamid('wamid.OUT.ORPHAN')).toEqual([]);
    expect(archive.outbox.byClientId('client-out-1')).toBeUndefined();
    expect(archive.search.searchMessages({ text: erasedMarkers.text }).items).toEqual([]);
    expect(archive.search.searchContacts('Zorblax')).toEqual([]);
    // Tombstones hold keyed hashes of every identity and message id.
    for (const n of [oldNumber, newNumber]) expect(archive.tombstones.has('wa_id', n)).toBe(true);
    expect(archive.tombstones.has('wamid', 'wamid.ERASED.1')).toBe(true);

    // Everyone else is untouched: the control contact, their messages in the chat and the group, the shared picture.
    expect(archive.contacts.findByIdentity({ waId: controlNumber })?.profileName).toBe(controlMarkers.controlName);
    expect(archive.messages.getByWamid('wamid.CONTROL.G1')).toBeDefined();
    expect(archive.search.searchMessages({ text: controlMarkers.controlText }).items).toHaveLength(1);
    expect(await h.media.has(sharedHash)).toBe(true);
    expect(Buffer.from(await h.media.read(sharedHash)).equals(sharedImage)).toBe(true);
    expect(await h.media.has(documentHash)).toBe(false);
    const group = archive.conversations.get(archive.messages.getByWamid('wamid.CONTROL.G1')!.conversationId)!;
    expect(group.lastMessageId).toBe(archive.messages.getByWamid('wamid.CONTROL.G1')!.id);

    // The waiting body lost only the person's message: the processor still stores the control contact's.
    pipeline.processor.drainAll();
    expect(archive.messages.getByWamid('wamid.CONTROL.P1')).toBeDefined();
    expect(archive.messages.getByWamid('wamid.ERASED.P1')).toBeUndefined();
    expect(pendingRow).toBeGreaterThan(0);

    // The audit entry names the contact by id only, with counts.
    const entry = archive.audit.page({ limit: 1 })[0]!;
    expect(entry).toMatchObject({ action: 'privacy.contact-erased', subject: `contact:${contactId}`, details: { messages: 9, mediaFiles: 1 } });
    expect(audit.verify().ok).toBe(true);

    // The spooled body is checked at unlock, processed (the person dropped), then scrubbed from the inbox.
    archive.webhookInbox.markVerified(spooledRow);
    pipeline.processor.drainAll();
    expect(archive.messages.getByWamid('wamid.ERASED.S1')).toBeUndefined();
    const scrub = createInboxScrub({ archive, audit, logger: h.logger });
    expect(scrub.run().deleted).toBeGreaterThanOrEqual(1);

    // No trace: decrypted pages (free pages too), the WAL, the FTS shadow tables and every media file.
    expect(found(decryptedWal(h.path, h.key), erasedMarkers)).toEqual([]);
    const after = await everything(h);
    expect(found(after, erasedMarkers)).toEqual([]);
    // …while the scan still sees what was kept.
    expect(found(after, controlMarkers)).toEqual(['controlText', 'controlName', 'controlNumber']);
    const shadow = archive.db.prepare<[], { block: Buffer | null }>('SELECT block FROM messages_fts_data').all();
    expect(found(Buffer.concat(shadow.map((r) => r.block ?? Buffer.alloc(0))), { text: erasedMarkers.text, chineseWord: erasedMarkers.chineseWord })).toEqual([]);
    const contactShadow = archive.db.prepare<[], { block: Buffer | null }>('SELECT block FROM contacts_fts_data').all();
    expect(found(Buffer.concat(contactShadow.map((r) => r.block ?? Buffer.alloc(0))), { nameToken: erasedMarkers.nameToken, note: erasedMarkers.note })).toEqual([]);
  });

  it('does not bring the person back when every webhook is replayed, and scrubs the replayed bodies', async () => {
    const { h, pipeline, contactId, erasure, audit, spooledRow } = await seedPerson();
    const { archive } = h;
    await erasure.erase({ contactId });
    pipeline.processor.drainAll();
    const contactsBefore = archive.db.prepare('SELECT count(*) FROM contacts').pluck().get();
    const messagesBefore = archive.db.prepare('SELECT count(*) FROM messages').pluck().get();

    // Meta redelivers everything (a relay replay, a restart of the receiver), in a different order.
    h.clock.advance(3_600_000);
    pipeline.deliver([...bodiesOfTheErasedPerson()].reverse());
    pipeline.deliver(bodiesOfTheErasedPerson());
    expect(pipeline.jobs).toEqual([]);
    for (const n of [oldNumber, newNumber]) expect(archive.contacts.findByIdentity({ waId: n })).toBeUndefined();
    for (const wamid of ['wamid.ERASED.1', 'wamid.ERASED.3', 'wamid.ERASED.7', 'wamid.ERASED.G1', 'wamid.ERASED.SYS']) expect(archive.messages.getByWamid(wamid)).toBeUndefined();
    expect(archive.reactions.forMessage('wamid.OUT.1')).toEqual([]);
    expect(archive.statusEvents.forWamid('wamid.OUT.1')).toEqual([]);
    expect(archive.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(contactsBefore);
    expect(archive.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(messagesBefore);
    expect(archive.search.searchMessages({ text: erasedMarkers.text }).items).toEqual([]);

    // The replayed raw bodies were kept by the inbox as processed rows: the scrub deletes them. The body
    // spooled unverified before the erasure waits (the scrub remembers it) until it is checked and processed.
    expect(found(Buffer.concat([decryptedDatabase(h.path, h.key), decryptedWal(h.path, h.key)]), { text: erasedMarkers.text })).toEqual(['text']);
    const scrub = createInboxScrub({ archive, audit, logger: h.logger });
    expect(scrub.run()).toMatchObject({ deleted: 24 });
    expect(scrub.run()).toEqual({ scanned: 0, deleted: 0 });
    expect(archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'privacy.inbox-scrubbed', subject: null, details: { inboxBodies: 24 } });
    archive.webhookInbox.markVerified(spooledRow);
    pipeline.processor.drainAll();
    expect(scrub.run()).toEqual({ scanned: 1, deleted: 1 });
    expect(found(await everything(h), erasedMarkers)).toEqual([]);
  });

  it('redacts a whole inbox with a matcher (a restored copy before it replaces the current archive)', async () => {
    const h = await createHarness();
    const { archive } = h;
    const gone = textBody(oldNumber, erasedMarkers.name, 'wamid.R1', 'gone', t0);
    const kept = textBody(controlNumber, controlMarkers.controlName, 'wamid.R2', 'kept', t0);
    const [processed, pending, mixed, unverified, unrelated] = archive.webhookInbox.appendMany(
      [gone, gone, twoMessagesBody(gone, kept), gone, kept].map((body, i) => ({ body: Buffer.from(JSON.stringify(body)), receivedAt: t0 * 1000, source: 'relay' as const, verified: i !== 3 })),
    );
    archive.webhookInbox.markProcessed(processed!, t0 * 1000);
    archive.webhookInbox.markProcessed(unrelated!, t0 * 1000);
    const matcher = { identity: (v: string) => v === oldNumber, wamid: () => false };
    expect(redactInbox(archive, matcher, 2)).toEqual({ deleted: 2, redacted: 1 });
    const left = archive.db.prepare<[], { id: number; body: Buffer }>('SELECT id, body FROM webhook_inbox ORDER BY id').all();
    expect(left.map((r) => r.id)).toEqual([mixed, unverified, unrelated]);
    expect(left[0]!.body.toString()).not.toContain(oldNumber);
    expect(left[0]!.body.toString()).toContain(controlNumber);
    expect(pending).toBeDefined();
  });

  it('refuses an unknown contact and a malformed request with stable codes', async () => {
    const { erasure } = await seedPerson();
    await expect(erasure.erase({ contactId: 987654 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(erasure.erase({ contactId: 'x' })).rejects.toMatchObject({ code: 'invalid_request', fields: [{ path: 'contactId' }] });
    expect(() => erasure.preview({})).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

it('redacts a batched webhook body: only the erased person goes, the shapes stay', () => {
  const body = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { phone_number_id: '1' },
              contacts: [{ wa_id: '111111111' }, { wa_id: '222222222' }],
              messages: [
                { from: '111111111', id: 'w1', type: 'text', text: { body: 'gone' } },
                { from: '222222222', id: 'w2', type: 'reaction', reaction: { message_id: 'w-erased', emoji: '👍' } },
                { from: '222222222', id: 'w3', type: 'text', text: { body: 'kept' } },
              ],
              statuses: [{ id: 'w-erased', recipient_id: '222222222', status: 'read' }],
            },
          },
          { field: 'user_preferences', value: { user_preferences: [{ wa_id: '111111111', value: 'stop' }] } },
        ],
      },
    ],
  };
  const erased = { identity: (v: string) => v === '111111111', wamid: (v: string) => v === 'w-erased' };
  const result = redactWebhookBody(body, erased);
  expect(result.removed).toBe(5);
  expect(result.body).toEqual({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { phone_number_id: '1' },
              contacts: [{ wa_id: '222222222' }],
              messages: [{ from: '222222222', id: 'w3', type: 'text', text: { body: 'kept' } }],
            },
          },
        ],
      },
    ],
  });
  // Nothing of the person: unchanged, the same object.
  expect(redactWebhookBody(body, { identity: () => false, wamid: () => false })).toEqual({ body, removed: 0 });
  // Only the person: nothing left.
  expect(redactWebhookBody({ entry: [{ changes: [{ field: 'messages', value: { messages: [{ from: '111111111', id: 'x' }] } }] }] }, erased)).toEqual({ body: null, removed: 1 });
});
