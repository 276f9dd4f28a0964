/**
 * What a stored message says, read from its kept payload (the webhook's message object, or the Graph request
 * we sent) by Meta's type; the readings the chat view shares live in shared/rules/message-content.ts.
 */

import { contactCardsFrom, isObj, locationFrom, str } from '../../../shared/rules/message-content';
import type { ContactCard, LocationContent } from '../../../shared/rules/message-content';

export { mapUrl } from '../../../shared/rules/message-content';
export type LocationPart = LocationContent;
export type ContactCardPart = ContactCard;

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

export const locationOf = (content: unknown): LocationPart | null => locationFrom(content);

export const contactCardsOf = (content: unknown): ContactCardPart[] => contactCardsFrom(content);

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
