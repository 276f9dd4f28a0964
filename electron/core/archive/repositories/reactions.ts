import type Database from 'better-sqlite3';

/**
 * Reactions: one per reactor per message (reactor null = the business). The newest event wins, by Meta's
 * timestamp, so webhooks in any order end in the same state; a removal is kept as a row with a null emoji,
 * so an older reaction arriving late cannot bring it back. The message may not be stored (yet): reactions
 * are keyed by its wamid.
 */
export interface ReactionsRepository {
  /** Returns whether the stored reaction changed. */
  apply(reaction: ReactionEvent): boolean;
  /** The reactions a message currently shows (removals left out), oldest first. */
  forMessage(messageWamid: string): Reaction[];
  /** The reactor's current reaction to a message, or the removal that replaced it. */
  get(messageWamid: string, reactorContactId: number | null): Reaction | undefined;
}

export interface ReactionEvent {
  messageWamid: string;
  reactorContactId: number | null;
  /** Null (or empty) removes. */
  emoji: string | null;
  timestamp: number;
  /** The reaction message's own wamid. */
  wamid?: string | null;
  senderStaffId?: string | null;
}

export interface Reaction {
  id: number;
  messageWamid: string;
  reactorContactId: number | null;
  emoji: string | null;
  timestamp: number;
  wamid: string | null;
  senderStaffId: string | null;
}

const columns = `id, message_wamid AS messageWamid, reactor_contact_id AS reactorContactId, emoji, timestamp, wamid, sender_staff_id AS senderStaffId`;

export function createReactionsRepository(db: Database.Database): ReactionsRepository {
  // Events with the same timestamp are ordered by a fixed rule (a removal last, then emoji, then wamid), so
  // the outcome never depends on arrival order.
  const upsert = db.prepare<{ messageWamid: string; reactor: number | null; emoji: string | null; timestamp: number; wamid: string | null; staff: string | null }>(`
    INSERT INTO reactions(message_wamid, reactor_contact_id, emoji, timestamp, wamid, sender_staff_id)
    VALUES (:messageWamid, :reactor, :emoji, :timestamp, :wamid, :staff)
    ON CONFLICT (message_wamid, ifnull(reactor_contact_id, 0)) DO UPDATE SET
      emoji = excluded.emoji, timestamp = excluded.timestamp, wamid = excluded.wamid, sender_staff_id = excluded.sender_staff_id
    WHERE (excluded.timestamp, excluded.emoji IS NULL, ifnull(excluded.emoji, ''), ifnull(excluded.wamid, ''))
        > (reactions.timestamp, reactions.emoji IS NULL, ifnull(reactions.emoji, ''), ifnull(reactions.wamid, ''))`);
  // A message has a handful of reactions: sorted here rather than by a temporary b-tree.
  const forMessage = db.prepare<[string], Reaction>(`SELECT ${columns} FROM reactions WHERE message_wamid = ? AND emoji IS NOT NULL`);
  const one = db.prepare<[string, number], Reaction>(`SELECT ${columns} FROM reactions WHERE message_wamid = ? AND ifnull(reactor_contact_id, 0) = ?`);

  return {
    apply: (r) =>
      upsert.run({
        messageWamid: r.messageWamid,
        reactor: r.reactorContactId,
        emoji: r.emoji || null,
        timestamp: r.timestamp,
        wamid: r.wamid ?? null,
        staff: r.senderStaffId ?? null,
      }).changes > 0,
    forMessage: (messageWamid) => forMessage.all(messageWamid).sort((a, b) => a.timestamp - b.timestamp || a.id - b.id),
    get: (messageWamid, reactorContactId) => one.get(messageWamid, reactorContactId ?? 0),
  };
}
