/**
 * Raw webhook bodies in the durable inbox hold everything Meta sent: names, numbers, message text. An erased
 * contact must leave them too (PRODUCT §13). A body may carry several people's events, so a body not yet
 * processed is redacted — the erased person's entries taken out, the rest kept for the processor — and a
 * processed one (already turned into rows) is deleted.
 *
 * Matching is on the fields Meta uses to name a person or a message (REFERENCE §2): `from`, `from_user_id`,
 * `wa_id`, `user_id`, `recipient_id`, `recipient_user_id`, and the message ids reactions, edits and revokes
 * point to. What is left of a change with nothing in it is dropped, and a body with nothing left is null.
 */

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export interface ErasedMatcher {
  /** A wa_id, phone number or BSUID of an erased contact. */
  identity(value: string): boolean;
  /** A message id (wamid) of an erased message. */
  wamid(value: string): boolean;
}

export interface RedactionResult {
  /** The body without the erased entries; null when nothing is left. Unchanged (the same object) when nothing matched. */
  body: unknown;
  removed: number;
}

function is(matcher: (value: string) => boolean, value: unknown): boolean {
  const s = str(value);
  return s !== null && matcher(s);
}

function erasedMessage(m: unknown, erased: ErasedMatcher): boolean {
  if (!isObj(m)) return false;
  if (is(erased.identity, m.from) || is(erased.identity, m.from_user_id) || is(erased.wamid, m.id)) return true;
  for (const key of ['reaction', 'edit', 'revoke'] as const) {
    const inner = m[key];
    if (isObj(inner) && (is(erased.wamid, inner.message_id) || is(erased.wamid, inner.original_message_id))) return true;
  }
  return false;
}

const erasedContact = (c: unknown, erased: ErasedMatcher) => isObj(c) && (is(erased.identity, c.wa_id) || is(erased.identity, c.user_id));
const erasedStatus = (s: unknown, erased: ErasedMatcher) =>
  isObj(s) && (is(erased.wamid, s.id) || is(erased.identity, s.recipient_id) || is(erased.identity, s.recipient_user_id));
const erasedPreference = (p: unknown, erased: ErasedMatcher) => isObj(p) && (is(erased.identity, p.wa_id) || is(erased.identity, p.user_id));

const eventLists = ['messages', 'statuses', 'user_preferences'] as const;

function redactValue(value: Obj, erased: ErasedMatcher): { value: Obj | null; removed: number } {
  const filters: Record<string, (item: unknown, erased: ErasedMatcher) => boolean> = {
    contacts: erasedContact,
    messages: erasedMessage,
    statuses: erasedStatus,
    user_preferences: erasedPreference,
  };
  let removed = 0;
  const next: Obj = { ...value };
  for (const [key, isErased] of Object.entries(filters)) {
    const list = value[key];
    if (!Array.isArray(list)) continue;
    const kept = list.filter((item) => !isErased(item, erased));
    removed += list.length - kept.length;
    next[key] = kept;
  }
  if (removed === 0) return { value, removed: 0 };
  const hadEvents = eventLists.some((key) => Array.isArray(value[key]) && (value[key] as unknown[]).length > 0);
  const hasEvents = eventLists.some((key) => Array.isArray(next[key]) && (next[key] as unknown[]).length > 0);
  const hasErrors = Array.isArray(next.errors) && next.errors.length > 0;
  // Empty lists are removed rather than sent on empty: Meta never sends an empty list.
  for (const key of [...eventLists, 'contacts'] as const) if (Array.isArray(next[key]) && (next[key] as unknown[]).length === 0) delete next[key];
  if (hadEvents && !hasEvents && !hasErrors) return { value: null, removed };
  return { value: next, removed };
}

export function redactWebhookBody(body: unknown, erased: ErasedMatcher): RedactionResult {
  if (!isObj(body) || !Array.isArray(body.entry)) return { body, removed: 0 };
  let removed = 0;
  const entries: unknown[] = [];
  for (const entry of body.entry) {
    if (!isObj(entry) || !Array.isArray(entry.changes)) {
      entries.push(entry);
      continue;
    }
    const changes: unknown[] = [];
    for (const change of entry.changes) {
      if (!isObj(change) || !isObj(change.value)) {
        changes.push(change);
        continue;
      }
      const result = redactValue(change.value, erased);
      removed += result.removed;
      if (result.value !== null) changes.push(result.value === change.value ? change : { ...change, value: result.value });
    }
    if (changes.length > 0) entries.push(changes.length === entry.changes.length && changes.every((c, i) => c === (entry.changes as unknown[])[i]) ? entry : { ...entry, changes });
  }
  if (removed === 0) return { body, removed: 0 };
  return { body: entries.length > 0 ? { ...body, entry: entries } : null, removed };
}

/** Parses a stored body; null when it is not JSON (such a body can never be processed). */
export function parseBody(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return null;
  }
}
