/**
 * The 24-hour customer service window (REFERENCE §6): free-form messages may be sent to a contact for 24
 * hours after their last message; after that only templates. Core computes it on its own clock and pushes
 * it; the renderer never derives it from its clock (DESIGN: Messages in and out).
 */
import type { Conversation } from '../../archive/types';

export const serviceWindowMs = 24 * 60 * 60 * 1000;

export type WindowState =
  | { state: 'open'; opensAt: number; closesAt: number; remainingMs: number }
  /** `closedAt` is null when the contact never wrote (a new chat): only templates until they do. */
  | { state: 'closed'; closedAt: number | null }
  /** Group conversations are read-only (PRODUCT §14). */
  | { state: 'read_only' };

export function windowState(conversation: Pick<Conversation, 'lastInboundAt' | 'groupId'>, now: number): WindowState {
  if (conversation.groupId !== null) return { state: 'read_only' };
  const last = conversation.lastInboundAt;
  if (last === null) return { state: 'closed', closedAt: null };
  const closesAt = last + serviceWindowMs;
  if (now < closesAt) return { state: 'open', opensAt: last, closesAt, remainingMs: closesAt - now };
  return { state: 'closed', closedAt: closesAt };
}
