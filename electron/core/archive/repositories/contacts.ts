import type Database from 'better-sqlite3';
import { parseSearchQuery } from '../search';
import type { Contact, ContactIdentity, ContactUpsertResult } from '../types';
import type { ConversationsRepository } from './conversations';
import type { SearchIndexRepository } from './search-index';

export type IdentityKind = 'user_id' | 'wa_id' | 'phone' | 'username';
export type IdentityReason = 'webhook' | 'number_change' | 'user_id_update' | 'merge' | 'manual' | 'import';

export interface ContactsRepository {
  get(id: number): Contact | undefined;
  /** The contact an identity points to now, or used to (an old number or BSUID still finds the person). */
  findByIdentity(identity: ContactIdentity): Contact | undefined;
  /**
   * Finds the contact for these identities, creating or updating it. When the identities point to two
   * stored contacts (a number-only record and the same person's BSUID), they are merged into one: the
   * person never appears twice. Needs at least one of userId, waId, phone.
   */
  upsertByIdentity(identity: ContactIdentity, reason?: IdentityReason): ContactUpsertResult;
  /** A number or BSUID change Meta told us about (`system` / `user_id_update` webhooks). */
  changeIdentity(id: number, kind: 'user_id' | 'wa_id' | 'phone', newValue: string, reason: IdentityReason): ContactUpsertResult;
  update(id: number, patch: ContactPatch): void;
  /**
   * The contacts page: contacts matching a search (names, usernames, digits of numbers anywhere, the BSUID)
   * and carrying a label (through their conversation), in display-name order, a page at a time.
   */
  directory(query: ContactDirectoryQuery): { items: ContactDirectoryEntry[]; total: number };
  directoryEntry(id: number): ContactDirectoryEntry | undefined;
  /**
   * An imported row: the contact with this number (wa_id, number, or a former number) gets the name and
   * notes; otherwise a number-only contact is created. Never merges and never changes a number.
   */
  importByPhone(entry: ImportedContact): { id: number; outcome: 'added' | 'updated' | 'unchanged' };
}

export interface ContactDirectoryQuery {
  text?: string;
  labelId?: number;
  offset?: number;
  /** Omitted: every match (the export). */
  limit?: number;
}

export interface ContactDirectoryEntry extends Contact {
  conversationId: number | null;
  /** The first and last message of the contact's conversation. */
  firstContactAt: number | null;
  lastContactAt: number | null;
  /** Labels of the contact's conversation, in label order. */
  labels: Array<{ id: number; name: string; colour: number }>;
}

export interface ImportedContact {
  /** E.164 digits, validated by the caller. */
  phone: string;
  /** Null keeps the stored saved name. */
  savedName: string | null;
  /** Added to the stored notes unless they already contain it. */
  notes: string | null;
}

export interface ContactPatch {
  savedName?: string | null;
  notes?: string;
  blocked?: boolean;
  /** Opt-out time when true (from `user_preferences` webhooks); cleared when false. */
  marketingOptOut?: { optedOut: boolean; at: number };
}

const contactColumns = `
  id, user_id AS userId, parent_user_id AS parentUserId, wa_id AS waId, phone, username, profile_name AS profileName,
  saved_name AS savedName, notes, blocked, marketing_opt_out AS marketingOptOut, marketing_opt_out_at AS marketingOptOutAt,
  created_at AS createdAt, updated_at AS updatedAt`;

type ContactRow = Omit<Contact, 'blocked' | 'marketingOptOut'> & { blocked: number; marketingOptOut: number };
type DirectoryRow = ContactRow & { conversationId: number | null };

const directoryColumns = `
  c.id, c.user_id AS userId, c.parent_user_id AS parentUserId, c.wa_id AS waId, c.phone, c.username, c.profile_name AS profileName,
  c.saved_name AS savedName, c.notes, c.blocked, c.marketing_opt_out AS marketingOptOut, c.marketing_opt_out_at AS marketingOptOutAt,
  c.created_at AS createdAt, c.updated_at AS updatedAt, cv.id AS conversationId`;

const displayNameSql = "coalesce(nullif(trim(c.saved_name), ''), nullif(trim(c.profile_name), ''))";
/**
 * Display-name order: named contacts, then number-only, then username-only, then BSUID-only; within each,
 * ASCII case-insensitively (SQLite has no ICU collation here; other scripts sort by code point), then id.
 */
const directoryOrder = `
  CASE WHEN ${displayNameSql} IS NOT NULL THEN 0 WHEN coalesce(c.phone, c.wa_id) IS NOT NULL THEN 1 WHEN c.username IS NOT NULL THEN 2 ELSE 3 END,
  coalesce(${displayNameSql}, c.phone, c.wa_id, c.username, c.user_id) COLLATE NOCASE, c.id`;

const escapeLike = (text: string) => text.replace(/[\\%_]/gu, (ch) => `\\${ch}`);

interface TextFilter {
  sql: string;
  params: Record<string, string>;
}

/**
 * What a search box query means for contacts. Digits typed in any format (`+86 138-0013`, `(0)20 7946`)
 * match anywhere in the number, also without the trunk 0 or the 00 prefix; words match names through the
 * index (segmented: 小明 finds 王小明) and as a plain substring too, for prefixes the segmenter split apart.
 */
function textFilter(text: string): TextFilter | null {
  const normalized = text.normalize('NFKC').trim();
  if (normalized === '') return null;
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const phoneLike = /^[+\d\s().\-/]+$/u.test(normalized) && /\d/u.test(normalized);
  if (phoneLike) {
    const digits = normalized.replace(/\D/gu, '');
    const variants = new Set([digits, digits.replace(/^00/u, ''), digits.replace(/^0+/u, '')].filter((d) => d.length > 0));
    [...variants].forEach((d, i) => {
      params[`digits${i}`] = `%${d}%`;
      clauses.push(`c.phone LIKE :digits${i}`, `c.wa_id LIKE :digits${i}`);
    });
  } else {
    const parsed = parseSearchQuery(normalized);
    if (parsed) {
      params.match = `{names} : (${parsed.match})`;
      clauses.push('c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH :match)');
    }
    const bare = normalized.replace(/^@/u, '');
    if (bare !== '') {
      params.like = `%${escapeLike(bare)}%`;
      clauses.push(...['c.saved_name', 'c.profile_name', 'c.username'].map((column) => `${column} LIKE :like ESCAPE '\\'`));
    }
    params.raw = normalized;
    clauses.push('c.user_id = :raw');
  }
  return clauses.length === 0 ? null : { sql: `(${clauses.join(' OR ')})`, params };
}

const toContact = (r: ContactRow): Contact => ({ ...r, blocked: r.blocked === 1, marketingOptOut: r.marketingOptOut === 1 });

const identityColumn = { user_id: 'userId', wa_id: 'waId', phone: 'phone', username: 'username' } as const;

export function createContactsRepository(
  db: Database.Database,
  deps: { now: () => number; conversations: ConversationsRepository; searchIndex: SearchIndexRepository },
): ContactsRepository {
  const byId = db.prepare<[number], ContactRow>(`SELECT ${contactColumns} FROM contacts WHERE id = ?`);
  const idByUserId = db.prepare<[string], number>('SELECT id FROM contacts WHERE user_id = ?').pluck();
  const idByWaId = db.prepare<[string], number>('SELECT id FROM contacts WHERE wa_id = ?').pluck();
  // A number-only record (imported, or a new chat typed by staff) is the same person as the wa_id that answers.
  const idByBarePhone = db.prepare<[string], number>(
    'SELECT id FROM contacts WHERE phone = ? AND user_id IS NULL AND wa_id IS NULL ORDER BY id LIMIT 1',
  ).pluck();
  const idByPhone = db.prepare<[string], number>('SELECT id FROM contacts WHERE phone = ? ORDER BY id LIMIT 1').pluck();
  const idByOldIdentity = db.prepare<[IdentityKind, string], number>(`
    SELECT h.contact_id FROM contact_identity_history h
    WHERE h.kind = ? AND h.old_value = ? ORDER BY h.id DESC LIMIT 1`).pluck();
  const insert = db.prepare<{ userId: string | null; parentUserId: string | null; waId: string | null; phone: string | null; username: string | null; profileName: string | null; now: number }>(`
    INSERT INTO contacts(user_id, parent_user_id, wa_id, phone, username, profile_name, created_at, updated_at)
    VALUES (:userId, :parentUserId, :waId, :phone, :username, :profileName, :now, :now)`);
  const setIdentity = {
    user_id: db.prepare<[string | null, number, number]>('UPDATE contacts SET user_id = ?, updated_at = ? WHERE id = ?'),
    wa_id: db.prepare<[string | null, number, number]>('UPDATE contacts SET wa_id = ?, updated_at = ? WHERE id = ?'),
    phone: db.prepare<[string | null, number, number]>('UPDATE contacts SET phone = ?, updated_at = ? WHERE id = ?'),
    username: db.prepare<[string | null, number, number]>('UPDATE contacts SET username = ?, updated_at = ? WHERE id = ?'),
  };
  const setProfile = db.prepare<{ id: number; profileName: string | null; parentUserId: string | null; now: number }>(`
    UPDATE contacts SET profile_name = coalesce(:profileName, profile_name), parent_user_id = coalesce(:parentUserId, parent_user_id),
      updated_at = :now
    WHERE id = :id AND (profile_name IS NOT coalesce(:profileName, profile_name) OR parent_user_id IS NOT coalesce(:parentUserId, parent_user_id))`);
  const addHistory = db.prepare<[number, IdentityKind, string | null, string | null, IdentityReason, number]>(
    'INSERT INTO contact_identity_history(contact_id, kind, old_value, new_value, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const patch = db.prepare<{ id: number; savedName: number; savedNameValue: string | null; notes: string | null; blocked: number | null; optOut: number | null; optOutAt: number | null; now: number }>(`
    UPDATE contacts SET
      saved_name = CASE WHEN :savedName = 1 THEN :savedNameValue ELSE saved_name END,
      notes = coalesce(:notes, notes),
      blocked = coalesce(:blocked, blocked),
      marketing_opt_out = coalesce(:optOut, marketing_opt_out),
      marketing_opt_out_at = CASE WHEN :optOut IS NULL THEN marketing_opt_out_at WHEN :optOut = 1 THEN :optOutAt ELSE NULL END,
      updated_at = :now
    WHERE id = :id`);
  // Merging: what the absorbed record owned follows it. OR IGNORE where both already had one (both reacted
  // to the same message): the survivor's row wins and the other goes with the deleted contact.
  const moveReactions = db.prepare<[number, number]>('UPDATE OR IGNORE reactions SET reactor_contact_id = ? WHERE reactor_contact_id = ?');
  const moveAutoReplies = db.prepare<[number, number]>('UPDATE OR IGNORE auto_reply_log SET contact_id = ? WHERE contact_id = ?');
  const moveAuthorship = db.prepare<[number, number]>('UPDATE messages SET author_contact_id = ? WHERE author_contact_id = ?');
  const moveHistory = db.prepare<[number, number]>('UPDATE contact_identity_history SET contact_id = ? WHERE contact_id = ?');
  const absorbFields = db.prepare<{ keep: number; gone: number; now: number }>(`
    UPDATE contacts AS k SET
      saved_name = coalesce(k.saved_name, g.saved_name),
      profile_name = coalesce(k.profile_name, g.profile_name),
      parent_user_id = coalesce(k.parent_user_id, g.parent_user_id),
      username = coalesce(k.username, g.username),
      notes = CASE WHEN k.notes = '' THEN g.notes WHEN g.notes = '' OR g.notes = k.notes THEN k.notes ELSE k.notes || char(10) || g.notes END,
      blocked = max(k.blocked, g.blocked),
      marketing_opt_out = max(k.marketing_opt_out, g.marketing_opt_out),
      marketing_opt_out_at = coalesce(k.marketing_opt_out_at, g.marketing_opt_out_at),
      created_at = min(k.created_at, g.created_at),
      updated_at = :now
    FROM (SELECT * FROM contacts WHERE id = :gone) AS g
    WHERE k.id = :keep`);
  const remove = db.prepare<[number]>('DELETE FROM contacts WHERE id = ?');
  // The contacts page. min() and max() each take one probe of messages_by_conversation (conversation_id, timestamp).
  const firstMessageAt = db.prepare<[number], number | null>('SELECT min(timestamp) FROM messages WHERE conversation_id = ?').pluck();
  const lastMessageAt = db.prepare<[number], number | null>('SELECT max(timestamp) FROM messages WHERE conversation_id = ?').pluck();
  const labelsOf = db.prepare<[string], { conversationId: number; id: number; name: string; colour: number }>(`
    SELECT cl.conversation_id AS conversationId, l.id, l.name, l.colour
    FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id
    WHERE cl.conversation_id IN (SELECT value FROM json_each(?))
    ORDER BY l.position, l.id`);
  const directoryStatements = new Map<string, { page: Database.Statement<Record<string, unknown>, DirectoryRow>; count: Database.Statement<Record<string, unknown>, number> }>();
  const insertImported = db.prepare<[string, string | null, string, number, number]>(
    'INSERT INTO contacts(phone, saved_name, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );

  function directoryStatement(filter: TextFilter | null, byLabel: boolean) {
    const where: string[] = [];
    if (filter) where.push(filter.sql);
    if (byLabel) {
      where.push(`c.id IN (SELECT cv.contact_id FROM conversation_labels cl JOIN conversations cv ON cv.id = cl.conversation_id
        WHERE cl.label_id = :labelId AND cv.contact_id IS NOT NULL)`);
    }
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    let statements = directoryStatements.get(whereSql);
    if (!statements) {
      statements = {
        page: db.prepare<Record<string, unknown>, DirectoryRow>(`
          SELECT ${directoryColumns}
          FROM contacts c LEFT JOIN conversations cv ON cv.contact_id = c.id
          ${whereSql}
          ORDER BY ${directoryOrder}
          LIMIT :limit OFFSET :offset`),
        count: db.prepare<Record<string, unknown>, number>(`SELECT count(*) FROM contacts c ${whereSql}`).pluck(),
      };
      directoryStatements.set(whereSql, statements);
    }
    return statements;
  }

  function toEntries(rows: DirectoryRow[]): ContactDirectoryEntry[] {
    const conversationIds = rows.map((r) => r.conversationId).filter((id): id is number => id !== null);
    const labels = new Map<number, ContactDirectoryEntry['labels']>();
    // In chunks: json_each takes any length, but one huge JSON string per export is wasteful.
    for (let i = 0; i < conversationIds.length; i += 1000) {
      for (const l of labelsOf.all(JSON.stringify(conversationIds.slice(i, i + 1000)))) {
        const list = labels.get(l.conversationId) ?? [];
        list.push({ id: l.id, name: l.name, colour: l.colour });
        labels.set(l.conversationId, list);
      }
    }
    return rows.map(({ conversationId, ...row }) => ({
      ...toContact(row),
      conversationId,
      firstContactAt: conversationId === null ? null : (firstMessageAt.get(conversationId) ?? null),
      lastContactAt: conversationId === null ? null : (lastMessageAt.get(conversationId) ?? null),
      labels: conversationId === null ? [] : (labels.get(conversationId) ?? []),
    }));
  }

  const importOne = db.transaction((entry: ImportedContact): { id: number; outcome: 'added' | 'updated' | 'unchanged' } => {
    const t = deps.now();
    const found = candidates({ phone: entry.phone })[0];
    const existing = found === undefined ? undefined : byId.get(found);
    if (!existing) {
      const id = Number(insertImported.run(entry.phone, entry.savedName, entry.notes ?? '', t, t).lastInsertRowid);
      reindex(id);
      return { id, outcome: 'added' };
    }
    const savedName = entry.savedName ?? existing.savedName;
    const extra = entry.notes?.trim() ?? '';
    const notes = extra === '' || existing.notes.includes(extra) ? existing.notes : existing.notes === '' ? extra : `${existing.notes}\n${extra}`;
    if (savedName === existing.savedName && notes === existing.notes) return { id: existing.id, outcome: 'unchanged' };
    patch.run({ id: existing.id, savedName: 1, savedNameValue: savedName, notes, blocked: null, optOut: null, optOutAt: null, now: t });
    reindex(existing.id);
    return { id: existing.id, outcome: 'updated' };
  });

  function reindex(id: number) {
    const c = byId.get(id);
    if (c) deps.searchIndex.indexContact(c);
  }

  function currentOrFormer(kind: IdentityKind, value: string): number | undefined {
    const current = kind === 'user_id' ? idByUserId.get(value) : kind === 'wa_id' ? idByWaId.get(value) : undefined;
    return current ?? idByOldIdentity.get(kind, value);
  }

  function candidates(identity: ContactIdentity): number[] {
    const ids: number[] = [];
    const add = (id: number | undefined) => {
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    };
    if (!identity.userId && !identity.waId && identity.phone) {
      // Only a number (typed by staff, imported): it finds whoever has it, preferring the WhatsApp id, and
      // never merges, since it proves nothing about which records are one person.
      add(idByWaId.get(identity.phone) ?? idByPhone.get(identity.phone) ?? idByOldIdentity.get('phone', identity.phone));
      return ids;
    }
    // Order matters: the first found survives a merge, and the BSUID is Meta's primary key for a person.
    if (identity.userId) add(currentOrFormer('user_id', identity.userId));
    if (identity.waId) add(currentOrFormer('wa_id', identity.waId));
    for (const phone of new Set([identity.phone, identity.waId])) if (phone) add(idByBarePhone.get(phone));
    if (identity.phone) add(idByOldIdentity.get('phone', identity.phone));
    return ids;
  }

  function merge(keepId: number, goneId: number, t: number) {
    const gone = byId.get(goneId)!;
    const keepConversation = deps.conversations.forContact(keepId);
    const goneConversation = deps.conversations.forContact(goneId);
    if (goneConversation) {
      if (keepConversation) deps.conversations.absorb(keepConversation.id, goneConversation.id);
      else deps.conversations.reassignContact(goneConversation.id, keepId);
    }
    moveReactions.run(keepId, goneId);
    moveAutoReplies.run(keepId, goneId);
    moveAuthorship.run(keepId, goneId);
    moveHistory.run(keepId, goneId);
    absorbFields.run({ keep: keepId, gone: goneId, now: t });
    remove.run(goneId);
    // The absorbed record's identities stay findable: a late webhook naming them reaches the survivor.
    const keep = byId.get(keepId)!;
    for (const kind of ['user_id', 'wa_id', 'phone'] as const) {
      const old = gone[identityColumn[kind]];
      if (old !== null && old !== keep[identityColumn[kind]]) addHistory.run(keepId, kind, old, keep[identityColumn[kind]], 'merge', t);
    }
    // A number-only survivor takes over the absorbed record's Meta identities.
    for (const kind of ['user_id', 'wa_id', 'phone'] as const) {
      if (keep[identityColumn[kind]] === null && gone[identityColumn[kind]] !== null) setIdentity[kind].run(gone[identityColumn[kind]], t, keepId);
    }
  }

  function apply(id: number, kind: IdentityKind, value: string | null | undefined, reason: IdentityReason, t: number) {
    if (!value) return;
    const current = byId.get(id)![identityColumn[kind]];
    if (current === value) return;
    // Filling a blank is not a change worth recording; replacing a value is.
    if (current !== null) addHistory.run(id, kind, current, value, reason, t);
    setIdentity[kind].run(value, t, id);
  }

  const upsert = db.transaction((identity: ContactIdentity, reason: IdentityReason): ContactUpsertResult => {
    if (!identity.userId && !identity.waId && !identity.phone) throw new Error('A contact needs a user id, a wa_id or a phone number');
    const t = deps.now();
    const found = candidates(identity);
    let id: number;
    let created = false;
    if (found.length === 0) {
      id = Number(
        insert.run({
          userId: identity.userId ?? null,
          parentUserId: identity.parentUserId ?? null,
          waId: identity.waId ?? null,
          phone: identity.phone ?? null,
          username: identity.username ?? null,
          profileName: identity.profileName ?? null,
          now: t,
        }).lastInsertRowid,
      );
      created = true;
    } else {
      id = found[0]!;
      for (const other of found.slice(1)) merge(id, other, t);
      apply(id, 'user_id', identity.userId, reason, t);
      apply(id, 'wa_id', identity.waId, reason, t);
      apply(id, 'phone', identity.phone, reason, t);
      apply(id, 'username', identity.username, reason, t);
      setProfile.run({ id, profileName: identity.profileName ?? null, parentUserId: identity.parentUserId ?? null, now: t });
    }
    reindex(id);
    return { id, created, mergedIds: found.slice(1) };
  });

  const change = db.transaction((id: number, kind: 'user_id' | 'wa_id' | 'phone', value: string, reason: IdentityReason): ContactUpsertResult => {
    const t = deps.now();
    // Another record may already hold the new identity (the customer wrote from the new number first).
    const holder = kind === 'phone' ? undefined : kind === 'user_id' ? idByUserId.get(value) : idByWaId.get(value);
    const mergedIds: number[] = [];
    if (holder !== undefined && holder !== id) {
      // The merge deletes the holder, freeing the identity for `id`.
      merge(id, holder, t);
      mergedIds.push(holder);
    }
    apply(id, kind, value, reason, t);
    reindex(id);
    return { id, created: false, mergedIds };
  });

  return {
    get: (id) => {
      const row = byId.get(id);
      return row && toContact(row);
    },

    findByIdentity(identity) {
      const id = candidates(identity)[0];
      const row = id === undefined ? undefined : byId.get(id);
      return row && toContact(row);
    },

    upsertByIdentity: (identity, reason = 'webhook') => upsert.immediate(identity, reason),
    changeIdentity: (id, kind, value, reason) => change.immediate(id, kind, value, reason),

    update(id, p) {
      db.transaction(() => {
        patch.run({
          id,
          savedName: p.savedName !== undefined ? 1 : 0,
          savedNameValue: p.savedName ?? null,
          notes: p.notes ?? null,
          blocked: p.blocked === undefined ? null : p.blocked ? 1 : 0,
          optOut: p.marketingOptOut === undefined ? null : p.marketingOptOut.optedOut ? 1 : 0,
          optOutAt: p.marketingOptOut?.at ?? null,
          now: deps.now(),
        });
        if (p.savedName !== undefined || p.notes !== undefined) reindex(id);
      }).immediate();
    },

    directory(query) {
      const filter = query.text === undefined ? null : textFilter(query.text);
      const byLabel = query.labelId !== undefined;
      const statements = directoryStatement(filter, byLabel);
      const params: Record<string, unknown> = { ...filter?.params };
      if (byLabel) params.labelId = query.labelId;
      const rows = statements.page.all({ ...params, limit: query.limit ?? -1, offset: query.offset ?? 0 });
      return { items: toEntries(rows), total: statements.count.get(params) ?? 0 };
    },

    directoryEntry(id) {
      const row = byId.get(id);
      if (!row) return undefined;
      return toEntries([{ ...row, conversationId: deps.conversations.forContact(id)?.id ?? null }])[0];
    },

    importByPhone: (entry) => importOne.immediate(entry),
  };
}
