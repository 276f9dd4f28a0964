/**
 * Reading a stored message's own fields (Meta's message object, or the Graph request we sent) by its type:
 * one reading for the chat view (renderer/src/utils/message-types.ts) and the transcript
 * (electron/core/transcript/message-parts.ts). Defensive: an unknown shape gives null or nothing.
 */

type Obj = Record<string, unknown>;
export const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
export const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
export const num = (value: unknown): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

export interface LocationContent {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
}

/** A location message's point, or null when the coordinates are missing or out of range. */
export function locationFrom(content: unknown): LocationContent | null {
  if (!isObj(content)) return null;
  const latitude = num(content.latitude);
  const longitude = num(content.longitude);
  if (latitude === null || longitude === null || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude, name: str(content.name), address: str(content.address) };
}

/** OpenStreetMap at the point: always https, built from numbers only. */
export function mapUrl(location: Pick<LocationContent, 'latitude' | 'longitude'>): string {
  const lat = location.latitude.toFixed(6);
  const lon = location.longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

export interface ContactCard {
  name: string | null;
  phones: string[];
  emails: string[];
  org: string | null;
}

/** The cards of a contacts message (an array, or an object holding `contacts`). */
export function contactCardsFrom(content: unknown): ContactCard[] {
  const cards = Array.isArray(content) ? content : isObj(content) && Array.isArray(content.contacts) ? content.contacts : [];
  return cards.filter(isObj).map((card) => {
    const name = isObj(card.name) ? (str(card.name.formatted_name) ?? ([str(card.name.first_name), str(card.name.last_name)].filter(Boolean).join(' ') || null)) : null;
    const phones = Array.isArray(card.phones) ? card.phones.filter(isObj).map((phone) => str(phone.phone) ?? str(phone.wa_id)).filter((p): p is string => p !== null) : [];
    const emails = Array.isArray(card.emails) ? card.emails.filter(isObj).map((email) => str(email.email)).filter((e): e is string => e !== null) : [];
    return { name, phones, emails, org: isObj(card.org) ? str(card.org.company) : null };
  });
}
