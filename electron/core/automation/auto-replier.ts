/**
 * Sends greeting and away messages for an open workspace (PRODUCT §6). Every inbound message is looked at
 * exactly once, in order, from a checkpoint kept in the archive: a message stored just before a crash is
 * still answered at the next start (if it is recent enough), and a message never twice — the log's unique
 * keys (inbound message id; contact + away period) and the outbox row are written in one transaction.
 */
import type { EventSinkPort } from '../ports';
import type { Archive } from '../archive';
import type { Outbox } from '../cloud/outbox';
import type { Logger } from '../logger';
import { planReplies } from './auto-replies';
import type { ReplyContext } from './auto-replies';
import { automationStore } from './repositories/automation-store';
import { readAutoReplies } from './settings';

/** Settings key of the last inbound message id looked at. */
const checkpointKey = 'automation.checkpoint';

/**
 * A message older than this when it is first looked at gets no automatic reply: one spooled over a weekend
 * and taken in on Monday morning would otherwise be told "we are closed" while the desk is open.
 */
export const maxReplyDelayMs = 15 * 60_000;

const batch = 200;

export interface AutoReplierDeps {
  archive: Archive;
  outbox: () => Outbox | null;
  now: () => number;
  events: Pick<EventSinkPort, 'emit'>;
  logger: Logger;
  /** `{{business}}`: the number's verified name, else the workspace's name. */
  businessName: () => string;
  fallbackTimezone: string;
  /**
   * Whether this desk sends automatic replies: only the primary desk of a workspace with several desks does
   * (DESIGN: several desks). The others move their checkpoint past what they see, so a desk made primary
   * later never answers messages from before.
   */
  sendsReplies: () => boolean;
}

export interface AutoReplier {
  /** Looks at every inbound message stored since the last look. */
  run(): void;
}

export function createAutoReplier(deps: AutoReplierDeps): AutoReplier {
  const { archive } = deps;
  const store = automationStore(archive.db);

  function checkpoint(): number {
    const stored = archive.settings.get(checkpointKey);
    if (typeof stored === 'number') return stored;
    // First run in this archive: what is already there was never meant to be answered now.
    const last = store.lastMessageId();
    archive.settings.set(checkpointKey, last);
    return last;
  }

  function run(): void {
    const outbox = deps.outbox();
    if (!outbox) return;
    if (!deps.sendsReplies()) {
      archive.settings.set(checkpointKey, store.lastMessageId());
      return;
    }
    let after = checkpoint();
    for (;;) {
      const pending = store.inboundAfter(after, batch);
      if (pending.length === 0) break;
      const settings = readAutoReplies(archive);
      const context: ReplyContext = {
        settings,
        hours: store.hoursVersions(),
        fallbackTimezone: deps.fallbackTimezone,
        business: deps.businessName(),
        labelIds: store.labelIds,
        otherMessageWithin: store.otherMessageWithin,
        otherInboundExists: store.otherInboundExists,
        staffMessageWithin: store.staffMessageWithin,
        greetedSince: store.greetedSince,
        awaySentIn: store.awaySentIn,
      };
      for (const facts of pending) {
        const now = deps.now();
        const sent: { kind: 'greeting' | 'away'; messageId: number; conversationId: number }[] = [];
        archive.transaction(() => {
          if (facts.wamid && now - facts.timestamp <= maxReplyDelayMs) {
            for (const reply of planReplies(facts, context)) {
              const logId = store.logReply({ kind: reply.kind, contactId: facts.contactId, inboundWamid: facts.wamid, periodKey: reply.periodKey, at: now });
              if (logId === null) continue;
              const messageId = outbox.queue({ conversationId: facts.conversationId, request: { type: 'text', text: { body: reply.text } }, senderStaffId: null, automatic: reply.kind });
              store.attachMessage(logId, messageId);
              sent.push({ kind: reply.kind, messageId, conversationId: facts.conversationId });
            }
          }
          archive.settings.set(checkpointKey, facts.messageId);
        });
        for (const s of sent) deps.events.emit('automation:sent', { ...s, at: now });
        after = facts.messageId;
      }
    }
  }

  return {
    run() {
      try {
        run();
      } catch (error) {
        // The checkpoint stays where it was: the next run looks at the message again.
        deps.logger.error('Automatic replies failed', { error: error instanceof Error ? error.message : 'unknown' });
      }
    },
  };
}
