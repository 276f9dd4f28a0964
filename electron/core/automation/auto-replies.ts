/**
 * When a greeting or away message goes (PRODUCT §6), decided the same way for a live message and in a dry
 * run: only the way "already sent" is looked up differs (the log, or the dry run's own memory).
 *
 * - Greeting: a contact who never wrote before, or whose last message either way is at least N days old —
 *   the latter tested as "no other message of the conversation in the N days before it (or after it: webhooks
 *   arrive out of order)"; never a second greeting within N days either way.
 * - Away: while away (always: the calendar day; outside hours: the closed period; custom: the period), at most
 *   once per contact per away period, and not if staff wrote to the contact in the last 5 minutes.
 * - Recipients: everyone, contacts without a saved name, everyone except labels, only labels.
 * - Both at once: only the away message, unless the switch sends both (greeting first).
 */
import { fillVariables, formatNextOpen, staffQuietMs } from '../../../shared/rules/auto-replies';
import type { AutoReplies, RecipientFilter } from '../../../shared/rules/auto-replies';
import type { AwayPeriodRef } from '../../../shared/ipc/automation';
import { awayPeriod, instantOfLocal, localDateOf, nextOpen, versionAt } from './hours';
import type { HoursVersion } from './hours';
import type { InboundFacts } from './repositories/automation-store';

const dayMs = 24 * 60 * 60_000;

/** Message types that are not a customer writing (a reaction never reaches here: it is not a message row). */
const notWriting = new Set(['system', 'reaction']);

export interface ReplyContext {
  settings: AutoReplies;
  hours: readonly HoursVersion[];
  /** The computer's timezone: the calendar day of "always" when no hours were ever saved. */
  fallbackTimezone: string;
  business: string;
  labelIds(conversationId: number): number[];
  otherMessageWithin(conversationId: number, messageId: number, from: number, to: number): boolean;
  otherInboundExists(conversationId: number, messageId: number): boolean;
  staffMessageWithin(conversationId: number, from: number, to: number): boolean;
  greetedSince(contactId: number, since: number): boolean;
  awaySentIn(contactId: number, periodKey: string): boolean;
}

export interface PlannedReply {
  kind: 'greeting' | 'away';
  /** The away period's key (one away message per contact per key); null for a greeting. */
  periodKey: string | null;
  text: string;
}

function accepts(filter: RecipientFilter, facts: InboundFacts, labels: () => number[]): boolean {
  switch (filter.kind) {
    case 'everyone':
      return true;
    case 'unsaved':
      return !facts.savedName?.trim();
    case 'except':
      return !labels().some((id) => filter.labelIds.includes(id));
    case 'only':
      return labels().some((id) => filter.labelIds.includes(id));
  }
}

/** The away period `t` falls in, or null when not away. Its key names it in the log (see `periodOfKey`). */
export function awayPeriodAt(settings: AutoReplies['away'], hours: readonly HoursVersion[], fallbackTimezone: string, t: number): { key: string; until: number | null } | null {
  const timezone = versionAt(hours, t)?.hours.timezone ?? fallbackTimezone;
  switch (settings.mode) {
    case 'always':
      return { key: `day:${localDateOf(t, timezone)}`, until: null };
    case 'outsideHours': {
      const period = awayPeriod(hours, t);
      return period ? { key: `hours:${period.start}`, until: period.end } : null;
    }
    case 'custom': {
      if (!settings.custom) return null;
      const from = instantOfLocal(settings.custom.from, timezone);
      const to = instantOfLocal(settings.custom.to, timezone);
      return t >= from && t < to ? { key: `custom:${settings.custom.from}/${settings.custom.to}`, until: to } : null;
    }
  }
}

/** The log's period key in the contract's words. */
export function periodOfKey(key: string | null): AwayPeriodRef | null {
  if (key === null) return null;
  if (key.startsWith('day:')) return { mode: 'always', day: key.slice(4) };
  if (key.startsWith('hours:')) {
    const since = Number(key.slice(6));
    return { mode: 'outsideHours', closedSince: Number.isFinite(since) ? since : null };
  }
  if (key.startsWith('custom:')) {
    const [from = '', to = ''] = key.slice(7).split('/');
    return { mode: 'custom', from, to };
  }
  return null;
}

/** The replies one inbound message gets, with their text filled; empty when none. */
export function planReplies(facts: InboundFacts, context: ReplyContext): PlannedReply[] {
  const { settings } = context;
  if (facts.blocked || notWriting.has(facts.type)) return [];
  let labelCache: number[] | null = null;
  const labels = () => (labelCache ??= context.labelIds(facts.conversationId));
  const t = facts.timestamp;

  let greeting = false;
  if (settings.greeting.enabled && accepts(settings.greeting.recipients, facts, labels)) {
    const idle = settings.greeting.idleDays * dayMs;
    const firstTime = !context.otherInboundExists(facts.conversationId, facts.messageId);
    const idleBefore = !context.otherMessageWithin(facts.conversationId, facts.messageId, t - idle, t + idle);
    greeting = (firstTime || idleBefore) && !context.greetedSince(facts.contactId, t - idle);
  }

  let away: { key: string; until: number | null } | null = null;
  if (settings.away.enabled && accepts(settings.away.recipients, facts, labels)) {
    const period = awayPeriodAt(settings.away, context.hours, context.fallbackTimezone, t);
    if (period && !context.awaySentIn(facts.contactId, period.key) && !context.staffMessageWithin(facts.conversationId, t - staffQuietMs, t)) away = period;
  }

  const timezone = versionAt(context.hours, t)?.hours.timezone ?? context.fallbackTimezone;
  const fill = (text: string, opensAt: number | null) =>
    fillVariables(text, {
      name: facts.savedName?.trim() || facts.profileName?.trim() || '',
      business: context.business,
      next_open: formatNextOpen(opensAt, timezone, settings.language, t),
    });
  const opening = (after: number | null) => {
    const at = nextOpen(context.hours, after ?? t);
    // Open now (no hours, or away "always" during opening hours): there is no "next opening" to name.
    return at !== null && at > t ? at : null;
  };

  const replies: PlannedReply[] = [];
  if (greeting && (!away || settings.sendBoth)) replies.push({ kind: 'greeting', periodKey: null, text: fill(settings.greeting.text, opening(null)) });
  if (away) replies.push({ kind: 'away', periodKey: away.key, text: fill(settings.away.text, opening(settings.away.mode === 'custom' ? away.until : null)) });
  return replies;
}
