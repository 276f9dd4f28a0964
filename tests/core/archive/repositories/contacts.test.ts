import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../../../electron/core/clock';
import { createTestArchive } from '../../../support/archive-helpers';

describe('contacts repository', () => {
  it('creates a contact once per identity and updates its profile', () => {
    const clock = createVirtualClock();
    const { archive } = createTestArchive({ clock });
    const first = archive.contacts.upsertByIdentity({ userId: 'CN.1001', waId: '8613800000001', phone: '8613800000001', profileName: '王芳' });
    expect(first).toEqual({ id: first.id, created: true, mergedIds: [] });
    clock.advance(1000);
    const again = archive.contacts.upsertByIdentity({ userId: 'CN.1001', profileName: '王芳芳' });
    expect(again).toEqual({ id: first.id, created: false, mergedIds: [] });
    expect(archive.contacts.get(first.id)).toMatchObject({ profileName: '王芳芳', waId: '8613800000001', createdAt: clock.now() - 1000, updatedAt: clock.now() });
    // Found by wa_id alone too (a webhook without the BSUID).
    expect(archive.contacts.upsertByIdentity({ waId: '8613800000001' }).id).toBe(first.id);
  });

  it('finds the existing contact when staff type a number they already have', () => {
    const { archive } = createTestArchive();
    const known = archive.contacts.upsertByIdentity({ userId: 'CN.5', waId: '8613800000005', phone: '8613800000005' }).id;
    expect(archive.contacts.upsertByIdentity({ phone: '8613800000005' }, 'manual')).toEqual({ id: known, created: false, mergedIds: [] });
    const fresh = archive.contacts.upsertByIdentity({ phone: '8613800000006' }, 'manual');
    expect(fresh.created).toBe(true);
    expect(archive.contacts.upsertByIdentity({ phone: '8613800000006' }, 'manual').id).toBe(fresh.id);
  });

  it('keeps username-only contacts, with no phone number', () => {
    const { archive } = createTestArchive();
    const { id } = archive.contacts.upsertByIdentity({ userId: 'US.77', username: 'bob.builds', profileName: 'Bob' });
    expect(archive.contacts.get(id)).toMatchObject({ phone: null, waId: null, username: 'bob.builds' });
    expect(() => archive.contacts.upsertByIdentity({ username: 'nobody' })).toThrow(/user id, a wa_id or a phone/);
  });

  it('merges a number-only record with the person who then writes from that number, never duplicating', () => {
    const { archive } = createTestArchive();
    // Staff started a chat by typing a number (or imported it from CSV).
    const typed = archive.contacts.upsertByIdentity({ phone: '447700900123' }, 'manual').id;
    archive.contacts.update(typed, { savedName: 'Emma (florist)', notes: 'Wants roses' });
    const conversation = archive.conversations.getOrCreateForContact(typed).conversation.id;
    archive.messages.insert({ conversationId: conversation, direction: 'out', type: 'template', text: 'Hello', status: 'sent', timestamp: 1 });
    // Meanwhile, a webhook created the BSUID contact before the number was linked to it.
    const bsuid = archive.contacts.upsertByIdentity({ userId: 'GB.555', username: 'emma' }).id;
    const bsuidConversation = archive.conversations.getOrCreateForContact(bsuid).conversation.id;
    archive.messages.insert({ conversationId: bsuidConversation, wamid: 'wamid.in1', direction: 'in', type: 'text', text: 'Hi!', timestamp: 2 });
    // Now one event carries both: they are one person.
    const result = archive.contacts.upsertByIdentity({ userId: 'GB.555', waId: '447700900123', profileName: 'Emma' });
    expect(result).toEqual({ id: bsuid, created: false, mergedIds: [typed] });
    expect(archive.contacts.get(typed)).toBeUndefined();
    expect(archive.contacts.get(bsuid)).toMatchObject({ userId: 'GB.555', waId: '447700900123', phone: '447700900123', savedName: 'Emma (florist)', notes: 'Wants roses', username: 'emma' });
    const merged = archive.conversations.forContact(bsuid)!;
    expect(archive.messages.pageOfConversation(merged.id).items.map((m) => m.text)).toEqual(['Hi!', 'Hello']);
    expect(merged.unreadCount).toBe(1);
    expect(archive.conversations.get(conversation)).toBeUndefined();
    expect(archive.search.searchContacts('florist').map((h) => h.contactId)).toEqual([bsuid]);
  });

  it('follows a number change and still finds the person by the old number', () => {
    const { archive } = createTestArchive();
    const { id } = archive.contacts.upsertByIdentity({ userId: 'CN.9', waId: '8613800000009', phone: '8613800000009' });
    archive.contacts.changeIdentity(id, 'wa_id', '8613900000009', 'number_change');
    archive.contacts.changeIdentity(id, 'phone', '8613900000009', 'number_change');
    expect(archive.contacts.get(id)).toMatchObject({ waId: '8613900000009', phone: '8613900000009' });
    // A late webhook from before the change names the old number.
    expect(archive.contacts.upsertByIdentity({ waId: '8613800000009' }).id).toBe(id);
    expect(archive.contacts.get(id)!.waId).toBe('8613800000009');
    expect(archive.contacts.findByIdentity({ waId: '8613900000009' })?.id).toBe(id);
  });

  it('merges when a BSUID update names an identity another record already holds', () => {
    const { archive } = createTestArchive();
    const old = archive.contacts.upsertByIdentity({ userId: 'US.old', waId: '15550001111' }).id;
    const fresh = archive.contacts.upsertByIdentity({ userId: 'US.new' }).id;
    const result = archive.contacts.changeIdentity(old, 'user_id', 'US.new', 'user_id_update');
    expect(result.mergedIds).toEqual([fresh]);
    expect(archive.contacts.get(old)!.userId).toBe('US.new');
    expect(archive.contacts.findByIdentity({ userId: 'US.old' })?.id).toBe(old);
    expect(archive.contacts.findByIdentity({ userId: 'US.new' })?.id).toBe(old);
  });

  it('records blocking, notes and marketing opt-out', () => {
    const { archive } = createTestArchive();
    const { id } = archive.contacts.upsertByIdentity({ waId: '1' });
    archive.contacts.update(id, { blocked: true, notes: 'rude', marketingOptOut: { optedOut: true, at: 123 } });
    expect(archive.contacts.get(id)).toMatchObject({ blocked: true, notes: 'rude', marketingOptOut: true, marketingOptOutAt: 123 });
    archive.contacts.update(id, { marketingOptOut: { optedOut: false, at: 456 }, savedName: null });
    expect(archive.contacts.get(id)).toMatchObject({ blocked: true, marketingOptOut: false, marketingOptOutAt: null, savedName: null });
  });
});
