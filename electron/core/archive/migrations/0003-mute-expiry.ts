import type Database from 'better-sqlite3';
import type { Migration } from './runner';

/**
 * When the next timed mute ends (its unread counts in the badge again), read from the few muted
 * conversations instead of every conversation, after each inbox change.
 */
const schema = `
CREATE INDEX conversations_muted ON conversations(muted_until) WHERE muted_until IS NOT NULL;
`;

export const migration0003: Migration = {
  version: 3,
  up(db: Database.Database) {
    db.exec(schema);
  },
};
