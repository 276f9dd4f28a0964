/**
 * A restore must never bring back what was erased after the backup was made (PRODUCT §12, §13): before a
 * restored copy replaces the current data, the current archive's tombstones are copied into it and
 * everything in it they name is deleted — contacts by user id, wa_id or phone (current or former
 * identities), messages by wamid, with their media files, reactions and status events.
 *
 * Kept deliberately small: when electron/core/privacy provides contact erasure, `eraseContact` below is
 * the one place to call it instead (and `extra` lets the caller redact raw webhook bodies the same way).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Archive } from '../archive/connection';
import { tombstoneKeyHash } from '../archive/repositories/tombstones';
import type { TombstoneKind } from '../archive/repositories/tombstones';
import { createRestoreErasureStore } from './repositories/restore-erasures';

/** Whether a value is erased, by the current archive's tombstones (the same shape as privacy's matcher). */
export interface ErasedMatcher {
  identity(value: string): boolean;
  wamid(value: string): boolean;
}

export interface ErasureOutcome {
  tombstonesAdded: number;
  contacts: number;
  messages: number;
  mediaFiles: number;
}

/** Which tombstone kinds an identity of each kind is checked against (a wa_id is also a phone number). */
const checkedKinds: Record<TombstoneKind, TombstoneKind[]> = {
  user_id: ['user_id'],
  wa_id: ['wa_id', 'phone'],
  phone: ['phone', 'wa_id'],
  wamid: ['wamid'],
};

export interface ApplyErasuresOptions {
  /** The current archive (read only here). */
  current: Database.Database;
  /** The restored copy, open (its repositories are used for the deletes). */
  restored: Archive;
  /** The restored copy's media folder. */
  restoredMediaDir: string;
  now: number;
  /** More to remove with the same matcher (e.g. privacy's redaction of raw webhook bodies). */
  extra?: (restored: Archive, erased: ErasedMatcher) => void;
}

export async function applyCurrentErasures(options: ApplyErasuresOptions): Promise<ErasureOutcome> {
  const { restored } = options;
  const from = createRestoreErasureStore(options.current);
  const to = createRestoreErasureStore(restored.db);
  const saltHex = from.tombstoneSalt();
  const rows = from.tombstones();
  const outcome: ErasureOutcome = { tombstonesAdded: 0, contacts: 0, messages: 0, mediaFiles: 0 };
  if (!saltHex || rows.length === 0) return outcome;

  const salt = Buffer.from(saltHex, 'hex');
  const erased = new Set(rows.map((r) => `${r.kind}:${r.keyHash}`));
  const isErased = (kind: TombstoneKind, value: string) => checkedKinds[kind].some((k) => erased.has(`${k}:${tombstoneKeyHash(salt, k, value)}`));
  const matcher: ErasedMatcher = {
    identity: (value) => isErased('user_id', value) || isErased('wa_id', value),
    wamid: (value) => isErased('wamid', value),
  };

  const orphanHashes = new Set<string>();
  restored.transaction(() => {
    // The copy adopts the current salt, so the copied tombstones keep working there (a copy of this
    // workspace has the same salt already: the salt is made once, with the archive).
    if (to.tombstoneSalt() !== saltHex) to.setTombstoneSalt(saltHex, options.now);
    outcome.tombstonesAdded = to.addTombstones(rows);

    const contacts = new Set<number>();
    for (const row of to.identities()) if (isErased(row.kind, row.value)) contacts.add(row.contactId);
    const mediaIds = new Set<number>();
    for (const contactId of contacts) {
      const gone = eraseContact(to, contactId);
      gone.mediaIds.forEach((id) => mediaIds.add(id));
      outcome.contacts++;
      outcome.messages += gone.messages;
    }

    const hasWamidTombstones = rows.some((r) => r.kind === 'wamid');
    const messageIds: number[] = [];
    if (hasWamidTombstones) for (const row of to.wamids()) if (isErased('wamid', row.wamid)) messageIds.push(row.id);
    for (const id of messageIds) {
      const refs = to.messageRefs(id);
      if (refs.mediaId !== null) mediaIds.add(refs.mediaId);
      if (refs.wamid !== null) to.deleteTracesOfWamid(refs.wamid);
    }
    outcome.messages += restored.messages.delete(messageIds);

    for (const id of mediaIds) {
      const hash = to.deleteMediaIfUnused(id);
      if (hash) orphanHashes.add(hash);
    }
    options.extra?.(restored, matcher);
    if (outcome.contacts > 0 || outcome.messages > 0) to.optimizeSearch();
  });

  for (const hash of orphanHashes) {
    await rm(join(options.restoredMediaDir, hash.slice(0, 2), hash), { force: true });
    outcome.mediaFiles++;
  }
  return outcome;
}

/** Removes one contact and what cascades from it (conversation, messages, search entries, labels, reactions). */
function eraseContact(store: ReturnType<typeof createRestoreErasureStore>, contactId: number) {
  const gone = store.deleteContact(contactId);
  for (const wamid of gone.wamids) store.deleteTracesOfWamid(wamid);
  return gone;
}
