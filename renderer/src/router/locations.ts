import type { RouteLocationRaw } from 'vue-router';

/**
 * Addresses that several screens agree on. The inbox opens a chat from `?conversation=<id>` (notifications and
 * the contact panel link there); the search page filters by contact from `?contact=<id>`.
 */
export const conversationQueryName = 'conversation';
export const contactQueryName = 'contact';

export function chatLocation(conversationId: number): RouteLocationRaw {
  return { path: '/inbox', query: { [conversationQueryName]: String(conversationId) } };
}

export function contactHistoryLocation(contactId: number): RouteLocationRaw {
  return { path: '/search', query: { [contactQueryName]: String(contactId) } };
}

/** A positive integer id from a query value (`?contact=12`); null for anything else. */
export function queryId(value: unknown): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}
