import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/core/errors';
import { createTestArchive } from '../../../support/archive-helpers';

describe('labels repository', () => {
  it('creates, renames, recolours and reorders labels', () => {
    const { archive } = createTestArchive();
    const names = ['New customer', 'New order', 'Pending payment', 'Paid', 'Order complete', 'High-value customer'];
    const created = names.map((name, i) => archive.labels.create({ name, colour: i }));
    expect(archive.labels.list().map((l) => l.name)).toEqual(names);
    archive.labels.rename(created[0]!.id, '  新客户  ');
    archive.labels.recolour(created[0]!.id, 19);
    expect(archive.labels.get(created[0]!.id)).toMatchObject({ name: '新客户', colour: 19 });
    archive.labels.reorder([created[5]!.id, created[3]!.id]);
    expect(archive.labels.list().map((l) => l.id)).toEqual([5, 3, 0, 1, 2, 4].map((i) => created[i]!.id));
  });

  it('refuses a name already taken in any case or width, naming the field', () => {
    const { archive } = createTestArchive();
    const paid = archive.labels.create({ name: 'Paid', colour: 0 });
    archive.labels.create({ name: 'Café', colour: 0 });
    for (const name of ['paid', 'PAID', 'ＰＡＩＤ', ' Paid ', 'CAFÉ']) {
      let error: unknown;
      try {
        archive.labels.create({ name, colour: 1 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).fields).toEqual([{ path: 'name', message: 'taken' }]);
    }
    expect(() => archive.labels.rename(paid.id, 'PAID')).not.toThrow(); // its own name, new case
    expect(() => archive.labels.create({ name: 'x'.repeat(101), colour: 0 })).toThrow(AppError);
    expect(() => archive.labels.create({ name: 'Ok', colour: 20 })).toThrow(AppError);
  });

  it('assigns to conversations in bulk and to messages, counts, and deletes with its assignments', () => {
    const { archive } = createTestArchive();
    const conversations = ['1', '2', '3'].map((waId) => archive.conversations.getOrCreateForContact(archive.contacts.upsertByIdentity({ waId }).id).conversation.id);
    const message = archive.messages.insert({ conversationId: conversations[0]!, wamid: 'w', direction: 'in', type: 'text', text: 'hi', timestamp: 1 }).id;
    const label = archive.labels.create({ name: 'Pending payment', colour: 5 });
    expect(archive.labels.assignToConversations(label.id, conversations)).toBe(3);
    expect(archive.labels.assignToConversations(label.id, conversations)).toBe(0);
    archive.labels.assignToMessage(label.id, message);
    expect(archive.labels.list()[0]).toMatchObject({ conversationCount: 3, messageCount: 1 });
    expect(archive.labels.ofConversation(conversations[1]!).map((l) => l.id)).toEqual([label.id]);
    expect(archive.labels.ofMessage(message).map((l) => l.id)).toEqual([label.id]);
    expect(archive.labels.unassignFromConversations(label.id, [conversations[1]!])).toBe(1);
    expect(archive.labels.countAssignments(label.id)).toBe(3);
    expect(archive.labels.delete(label.id)).toBe(3);
    expect(archive.labels.ofConversation(conversations[0]!)).toEqual([]);
    expect(archive.labels.list()).toEqual([]);
  });
});

describe('settings, media and tombstones repositories', () => {
  it('stores settings as JSON', () => {
    const { archive } = createTestArchive();
    archive.settings.set('cloud.connection', { phoneNumberId: '106540352242922', graphVersion: 'v25.0' });
    expect(archive.settings.get('cloud.connection')).toEqual({ phoneNumberId: '106540352242922', graphVersion: 'v25.0' });
    archive.settings.delete('cloud.connection');
    expect(archive.settings.get('cloud.connection')).toBeUndefined();
  });

  it('keeps only keyed hashes in tombstones', () => {
    const { archive } = createTestArchive();
    archive.tombstones.add('wa_id', '8613800000001');
    expect(archive.tombstones.has('wa_id', '8613800000001')).toBe(true);
    expect(archive.tombstones.has('user_id', '8613800000001')).toBe(false);
    expect(archive.tombstones.has('wa_id', '8613800000002')).toBe(false);
    const keys = archive.db.prepare<[], string>('SELECT key_hash FROM tombstones').pluck().all();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(keys[0]).not.toContain('8613800000001');
  });

  it('tracks media rows from pending to stored', () => {
    const { archive } = createTestArchive();
    const media = archive.media.create({ state: 'pending', mime: 'image/jpeg', metaMediaId: '1234', sha256: 'abc=' });
    expect(archive.media.byMetaMediaId('1234')!.id).toBe(media.id);
    archive.media.markStored(media.id, { contentHash: 'a'.repeat(64), size: 10 });
    expect(archive.media.get(media.id)).toMatchObject({ state: 'stored', contentHash: 'a'.repeat(64), size: 10, mime: 'image/jpeg' });
    archive.media.setState(media.id, 'expired', 'gone');
    expect(archive.media.get(media.id)).toMatchObject({ state: 'expired', error: 'gone' });
  });
});
