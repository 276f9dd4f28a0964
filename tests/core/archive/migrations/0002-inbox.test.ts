import { describe, expect, it } from 'vitest';
import { readSchemaVersion } from '../../../../electron/core/archive/migrations';
import { createDB, schemaOf, updateToVersion } from '../../../support/archive-helpers';

describe('migration 0002 (inbox indexes)', () => {
  it('adds the inbox’s partial indexes to a version 1 archive, keeping its rows', () => {
    const { db } = createDB();
    updateToVersion(db, 1);
    db.exec(`INSERT INTO contacts(id, wa_id, created_at, updated_at) VALUES (1, '85291234567', 0, 0);
             INSERT INTO conversations(id, contact_id, unread_count, last_activity_at, last_inbound_at, created_at) VALUES (1, 1, 2, 10, 10, 0);
             INSERT INTO messages(conversation_id, wamid, direction, type, timestamp, received_at) VALUES (1, 'wamid.a', 'in', 'text', 10, 10);`);
    updateToVersion(db, 2);
    expect(readSchemaVersion(db)).toBe(2);
    const indexes = schemaOf(db).filter((o) => o.type === 'index').map((o) => o.name);
    expect(indexes).toEqual(expect.arrayContaining(['conversations_unread', 'conversations_needs_reply', 'conversations_by_inbound', 'messages_unread_inbound']));
    expect(db.prepare('SELECT count(*) FROM conversations INDEXED BY conversations_unread WHERE archived = 0 AND (unread_count > 0 OR manual_unread = 1)').pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM messages INDEXED BY messages_unread_inbound WHERE conversation_id = 1 AND direction = 'in' AND read_at IS NULL").pluck().get()).toBe(1);
  });
});
