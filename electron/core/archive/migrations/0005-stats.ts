import type Database from 'better-sqlite3';
import type { Migration } from './runner';

/**
 * Indexes for the statistics (PRODUCT §10, electron/core/stats). Partial and covering: each holds only the
 * messages one family of metrics counts, with every column those metrics read (the columns of the WHERE clause too: SQLite only treats a partial
 * index as covering when the query's columns are all in it), so a 90-day range is one
 * index range and never a visit to the messages table. The WHERE clauses are repeated word for word by the
 * statistics queries (SQLite uses a partial index only when the query implies its condition).
 */
const schema = `
-- Sent / delivered / read / failed and the per-staff counts: outbound messages except reactions.
CREATE INDEX stats_outbound ON messages(timestamp, status, error_code, sender_staff_id, conversation_id, direction, type)
  WHERE direction = 'out' AND type <> 'reaction';
-- Received: inbound messages except reactions and system events.
CREATE INDEX stats_inbound ON messages(timestamp, conversation_id, direction, type)
  WHERE direction = 'in' AND type NOT IN ('reaction', 'system');
-- Response times: the turns of each 1:1 conversation (customer messages and staff messages; automatic
-- replies, reactions and system events never start or stop the clock), in conversation order.
CREATE INDEX stats_turns ON messages(conversation_id, timestamp, direction, id, sender_staff_id, is_group, type, automatic)
  WHERE (direction = 'in' AND is_group = 0 AND type NOT IN ('reaction', 'system'))
     OR (direction = 'out' AND automatic IS NULL AND type <> 'reaction');
`;

export const migration0005: Migration = {
  version: 5,
  up(db: Database.Database) {
    db.exec(schema);
  },
};
