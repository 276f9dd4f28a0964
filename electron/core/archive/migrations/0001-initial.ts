import type Database from 'better-sqlite3';
import type { Migration } from './runner';

/**
 * The schema for the whole product (PRODUCT.md §1–§14): later features mostly add behaviour, not tables.
 *
 * Conventions: times are INTEGER milliseconds since the epoch; booleans are 0/1 with a CHECK; our own enums
 * carry a CHECK, Meta's open-ended values (template status, status-webhook values, message types) do not,
 * because an unknown value from Meta must be stored, never crash the processor (§14). Every foreign key
 * column that can be a parent's child has an index, so deletes (erasure, retention) never scan a table.
 */
const schema = `
CREATE TABLE workspace (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('demo', 'business')),
  name         TEXT NOT NULL,
  -- This desk: several desks keep their own copy of a workspace's archive.
  desk_id      TEXT NOT NULL,
  -- Only the primary desk sends automatic replies, so a customer never gets two greetings.
  primary_desk INTEGER NOT NULL DEFAULT 1 CHECK (primary_desk IN (0, 1)),
  created_at   INTEGER NOT NULL,
  one_row      INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (one_row = 1)
);

-- Text ids: a staff member created on one desk is named by messages every other desk receives.
CREATE TABLE staff (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
  pin_hash   TEXT,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Keyed on the BSUID where Meta gives one, on wa_id otherwise; the phone number is an attribute that may be
-- missing (usernames). A contact imported from CSV may have only a phone until they write.
CREATE TABLE contacts (
  id                   INTEGER PRIMARY KEY,
  user_id              TEXT UNIQUE,
  parent_user_id       TEXT,
  wa_id                TEXT UNIQUE,
  phone                TEXT,
  username             TEXT,
  profile_name         TEXT,
  saved_name           TEXT,
  notes                TEXT NOT NULL DEFAULT '',
  blocked              INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
  marketing_opt_out    INTEGER NOT NULL DEFAULT 0 CHECK (marketing_opt_out IN (0, 1)),
  marketing_opt_out_at INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  CHECK (user_id IS NOT NULL OR wa_id IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX contacts_by_phone ON contacts(phone) WHERE phone IS NOT NULL;

-- Identities a contact used to have (number changes, BSUID updates, merged duplicates): a late webhook
-- naming an old identity still finds the same person, so changes merge and never duplicate.
CREATE TABLE contact_identity_history (
  id         INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('user_id', 'wa_id', 'phone', 'username')),
  old_value  TEXT,
  new_value  TEXT,
  reason     TEXT NOT NULL CHECK (reason IN ('webhook', 'number_change', 'user_id_update', 'merge', 'manual', 'import')),
  at         INTEGER NOT NULL
);
CREATE INDEX contact_identity_history_by_old ON contact_identity_history(kind, old_value) WHERE old_value IS NOT NULL;
CREATE INDEX contact_identity_history_by_contact ON contact_identity_history(contact_id);

-- One per contact, or one per group (group messages are stored and shown read-only).
CREATE TABLE conversations (
  id               INTEGER PRIMARY KEY,
  contact_id       INTEGER UNIQUE REFERENCES contacts(id) ON DELETE CASCADE,
  group_id         TEXT UNIQUE,
  pinned_at        INTEGER,
  pinned           INTEGER GENERATED ALWAYS AS (pinned_at IS NOT NULL) VIRTUAL,
  archived         INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  muted_until      INTEGER,
  unread_count     INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
  manual_unread    INTEGER NOT NULL DEFAULT 0 CHECK (manual_unread IN (0, 1)),
  last_activity_at INTEGER NOT NULL,
  -- The customer's last message: the 24-hour window runs from it.
  last_inbound_at  INTEGER,
  -- The last message a person on the staff sent (automatic replies excluded): "needs reply" compares the two.
  last_staff_at    INTEGER,
  last_message_id  INTEGER REFERENCES messages(id) ON DELETE SET NULL,
  draft            TEXT,
  created_at       INTEGER NOT NULL,
  CHECK ((contact_id IS NULL) <> (group_id IS NULL))
);
-- The inbox list: pinned first, then newest activity, cursor on (pinned, last_activity_at, id).
CREATE INDEX conversations_by_activity ON conversations(archived, pinned, last_activity_at, id);
CREATE INDEX conversations_by_last_message ON conversations(last_message_id) WHERE last_message_id IS NOT NULL;

CREATE TABLE media (
  id            INTEGER PRIMARY KEY,
  state         TEXT NOT NULL CHECK (state IN ('pending', 'downloading', 'stored', 'failed', 'expired')),
  mime          TEXT,
  size          INTEGER CHECK (size IS NULL OR size >= 0),
  file_name     TEXT,
  -- Meta's SHA-256 of the file (base64), checked after download.
  sha256        TEXT,
  meta_media_id TEXT,
  -- The media store's name for the encrypted file: identical files share one file.
  content_hash  TEXT CHECK (content_hash IS NULL OR (length(content_hash) = 64 AND content_hash NOT GLOB '*[^0-9a-f]*')),
  error         TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK (state <> 'stored' OR content_hash IS NOT NULL)
);
CREATE INDEX media_by_content_hash ON media(content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX media_by_meta_id ON media(meta_media_id) WHERE meta_media_id IS NOT NULL;

-- id grows with arrival, so full-text search can stream newest-first by rowid.
CREATE TABLE messages (
  id                INTEGER PRIMARY KEY,
  -- Null for an outbox row until Meta accepts it.
  wamid             TEXT UNIQUE,
  client_id         TEXT UNIQUE,
  conversation_id   INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  direction         TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  -- Meta's type as given; unknown and unsupported types are kept.
  type              TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  text              TEXT,
  caption           TEXT,
  payload_json      TEXT CHECK (payload_json IS NULL OR json_valid(payload_json)),
  reply_to_wamid    TEXT,
  status            TEXT CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'played', 'failed', 'unknown', 'not_confirmed')),
  status_at         INTEGER,
  error_code        INTEGER,
  error_title       TEXT,
  -- No foreign key: another desk's staff member may not be known here yet.
  sender_staff_id   TEXT,
  automatic         TEXT CHECK (automatic IN ('greeting', 'away')),
  timestamp         INTEGER NOT NULL,
  received_at       INTEGER NOT NULL,
  read_at           INTEGER,
  edited_at         INTEGER,
  revoked_at        INTEGER,
  starred           INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
  is_group          INTEGER NOT NULL DEFAULT 0 CHECK (is_group IN (0, 1)),
  group_id          TEXT,
  author_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  media_id          INTEGER REFERENCES media(id) ON DELETE SET NULL,
  CHECK (direction = 'out' OR (status IS NULL AND sender_staff_id IS NULL AND automatic IS NULL)),
  CHECK (direction = 'in' OR status IS NOT NULL),
  CHECK (is_group = (group_id IS NOT NULL))
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, timestamp, id);
CREATE INDEX messages_by_time ON messages(timestamp);
CREATE INDEX messages_starred ON messages(conversation_id, timestamp) WHERE starred = 1;
CREATE INDEX messages_by_media ON messages(media_id) WHERE media_id IS NOT NULL;
CREATE INDEX messages_by_author ON messages(author_contact_id) WHERE author_contact_id IS NOT NULL;

-- Every status webhook, kept: statuses for a message not (yet) stored wait here (applied = 0) until it
-- appears; the unique key makes a repeated webhook a no-op.
CREATE TABLE status_events (
  id          INTEGER PRIMARY KEY,
  wamid       TEXT NOT NULL,
  status      TEXT NOT NULL,
  timestamp   INTEGER NOT NULL,
  -- biz_opaque_callback_data: reconciles a send whose response was lost.
  client_id   TEXT,
  error_code  INTEGER,
  error_title TEXT,
  raw_json    TEXT NOT NULL CHECK (json_valid(raw_json)),
  received_at INTEGER NOT NULL,
  applied     INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
  UNIQUE (wamid, status, timestamp)
);
CREATE INDEX status_events_unapplied ON status_events(wamid) WHERE applied = 0;
CREATE INDEX status_events_by_client_id ON status_events(client_id) WHERE client_id IS NOT NULL;

-- One reaction per reactor per message (reactor NULL = the business). A removal keeps the row with a NULL
-- emoji and its time, so an older event arriving late cannot bring the reaction back.
CREATE TABLE reactions (
  id                 INTEGER PRIMARY KEY,
  message_wamid      TEXT NOT NULL,
  reactor_contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
  emoji              TEXT,
  timestamp          INTEGER NOT NULL,
  wamid              TEXT,
  sender_staff_id    TEXT
);
CREATE UNIQUE INDEX reactions_one_per_reactor ON reactions(message_wamid, ifnull(reactor_contact_id, 0));
CREATE INDEX reactions_by_contact ON reactions(reactor_contact_id) WHERE reactor_contact_id IS NOT NULL;

-- Unique whatever the case, in any script: name_key is the NFKC, lower-cased name (COLLATE NOCASE folds
-- ASCII only). Sorting uses name.
CREATE TABLE labels (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 100),
  name_key   TEXT NOT NULL UNIQUE,
  colour     INTEGER NOT NULL CHECK (colour BETWEEN 0 AND 19),
  position   INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE conversation_labels (
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  label_id        INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  assigned_at     INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, label_id)
) WITHOUT ROWID;
CREATE INDEX conversation_labels_by_label ON conversation_labels(label_id, conversation_id);

CREATE TABLE message_labels (
  message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  label_id    INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  assigned_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, label_id)
) WITHOUT ROWID;
CREATE INDEX message_labels_by_label ON message_labels(label_id, message_id);

CREATE TABLE quick_replies (
  id                  INTEGER PRIMARY KEY,
  shortcut            TEXT NOT NULL UNIQUE COLLATE NOCASE
                        CHECK (length(shortcut) BETWEEN 1 AND 25 AND shortcut NOT GLOB '*[^A-Za-z0-9_-]*'),
  text                TEXT NOT NULL CHECK (length(text) <= 1024),
  attachment_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
  keywords_json       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords_json)),
  usage_count         INTEGER NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
  position            INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX quick_replies_by_media ON quick_replies(attachment_media_id) WHERE attachment_media_id IS NOT NULL;

-- Category, status and quality are Meta's and open-ended (webhooks add values): no CHECK.
CREATE TABLE templates (
  id               INTEGER PRIMARY KEY,
  meta_id          TEXT UNIQUE,
  name             TEXT NOT NULL,
  language         TEXT NOT NULL,
  category         TEXT NOT NULL,
  sub_category     TEXT,
  status           TEXT NOT NULL,
  quality          TEXT,
  rejection_reason TEXT,
  parameter_format TEXT CHECK (parameter_format IN ('positional', 'named')),
  components_json  TEXT NOT NULL CHECK (json_valid(components_json)),
  synced_at        INTEGER,
  updated_at       INTEGER NOT NULL,
  UNIQUE (name, language)
);

-- Meta's fields as last read or saved, plus the local extras Meta does not hold (labelled contact methods).
CREATE TABLE business_profile (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  meta_json      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta_json)),
  extras_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extras_json)),
  photo_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
  synced_at      INTEGER,
  updated_at     INTEGER NOT NULL
);

-- Every change of the hours is kept with the time it took effect: statistics use the hours in force then.
CREATE TABLE business_hours_versions (
  id             INTEGER PRIMARY KEY,
  effective_from INTEGER NOT NULL UNIQUE,
  timezone       TEXT NOT NULL,
  schedule_json  TEXT NOT NULL CHECK (json_valid(schedule_json)),
  created_at     INTEGER NOT NULL
);

-- Greeting and away messages are idempotent on the inbound message (webhooks repeat), and an away message
-- goes at most once per contact per away period: both enforced here, not only in code.
CREATE TABLE auto_reply_log (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('greeting', 'away')),
  contact_id    INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  inbound_wamid TEXT NOT NULL,
  period_key    TEXT,
  message_id    INTEGER REFERENCES messages(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (kind, inbound_wamid),
  CHECK (kind = 'greeting' OR period_key IS NOT NULL)
);
CREATE UNIQUE INDEX auto_reply_away_once_per_period ON auto_reply_log(contact_id, period_key) WHERE kind = 'away';
CREATE INDEX auto_reply_by_contact ON auto_reply_log(contact_id);
CREATE INDEX auto_reply_by_message ON auto_reply_log(message_id) WHERE message_id IS NOT NULL;

-- Raw webhook bodies, committed before the receiver answers 200; the processor turns them into rows.
CREATE TABLE webhook_inbox (
  id           INTEGER PRIMARY KEY,
  received_at  INTEGER NOT NULL,
  source       TEXT NOT NULL CHECK (source IN ('direct', 'relay', 'sandbox', 'spool')),
  -- The relay's event id, when there is one: a redelivered event is not stored twice.
  external_id  TEXT UNIQUE,
  body         BLOB NOT NULL,
  -- X-Hub-Signature-256 as received, for bodies spooled while no app secret was at hand.
  signature    TEXT,
  verified     INTEGER NOT NULL DEFAULT 1 CHECK (verified IN (0, 1)),
  processed_at INTEGER,
  attempts     INTEGER NOT NULL DEFAULT 0,
  error        TEXT
);
CREATE INDEX webhook_inbox_pending ON webhook_inbox(id) WHERE processed_at IS NULL;
-- Small partial indexes: failed rows (retried after an upgrade) and bodies spooled unverified (checked at unlock).
CREATE INDEX webhook_inbox_failed ON webhook_inbox(id) WHERE error IS NOT NULL;
CREATE INDEX webhook_inbox_unverified ON webhook_inbox(id) WHERE verified = 0;

-- Written before any network call; one sender drains it.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  client_id       TEXT NOT NULL UNIQUE,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  message_id      INTEGER REFERENCES messages(id) ON DELETE CASCADE,
  request_json    TEXT NOT NULL CHECK (json_valid(request_json)),
  state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'not_confirmed', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_by_conversation ON outbox(conversation_id);
CREATE INDEX outbox_by_message ON outbox(message_id) WHERE message_id IS NOT NULL;

-- Hash-chained, append-only; names contacts only by an opaque id.
CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  at           INTEGER NOT NULL,
  action       TEXT NOT NULL,
  subject      TEXT,
  details_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details_json)),
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- What an erasure removed, so a replayed webhook or a restore does not bring it back. Keys are stored as
-- keyed hashes (salt in settings): the tombstone must not itself keep the erased number.
CREATE TABLE tombstones (
  kind       TEXT NOT NULL CHECK (kind IN ('user_id', 'wa_id', 'phone', 'wamid')),
  key_hash   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, key_hash)
) WITHOUT ROWID;

-- Business settings and secrets (access token, app secret) live here, inside the encrypted file.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value_json TEXT NOT NULL CHECK (json_valid(value_json)),
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO settings(key, value_json, updated_at) VALUES ('archive.tombstoneSalt', json_quote(lower(hex(randomblob(32)))), 0);

-- Full-text indexes. Contentless with contentless_delete=1: the indexed text is segmented (CJK words split
-- by Intl.Segmenter), not the stored text, so an external-content table would need a second copy of every
-- message; contentless stores none, deletes by rowid alone, and 'optimize' purges deleted tokens (erasure).
-- Snippets are cut from messages.text by the search module. Prefix indexes for 2 to 6 characters keep
-- search-as-you-type fast at a million messages (a longer prefix is selective enough without one).
CREATE VIRTUAL TABLE messages_fts USING fts5(
  body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6'
);
CREATE VIRTUAL TABLE contacts_fts USING fts5(
  names, notes, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
-- Removal must never be missed (cascades from an erased contact, retention): a trigger does it. Indexing
-- needs JavaScript (segmentation), so the repositories add entries.
CREATE TRIGGER messages_fts_remove AFTER DELETE ON messages BEGIN DELETE FROM messages_fts WHERE rowid = old.id; END;
CREATE TRIGGER contacts_fts_remove AFTER DELETE ON contacts BEGIN DELETE FROM contacts_fts WHERE rowid = old.id; END;
`;

export const migration0001: Migration = {
  version: 1,
  up(db: Database.Database) {
    db.exec(schema);
  },
};
