/**
 * How a contact is named in lists and search results (PRODUCT §2): the name staff saved, else the profile
 * name from WhatsApp, else the number, else the username (users with a username may hide their number).
 */
export interface NameFields {
  savedName: string | null;
  profileName: string | null;
  phone: string | null;
  username: string | null;
  waId?: string | null;
}

export function contactDisplayName(c: NameFields): string {
  const name = c.savedName?.trim() || c.profileName?.trim();
  if (name) return name;
  if (c.phone) return `+${c.phone}`;
  if (c.username) return `@${c.username}`;
  if (c.waId) return `+${c.waId}`;
  return '';
}
