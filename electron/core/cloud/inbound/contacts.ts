/**
 * Which contact a webhook is about (PRODUCT §3): the BSUID (`user_id`) first, `wa_id` otherwise, the phone
 * number an attribute. Built on the contacts repository's upsert, which merges records that turn out to be
 * one person; this adds what webhooks arriving late or out of order need:
 *
 * - An identity the contact used to have (the old number before a change) finds the person but is not
 *   written back over the current one.
 * - The profile (name, username) comes from the newest message of the person's own chat, by Meta's time;
 *   statuses, group posts, reactions and preferences only name a contact they create.
 */
import type { Archive } from '../../archive/connection';
import type { Contact } from '../../archive/types';

export interface IdentityHint {
  userId?: string | null;
  parentUserId?: string | null;
  waId?: string | null;
  username?: string | null;
  profileName?: string | null;
}

export interface ResolvedContact {
  contactId: number;
  created: boolean;
  mergedIds: number[];
}

/** `newest`: a message in the person's own chat at time `at`; `if_new`: anything else. */
export type ProfileSource = { kind: 'newest'; at: number } | { kind: 'if_new' };

/** An erased contact (PRODUCT §13): nothing naming one of its identities is stored again. */
export function isTombstoned(archive: Archive, hint: IdentityHint): boolean {
  const { tombstones } = archive;
  if (hint.userId && tombstones.has('user_id', hint.userId)) return true;
  if (hint.waId && (tombstones.has('wa_id', hint.waId) || tombstones.has('phone', hint.waId))) return true;
  return false;
}

export function hasIdentity(hint: IdentityHint): boolean {
  return Boolean(hint.userId || hint.waId);
}

const profileKey = (c: { profileName?: string | null; username?: string | null }) => `${c.profileName ?? ''}\u0000${c.username ?? ''}`;

export function resolveContact(archive: Archive, hint: IdentityHint, source: ProfileSource): ResolvedContact {
  const userId = hint.userId || null;
  const waId = hint.waId || null;
  // A value the person no longer has (found through the identity history: the number before a change)
  // names them, but must not replace their current one. Such an event is older than the change.
  const userHolder = userId ? archive.contacts.findByIdentity({ userId }) : undefined;
  const waHolder = waId ? archive.contacts.findByIdentity({ waId }) : undefined;
  const userIsFormer = userHolder !== undefined && userHolder.userId !== null && userHolder.userId !== userId;
  const waIsFormer = waHolder !== undefined && waHolder.waId !== null && waHolder.waId !== waId;
  if (userIsFormer || waIsFormer) {
    const person = (userIsFormer ? userHolder : waHolder)!;
    const mergedIds = attachToFormer(archive, person, { userId: userIsFormer ? null : userId, waId: waIsFormer ? null : waId });
    const now = archive.contacts.get(person.id)!;
    const patch = profilePatch(archive, now, hint, source);
    // Written under the person's current identities, which the upsert finds without changing.
    if (patch) archive.contacts.upsertByIdentity({ userId: now.userId, waId: now.waId, phone: now.phone, ...patch }, 'webhook');
    return { contactId: person.id, created: false, mergedIds };
  }

  const identity = { userId, parentUserId: userId ? (hint.parentUserId ?? null) : null, waId, phone: waId };
  const existing = userHolder ?? waHolder ?? archive.contacts.findByIdentity(identity);
  const patch = existing ? profilePatch(archive, existing, hint, source) : { profileName: hint.profileName ?? null, username: hint.username ?? null };
  // The common case, a known person writing again with nothing new: no write at all.
  if (existing && (!userHolder || userHolder.id === existing.id) && (!waHolder || waHolder.id === existing.id) && unchanged(existing, identity, patch)) {
    return { contactId: existing.id, created: false, mergedIds: [] };
  }
  const result = archive.contacts.upsertByIdentity({ ...identity, ...patch }, 'webhook');
  return { contactId: result.id, created: result.created, mergedIds: result.mergedIds };
}

function unchanged(
  c: Contact,
  identity: { userId: string | null; parentUserId: string | null; waId: string | null; phone: string | null },
  patch: { profileName: string | null; username: string | null } | null,
): boolean {
  const same = (value: string | null, current: string | null) => value === null || value === current;
  return (
    same(identity.userId, c.userId) &&
    same(identity.parentUserId, c.parentUserId) &&
    same(identity.waId, c.waId) &&
    same(identity.phone, c.phone) &&
    (patch === null || (same(patch.profileName, c.profileName) && same(patch.username, c.username)))
  );
}

/**
 * The profile (name, username) a known contact takes from this event: all of it from the newest message of
 * their own chat, by Meta's time (the chat's last inbound time is the time of the message whose profile the
 * contact shows; equal times fall to a fixed rule); from an older one only what the contact lacks (Meta
 * leaves fields out); from anything else (statuses, group posts, reactions, preferences) nothing.
 */
function profilePatch(archive: Archive, existing: Contact, hint: IdentityHint, source: ProfileSource) {
  if (source.kind === 'if_new') return null;
  const last = archive.conversations.forContact(existing.id)?.lastInboundAt ?? null;
  const newest = last === null || source.at > last || (source.at === last && profileKey(hint) > profileKey(existing));
  if (newest) return { profileName: hint.profileName ?? null, username: hint.username ?? null };
  return {
    profileName: existing.profileName === null ? (hint.profileName ?? null) : null,
    username: existing.username === null ? (hint.username ?? null) : null,
  };
}

/**
 * An old event names the person by a former identity and by another one still current (a status from
 * before a number change carrying the BSUID): the current one joins the person found, merging a record
 * that holds it. When the person already has a different value of that kind, which of the two is newer is
 * unknown, and both records are left as they are.
 */
function attachToFormer(archive: Archive, person: Contact, current: { userId: string | null; waId: string | null }): number[] {
  const mergedIds: number[] = [];
  const links = [
    { kind: 'user_id', field: 'userId', value: current.userId },
    { kind: 'wa_id', field: 'waId', value: current.waId },
  ] as const;
  for (const { kind, field, value } of links) {
    if (!value) continue;
    const now = archive.contacts.get(person.id)!;
    if (now[field] !== null) continue;
    const holder = archive.contacts.findByIdentity(kind === 'user_id' ? { userId: value } : { waId: value });
    if (holder?.id === person.id) continue;
    mergedIds.push(...archive.contacts.changeIdentity(person.id, kind, value, 'webhook').mergedIds);
  }
  return mergedIds;
}
