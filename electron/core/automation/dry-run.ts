/**
 * What greeting and away settings would have sent over the last 7 days (PRODUCT §6), computed against the
 * archive with the same decisions as live sending; nothing is sent or written. "Already sent" is the dry
 * run's own memory: the real log reflects the settings in force then, not the ones being tried.
 */
import type { AutoReplies } from '../../../shared/rules/auto-replies';
import type { DryRunEntry, DryRunResult } from '../../../shared/ipc/automation';
import { contactDisplayName } from '../archive/display-name';
import { planReplies } from './auto-replies';
import type { HoursVersion } from './hours';
import type { AutomationStore } from './repositories/automation-store';

export const dryRunDays = 7;
/** The list shown stops here (the count of what was looked at stays exact). */
export const dryRunLimit = 500;

export function dryRun(
  store: AutomationStore,
  input: { settings: AutoReplies; hours: readonly HoursVersion[]; now: number; business: string; fallbackTimezone: string },
): DryRunResult {
  const to = input.now;
  const from = to - dryRunDays * 24 * 60 * 60_000;
  const messages = store.inboundBetween(from, to);
  const greeted = new Map<number, number[]>();
  const away = new Set<string>();
  const entries: DryRunEntry[] = [];
  let truncated = false;
  for (const facts of messages) {
    const replies = planReplies(facts, {
      settings: input.settings,
      hours: input.hours,
      fallbackTimezone: input.fallbackTimezone,
      business: input.business,
      labelIds: store.labelIds,
      otherMessageWithin: store.otherMessageWithin,
      otherInboundExists: store.otherInboundExists,
      staffMessageWithin: store.staffMessageWithin,
      greetedSince: (contactId, since) => (greeted.get(contactId) ?? []).some((at) => at >= since),
      awaySentIn: (contactId, key) => away.has(`${contactId} ${key}`),
    });
    for (const reply of replies) {
      if (reply.kind === 'greeting') greeted.set(facts.contactId, [...(greeted.get(facts.contactId) ?? []), facts.timestamp]);
      else away.add(`${facts.contactId} ${reply.periodKey}`);
      if (entries.length >= dryRunLimit) {
        truncated = true;
        continue;
      }
      entries.push({
        kind: reply.kind,
        at: facts.timestamp,
        contactId: facts.contactId,
        contactName: contactDisplayName(facts),
        conversationId: facts.conversationId,
        inboundMessageId: facts.messageId,
        text: reply.text,
      });
    }
  }
  return { from, to, entries, considered: messages.length, truncated };
}
