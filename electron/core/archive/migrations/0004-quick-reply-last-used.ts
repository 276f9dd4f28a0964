import type Database from 'better-sqlite3';
import type { Migration } from './runner';

/** When each quick reply was last used (PRODUCT §7: usage count and last used are kept). */
const schema = `
ALTER TABLE quick_replies ADD COLUMN last_used_at INTEGER;
`;

export const migration0004: Migration = {
  version: 4,
  up(db: Database.Database) {
    db.exec(schema);
  },
};
