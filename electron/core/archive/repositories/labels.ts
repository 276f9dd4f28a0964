import type Database from 'better-sqlite3';
import { AppError } from '../../errors';
import type { Label, LabelWithCounts } from '../types';

export interface LabelsRepository {
  /** Labels in their display order, with how many conversations and messages carry each. */
  list(): LabelWithCounts[];
  get(id: number): Label | undefined;
  /** Appended at the end of the order. A name already taken (in any case) is refused naming the field. */
  create(input: { name: string; colour: number }): Label;
  rename(id: number, name: string): void;
  recolour(id: number, colour: number): void;
  /** The given ids first, in that order; any label not named keeps its relative order after them. */
  reorder(ids: readonly number[]): void;
  /** How many assignments a delete would remove (the confirmation names it). */
  countAssignments(id: number): number;
  /** Deletes the label and its assignments; returns how many assignments went. */
  delete(id: number): number;
  assignToConversations(labelId: number, conversationIds: readonly number[]): number;
  unassignFromConversations(labelId: number, conversationIds: readonly number[]): number;
  assignToMessage(labelId: number, messageId: number): void;
  unassignFromMessage(labelId: number, messageId: number): void;
  ofConversation(conversationId: number): Label[];
  ofMessage(messageId: number): Label[];
  /** The conversations carrying the label. */
  conversationsWith(labelId: number): number[];
  /** How many conversations and messages carry the label. */
  usage(id: number): { conversations: number; messages: number };
  /** Returns how many were newly labelled. */
  assignToMessages(labelId: number, messageIds: readonly number[]): number;
  unassignFromMessages(labelId: number, messageIds: readonly number[]): number;
  /** Those of the ids that name a conversation / a message (the rest no longer exist). */
  existingConversations(ids: readonly number[]): number[];
  /** The messages that exist, with their conversation. */
  existingMessages(ids: readonly number[]): { id: number; conversationId: number }[];
  /** Messages carrying the label, newest first (timestamp, then id), older than message `before` if given. */
  messages(labelId: number, before: number | null, limit: number): LabelMessageRow[];
}

export interface LabelMessageRow {
  messageId: number;
  conversationId: number;
  contactId: number | null;
  groupId: string | null;
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  waId: string | null;
  direction: 'in' | 'out';
  type: string;
  text: string | null;
  caption: string | null;
  fileName: string | null;
  timestamp: number;
  revokedAt: number | null;
}

const labelColumns = 'l.id, l.name, l.colour, l.position, l.created_at AS createdAt';

/** Unique in any script and case: "Paid" = "PAID", "Café" = "CAFÉ", full-width letters = ASCII. */
export function labelNameKey(name: string): string {
  return name.trim().normalize('NFKC').toLowerCase();
}

export function createLabelsRepository(db: Database.Database, now: () => number): LabelsRepository {
  const list = db.prepare<[], LabelWithCounts>(`
    SELECT ${labelColumns},
      (SELECT count(*) FROM conversation_labels cl WHERE cl.label_id = l.id) AS conversationCount,
      (SELECT count(*) FROM message_labels ml WHERE ml.label_id = l.id) AS messageCount
    FROM labels l ORDER BY l.position, l.id`);
  const byId = db.prepare<[number], Label>(`SELECT ${labelColumns} FROM labels l WHERE l.id = ?`);
  const idByKey = db.prepare<[string], number>('SELECT id FROM labels WHERE name_key = ?').pluck();
  const nextPosition = db.prepare<[], number>('SELECT ifnull(max(position) + 1, 0) FROM labels').pluck();
  const insert = db.prepare<[string, string, number, number, number]>(
    'INSERT INTO labels(name, name_key, colour, position, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const rename = db.prepare<[string, string, number]>('UPDATE labels SET name = ?, name_key = ? WHERE id = ?');
  const recolour = db.prepare<[number, number]>('UPDATE labels SET colour = ? WHERE id = ?');
  const allIds = db.prepare<[], number>('SELECT id FROM labels ORDER BY position, id').pluck();
  const setPosition = db.prepare<[number, number]>('UPDATE labels SET position = ? WHERE id = ?');
  const countAssignments = db.prepare<[number, number], number>(`
    SELECT (SELECT count(*) FROM conversation_labels WHERE label_id = ?) + (SELECT count(*) FROM message_labels WHERE label_id = ?)`).pluck();
  const remove = db.prepare<[number]>('DELETE FROM labels WHERE id = ?');
  const assignConversation = db.prepare<[number, number, number]>(
    'INSERT OR IGNORE INTO conversation_labels(conversation_id, label_id, assigned_at) VALUES (?, ?, ?)',
  );
  const unassignConversation = db.prepare<[number, number]>('DELETE FROM conversation_labels WHERE conversation_id = ? AND label_id = ?');
  const assignMessage = db.prepare<[number, number, number]>(
    'INSERT OR IGNORE INTO message_labels(message_id, label_id, assigned_at) VALUES (?, ?, ?)',
  );
  const unassignMessage = db.prepare<[number, number]>('DELETE FROM message_labels WHERE message_id = ? AND label_id = ?');
  const ofConversation = db.prepare<[number], Label>(`
    SELECT ${labelColumns} FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id
    WHERE cl.conversation_id = ? ORDER BY l.position, l.id`);
  const ofMessage = db.prepare<[number], Label>(`
    SELECT ${labelColumns} FROM message_labels ml JOIN labels l ON l.id = ml.label_id
    WHERE ml.message_id = ? ORDER BY l.position, l.id`);

  const usage = db.prepare<[number, number], { conversations: number; messages: number }>(`
    SELECT (SELECT count(*) FROM conversation_labels WHERE label_id = ?) AS conversations,
      (SELECT count(*) FROM message_labels WHERE label_id = ?) AS messages`);
  const conversationsWith = db.prepare<[number], number>('SELECT conversation_id FROM conversation_labels WHERE label_id = ?').pluck();
  const conversationExists = db.prepare<[number], number>('SELECT id FROM conversations WHERE id = ?').pluck();
  const messageConversation = db.prepare<[number], { id: number; conversationId: number }>(
    'SELECT id, conversation_id AS conversationId FROM messages WHERE id = ?',
  );
  const messageColumns = `m.id AS messageId, m.conversation_id AS conversationId, c.id AS contactId, cv.group_id AS groupId,
      c.saved_name AS savedName, c.profile_name AS profileName, c.phone, c.username, c.wa_id AS waId,
      m.direction, m.type, m.text, m.caption, md.file_name AS fileName, m.timestamp, m.revoked_at AS revokedAt`;
  const messageJoins = `FROM message_labels ml
      JOIN messages m ON m.id = ml.message_id
      JOIN conversations cv ON cv.id = m.conversation_id
      LEFT JOIN contacts c ON c.id = cv.contact_id
      LEFT JOIN media md ON md.id = m.media_id`;
  // Newest first by message id (the order messages reached the archive): read straight from the label's
  // index, a page at a time, however many messages carry the label.
  const messagesNewest = db.prepare<[number, number], LabelMessageRow>(`
    SELECT ${messageColumns} ${messageJoins}
    WHERE ml.label_id = ? ORDER BY ml.message_id DESC LIMIT ?`);
  const messagesBefore = db.prepare<[number, number, number], LabelMessageRow>(`
    SELECT ${messageColumns} ${messageJoins}
    WHERE ml.label_id = ? AND ml.message_id < ?
    ORDER BY ml.message_id DESC LIMIT ?`);

  function checkName(name: string, exceptId?: number): { name: string; key: string } {
    const trimmed = name.trim();
    if (trimmed.length === 0 || [...trimmed].length > 100) {
      throw new AppError('invalid_request', 'A label name has 1 to 100 characters', [{ path: 'name', message: 'length' }]);
    }
    const key = labelNameKey(trimmed);
    const holder = idByKey.get(key);
    if (holder !== undefined && holder !== exceptId) {
      throw new AppError('invalid_request', 'A label with this name already exists', [{ path: 'name', message: 'taken' }]);
    }
    return { name: trimmed, key };
  }

  function checkColour(colour: number): number {
    if (!Number.isInteger(colour) || colour < 0 || colour > 19) {
      throw new AppError('invalid_request', 'The colour is one of the 20 in the palette', [{ path: 'colour', message: 'range' }]);
    }
    return colour;
  }

  return {
    list: () => list.all(),
    get: (id) => byId.get(id),

    create(input) {
      return db.transaction(() => {
        const { name, key } = checkName(input.name);
        const id = Number(insert.run(name, key, checkColour(input.colour), nextPosition.get()!, now()).lastInsertRowid);
        return byId.get(id)!;
      }).immediate();
    },

    rename(id, name) {
      db.transaction(() => {
        const checked = checkName(name, id);
        rename.run(checked.name, checked.key, id);
      }).immediate();
    },

    recolour: (id, colour) => void recolour.run(checkColour(colour), id),

    reorder(ids) {
      db.transaction(() => {
        const named = new Set(ids);
        const order = [...ids, ...allIds.all().filter((id) => !named.has(id))];
        order.forEach((id, position) => setPosition.run(position, id));
      }).immediate();
    },

    countAssignments: (id) => countAssignments.get(id, id)!,

    delete(id) {
      return db.transaction(() => {
        const assignments = countAssignments.get(id, id)!;
        // conversation_labels and message_labels rows go by ON DELETE CASCADE.
        remove.run(id);
        return assignments;
      }).immediate();
    },

    assignToConversations(labelId, conversationIds) {
      return db.transaction(() => {
        const t = now();
        let added = 0;
        for (const id of conversationIds) added += assignConversation.run(id, labelId, t).changes;
        return added;
      }).immediate();
    },

    unassignFromConversations(labelId, conversationIds) {
      return db.transaction(() => {
        let removed = 0;
        for (const id of conversationIds) removed += unassignConversation.run(id, labelId).changes;
        return removed;
      }).immediate();
    },

    assignToMessage: (labelId, messageId) => void assignMessage.run(messageId, labelId, now()),
    unassignFromMessage: (labelId, messageId) => void unassignMessage.run(messageId, labelId),
    ofConversation: (conversationId) => ofConversation.all(conversationId),
    ofMessage: (messageId) => ofMessage.all(messageId),
    usage: (id) => usage.get(id, id)!,
    conversationsWith: (labelId) => conversationsWith.all(labelId),

    assignToMessages(labelId, messageIds) {
      return db.transaction(() => {
        const t = now();
        let added = 0;
        for (const id of messageIds) added += assignMessage.run(id, labelId, t).changes;
        return added;
      }).immediate();
    },

    unassignFromMessages(labelId, messageIds) {
      return db.transaction(() => {
        let removed = 0;
        for (const id of messageIds) removed += unassignMessage.run(id, labelId).changes;
        return removed;
      }).immediate();
    },

    existingConversations: (ids) => ids.filter((id) => conversationExists.get(id) !== undefined),
    existingMessages: (ids) => ids.flatMap((id) => messageConversation.get(id) ?? []),
    messages: (labelId, before, limit) => (before === null ? messagesNewest.all(labelId, limit) : messagesBefore.all(labelId, before, limit)),
  };
}
