import type Database from 'better-sqlite3';
import type { Migration } from './runner';

/**
 * Indexes for the inbox (PRODUCT §2). Partial indexes: each holds only the rows the question is about, so
 * they stay small however large the archive grows.
 */
const schema = `
-- The list's "unread" filter and the badge count read only unread conversations, in list order.
CREATE INDEX conversations_unread ON conversations(archived, pinned, last_activity_at, id)
  WHERE unread_count > 0 OR manual_unread = 1;
-- "Needs reply" (the customer's last message has no staff answer after it): usually a short list, read in list order.
CREATE INDEX conversations_needs_reply ON conversations(archived, pinned, last_activity_at, id)
  WHERE last_inbound_at > ifnull(last_staff_at, 0);
-- The 24-hour window: conversations whose customer wrote since a time (open windows are the recent ones).
CREATE INDEX conversations_by_inbound ON conversations(archived, last_inbound_at);
-- Opening a chat marks its unread inbound messages read without reading the rest of its history.
CREATE INDEX messages_unread_inbound ON messages(conversation_id, timestamp) WHERE direction = 'in' AND read_at IS NULL;
`;

export const migration0002: Migration = {
  version: 2,
  up(db: Database.Database) {
    db.exec(schema);
  },
};
