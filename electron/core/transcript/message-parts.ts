/**
 * What a stored message says, read from its kept payload (the webhook's message object, or the Graph request
 * we sent) by Meta's type: the same reading as the chat view (renderer/src/utils/message-types.ts), done here
 * because core never imports the renderer. Everything is read defensively; an unknown shape gives null.
 */

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const num = (value: unknown): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/** The type's own object: `payload[type]`, else the payload itself. */
export function typeContent(type: string, payloadJson: string | null): unknown {
  if (!payloadJson) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    return null;
  }
  if (!isObj(payload)) return null;
  return type in payload ? payload[type] : payload;
}

export interface LocationPart {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
}

export function locationOf(content: unknown): LocationPart | null {
  if (!isObj(content)) return null;
  const latitude = num(content.latitude);
  const longitude = num(content.longitude);
  if (latitude === null || longitude === null || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude, name: str(content.name), address: str(content.address) };
}

/** OpenStreetMap at the point, as the chat view links it: always https, built from numbers only. */
export function mapUrl(location: Pick<LocationPart, 'latitude' | 'longitude'>): string {
  const lat = location.latitude.toFixed(6);
  const lon = location.longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

export interface ContactCardPart {
  name: string | null;
  phones: string[];
  emails: string[];
  org: string | null;
}

export function contactCardsOf(content: unknown): ContactCardPart[] {
  const cards = Array.isArray(content) ? content : isObj(content) && Array.isArray(content.contacts) ? content.contacts : [];
  return cards.filter(isObj).map((card) => {
    const name = isObj(card.name) ? (str(card.name.formatted_name) ?? ([str(card.name.first_name), str(card.name.last_name)].filter(Boolean).join(' ') || null)) : null;
    const phones = Array.isArray(card.phones) ? card.phones.filter(isObj).map((p) => str(p.phone) ?? str(p.wa_id)).filter((p): p is string => p !== null) : [];
    const emails = Array.isArray(card.emails) ? card.emails.filter(isObj).map((e) => str(e.email)).filter((e): e is string => e !== null) : [];
    return { name, phones, emails, org: isObj(card.org) ? str(card.org.company) : null };
  });
}

/** An interactive or button reply: the title the customer chose. */
export function chosenReplyOf(type: string, content: unknown, text: string | null): { title: string; description: string | null } | null {
  if (type === 'button') {
    const title = isObj(content) ? (str(content.text) ?? str(content.payload)) : null;
    return title ? { title, description: null } : text ? { title: text, description: null } : null;
  }
  if (!isObj(content)) return null;
  const reply = isObj(content.button_reply) ? content.button_reply : isObj(content.list_reply) ? content.list_reply : null;
  if (reply) {
    const title = str(reply.title);
    return title ? { title, description: str(reply.description) } : null;
  }
  if (isObj(content.nfm_reply)) {
    const body = str(content.nfm_reply.body) ?? str(content.nfm_reply.name);
    return body ? { title: body, description: null } : null;
  }
  return null;
}

/** An interactive message the business sent: its body and the buttons or list rows it offered. */
export function sentInteractiveOf(content: unknown): { body: string | null; options: string[] } | null {
  if (!isObj(content) || !isObj(content.body)) return null;
  const action = isObj(content.action) ? content.action : {};
  const buttons = Array.isArray(action.buttons) ? action.buttons.filter(isObj).map((b) => (isObj(b.reply) ? str(b.reply.title) : str(b.title))) : [];
  const rows = Array.isArray(action.sections)
    ? action.sections.filter(isObj).flatMap((section) => (Array.isArray(section.rows) ? section.rows.filter(isObj).map((row) => str(row.title)) : []))
    : [];
  return { body: str(content.body.text), options: [...buttons, ...rows].filter((o): o is string => o !== null) };
}

export interface TemplatePart {
  name: string;
  language: string | null;
  /** The text parameters filled in, in order (shown when core kept no rendered text). */
  parameters: string[];
}

/** A template as sent: name, language and the parameters it was filled with. */
export function templateOf(content: unknown): TemplatePart | null {
  if (!isObj(content)) return null;
  const name = str(content.name);
  if (!name) return null;
  const language = isObj(content.language) ? str(content.language.code) : str(content.language);
  const parameters: string[] = [];
  if (Array.isArray(content.components)) {
    for (const component of content.components.filter(isObj)) {
      if (!Array.isArray(component.parameters)) continue;
      for (const parameter of component.parameters.filter(isObj)) {
        const value = str(parameter.text) ?? str(parameter.payload) ?? str(parameter.coupon_code);
        if (value) parameters.push(value);
      }
    }
  }
  return { name, language, parameters };
}

export function unsupportedTypeOf(content: unknown): string | null {
  return isObj(content) ? str(content.type) : null;
}

export function isVoiceNote(type: string, content: unknown): boolean {
  return type === 'audio' && isObj(content) && content.voice === true;
}
