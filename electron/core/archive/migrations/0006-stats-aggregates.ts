import type Database from 'better-sqlite3';
import type { Migration } from './runner';

/**
 * Aggregates the statistics read instead of the messages (PRODUCT §10, electron/core/stats): a 90-day range
 * of a busy archive holds about a million messages, too many to count on every view.
 *
 * stats_counts: per quarter hour (`slot` = timestamp / 900,000 ms — every timezone's offset is a whole number
 * of quarter hours, so local days and hours are unions of slots), per label (0 = every conversation; a
 * conversation's messages count under each label it carries now) and per sender (`staff_key`, '' for none:
 * automatic, API and inbound messages), the counts of metrics.ts. Triggers keep it exact: a message stored,
 * changed (status, time, sender, conversation) or deleted, and a label assigned to or taken from a
 * conversation (which moves all of its messages in or out of that label's rows).
 *
 * stats_episodes: the response-time episodes of each 1:1 conversation, rebuilt lazily. A trigger only marks the
 * conversation in stats_dirty when one of its turns changes; the statistics rebuild the marked conversations'
 * episodes before reading (stats-repository.ts refreshEpisodes), so ingest pays almost nothing and a message
 * stored out of order is placed correctly. stats_episode_blocks packs the episodes starting on each UTC day into
 * one blob (reading 200,000 episodes row by row costs half a second; 90 blobs a few ms), with senders as small
 * codes (stats_staff_codes).
 *
 * stats_failed: failed sends by error code read a small partial index rather than every outbound message.
 */

// One message's contribution to stats_counts, as named columns of a SELECT over \`m\` (NEW, OLD or a row), times sign.
const contribution = (m: string, sign: string) => `
  CAST(${m}.timestamp / 900000 AS INTEGER) AS slot,
  CASE WHEN ${m}.direction = 'out' THEN coalesce(${m}.sender_staff_id, '') ELSE '' END AS staff_key,
  ${sign} * (${m}.direction = 'out') AS sent,
  ${sign} * (${m}.direction = 'out' AND ${m}.status IN ('delivered', 'read', 'played')) AS delivered,
  ${sign} * (${m}.direction = 'out' AND ${m}.status IN ('read', 'played')) AS read,
  ${sign} * (${m}.direction = 'out' AND ${m}.status = 'failed') AS failed,
  ${sign} * (${m}.direction = 'in') AS received`;

// Whether a message counts at all: outbound except reactions, inbound except reactions and system events.
const counted = (m: string) => `((${m}.direction = 'out' AND ${m}.type <> 'reaction') OR (${m}.direction = 'in' AND ${m}.type NOT IN ('reaction', 'system')))`;
// Whether a message is a response-time turn (stats-repository.ts turnWhere).
const turn = (m: string) =>
  `((${m}.direction = 'in' AND ${m}.is_group = 0 AND ${m}.type NOT IN ('reaction', 'system')) OR (${m}.direction = 'out' AND ${m}.automatic IS NULL AND ${m}.type <> 'reaction'))`;

const columns = 'label_id, slot, staff_key, sent, delivered, read, failed, received';
const upsert = `ON CONFLICT DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered,
  read = read + excluded.read, failed = failed + excluded.failed, received = received + excluded.received`;

/** Adds (sign 1) or removes (sign -1) message \`m\` under every label its conversation carries, and under 0. */
const applyMessage = (m: string, sign: string) => `
  INSERT INTO stats_counts(${columns})
  SELECT l.label_id, ${contribution(m, sign)}
  FROM (SELECT 0 AS label_id UNION ALL SELECT label_id FROM conversation_labels WHERE conversation_id = ${m}.conversation_id) AS l
  WHERE ${counted(m)}
  ${upsert};`;

/** Adds (sign 1) or removes (sign -1) all of a conversation's messages under one label. */
const applyConversation = (row: string, sign: string) => `
  INSERT INTO stats_counts(${columns})
  SELECT ${row}.label_id, slot, staff_key, sum(sent), sum(delivered), sum(read), sum(failed), sum(received)
  FROM (SELECT ${contribution('m', sign)} FROM messages m WHERE m.conversation_id = ${row}.conversation_id AND ${counted('m')})
  WHERE 1 GROUP BY slot, staff_key
  ${upsert};`;

/** Marks a conversation whose turns changed: its episodes are rebuilt before the next statistics read. */
const markDirty = (m: string) => `INSERT OR IGNORE INTO stats_dirty(conversation_id) SELECT ${m}.conversation_id WHERE ${turn(m)};`;

const schema = `
CREATE TABLE stats_counts (
  label_id  INTEGER NOT NULL,
  slot      INTEGER NOT NULL,
  staff_key TEXT NOT NULL,
  sent      INTEGER NOT NULL,
  delivered INTEGER NOT NULL,
  read      INTEGER NOT NULL,
  failed    INTEGER NOT NULL,
  received  INTEGER NOT NULL,
  PRIMARY KEY (label_id, slot, staff_key)
) WITHOUT ROWID;

CREATE TRIGGER stats_counts_message_insert AFTER INSERT ON messages WHEN ${counted('NEW')}
BEGIN ${applyMessage('NEW', '1')} END;

CREATE TRIGGER stats_counts_message_delete AFTER DELETE ON messages WHEN ${counted('OLD')}
BEGIN ${applyMessage('OLD', '-1')} END;

CREATE TRIGGER stats_counts_message_update AFTER UPDATE OF conversation_id, direction, type, status, sender_staff_id, timestamp ON messages
WHEN OLD.conversation_id IS NOT NEW.conversation_id OR OLD.direction IS NOT NEW.direction OR OLD.type IS NOT NEW.type
  OR OLD.status IS NOT NEW.status OR OLD.sender_staff_id IS NOT NEW.sender_staff_id OR OLD.timestamp IS NOT NEW.timestamp
BEGIN ${applyMessage('OLD', '-1')} ${applyMessage('NEW', '1')} END;

CREATE TRIGGER stats_counts_label_assigned AFTER INSERT ON conversation_labels
BEGIN ${applyConversation('NEW', '1')} END;

CREATE TRIGGER stats_counts_label_removed AFTER DELETE ON conversation_labels
BEGIN ${applyConversation('OLD', '-1')} END;

CREATE TABLE stats_episodes (
  conversation_id     INTEGER NOT NULL,
  start_at            INTEGER NOT NULL,
  start_message_id    INTEGER NOT NULL,
  last_inbound_at     INTEGER NOT NULL,
  response_at         INTEGER,
  response_message_id INTEGER,
  staff_id            TEXT,
  PRIMARY KEY (conversation_id, start_at, start_message_id)
) WITHOUT ROWID;
-- Covering: a range of episodes is read in one index range.
CREATE INDEX stats_episodes_by_start ON stats_episodes(start_at, conversation_id, start_message_id, last_inbound_at, response_at, response_message_id, staff_id);

CREATE TABLE stats_dirty (conversation_id INTEGER PRIMARY KEY);

CREATE TABLE stats_episode_blocks (
  -- UTC day: start_at / 86,400,000.
  day  INTEGER PRIMARY KEY,
  -- Float64 little-endian, 7 per episode: stats-repository.ts episodeFields.
  data BLOB NOT NULL
);
CREATE TABLE stats_staff_codes (code INTEGER PRIMARY KEY, staff_id TEXT NOT NULL UNIQUE);

CREATE TRIGGER stats_dirty_message_insert AFTER INSERT ON messages BEGIN ${markDirty('NEW')} END;
CREATE TRIGGER stats_dirty_message_delete AFTER DELETE ON messages BEGIN ${markDirty('OLD')} END;
CREATE TRIGGER stats_dirty_message_update AFTER UPDATE OF conversation_id, direction, type, automatic, is_group, sender_staff_id, timestamp ON messages
BEGIN ${markDirty('OLD')} ${markDirty('NEW')} END;

-- Failed sends by error code.
CREATE INDEX stats_failed ON messages(timestamp, error_code, conversation_id, sender_staff_id, direction, type, status)
  WHERE direction = 'out' AND type <> 'reaction' AND status = 'failed';

-- What is already stored.
INSERT INTO stats_counts(${columns})
SELECT 0, slot, staff_key, sum(sent), sum(delivered), sum(read), sum(failed), sum(received)
FROM (SELECT ${contribution('m', '1')} FROM messages m WHERE ${counted('m')})
WHERE 1 GROUP BY slot, staff_key;
INSERT INTO stats_counts(${columns})
SELECT cl.label_id, slot, staff_key, sum(sent), sum(delivered), sum(read), sum(failed), sum(received)
FROM conversation_labels cl JOIN (SELECT m.conversation_id, ${contribution('m', '1')} FROM messages m WHERE ${counted('m')}) AS c
  ON c.conversation_id = cl.conversation_id
WHERE 1 GROUP BY cl.label_id, slot, staff_key;
INSERT INTO stats_dirty(conversation_id) SELECT DISTINCT conversation_id FROM messages m WHERE ${turn('m')};
`;

export const migration0006: Migration = {
  version: 6,
  up(db: Database.Database) {
    db.exec(schema);
  },
};
