import type { ContactView } from '../../../shared/ipc/inbox';
import type { ContactDirectoryEntry } from '../archive/repositories/contacts';
import { formatInternational } from './phone';

export interface NamedContact {
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  waId: string | null;
  username: string | null;
  userId: string | null;
}

/** PRODUCT §2–3: the saved name, else the profile name, else the number (international format), else @username, else the BSUID. */
export function displayNameOf(c: NamedContact): string {
  const name = c.savedName?.trim() || c.profileName?.trim();
  if (name) return name;
  const digits = c.phone ?? c.waId;
  if (digits) return formatInternational(digits);
  if (c.username) return `@${c.username}`;
  return c.userId ?? '';
}

export function toContactView(entry: ContactDirectoryEntry): ContactView {
  const digits = entry.phone ?? entry.waId;
  return {
    id: entry.id,
    userId: entry.userId,
    waId: entry.waId,
    phone: digits ? formatInternational(digits) : null,
    username: entry.username,
    profileName: entry.profileName,
    savedName: entry.savedName,
    displayName: displayNameOf(entry),
    notes: entry.notes,
    labels: entry.labels,
    blocked: entry.blocked,
    marketingOptOut: entry.marketingOptOut,
    firstContactAt: entry.firstContactAt,
    lastContactAt: entry.lastContactAt,
    conversationId: entry.conversationId,
  };
}
