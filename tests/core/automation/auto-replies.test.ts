/**
 * Greeting and away messages against the sandbox (PRODUCT §6), on the clock the sandbox and core share: a
 * simulated customer writes through a signed webhook; what the automation sends goes through the outbox
 * to the sandbox Graph API, marked automatic.
 *
 * The virtual clock starts on Monday 2 March 2026, 10:00 UTC; the business is in Europe/London (UTC+0 until
 * 29 March), open Monday to Friday 09:00–17:00.
 */
import { describe, expect, it } from 'vitest';
import type { AutomationLogPage, AutoRepliesView, ConversationDetail, DryRunResult, HoursView } from '../../../shared/ipc';
import type { AutoReplies } from '../../../shared/rules/auto-replies';
import { defaultAutoReplies } from '../../../shared/rules/auto-replies';
import type { BusinessHours } from '../../../shared/rules/business-hours';
import type { Archive } from '../../../electron/core/archive';
import { call, customerWrites, openDemoInbox, seedConversation, waitFor } from '../inbox/inbox-support';
import type { DemoInbox } from '../inbox/inbox-support';

const minute = 60_000;
const hour = 60 * minute;

const weekdays: DayHoursOpen = { mode: 'open', intervals: [{ start: '09:00', end: '17:00' }] };
type DayHoursOpen = { mode: 'open'; intervals: { start: string; end: string }[] };
const londonOfficeHours: BusinessHours = {
  timezone: 'Europe/London',
  week: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: { mode: 'closed' }, sun: { mode: 'closed' } },
  exceptions: [],
};

function settings(change: { greeting?: Partial<AutoReplies['greeting']>; away?: Partial<AutoReplies['away']>; sendBoth?: boolean }): AutoReplies {
  return {
    ...defaultAutoReplies,
    greeting: { ...defaultAutoReplies.greeting, text: 'Hello {{name}}, welcome to {{business}}!', ...change.greeting },
    away: { ...defaultAutoReplies.away, text: 'We are closed. Back {{next_open}}.', ...change.away },
    sendBoth: change.sendBoth ?? false,
  };
}

async function setUp(options: { hours?: BusinessHours; replies: AutoReplies }) {
  const inbox = await openDemoInbox();
  if (options.hours) await call<HoursView>(inbox.core, 'hours:save', options.hours);
  await call<AutoRepliesView>(inbox.core, 'automation:save', options.replies);
  return inbox;
}

/** The automatic messages in the archive, oldest first. */
function automatic(archive: Archive): { kind: string; text: string | null; conversationId: number; timestamp: number }[] {
  return archive.db
    .prepare<[], { kind: string; text: string | null; conversationId: number; timestamp: number }>(
      "SELECT automatic AS kind, text, conversation_id AS conversationId, timestamp FROM messages WHERE automatic IS NOT NULL ORDER BY id",
    )
    .all();
}

/** Moves the shared clock to an instant (forward only), letting timers run on the way. */
async function at(inbox: DemoInbox, iso: string) {
  const target = Date.parse(iso);
  const step = 6 * hour;
  while (inbox.clock.now() < target) {
    inbox.clock.advance(Math.min(step, target - inbox.clock.now()));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A customer writes; resolves after the automation had its turn (it runs right after the message is stored). */
async function writes(inbox: DemoInbox, customer: number) {
  const written = await customerWrites(inbox, customer);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return written;
}

describe('greeting', () => {
  it('greets a first contact once, not on the next message, and again after 14 idle days', async () => {
    const inbox = await setUp({ replies: settings({ greeting: { enabled: true } }) });
    const first = await writes(inbox, 0);
    await waitFor(() => inbox.demo().graph.sent.length === 1);
    const greeting = inbox.demo().graph.sent[0]!;
    expect(greeting.request).toMatchObject({ type: 'text', text: { body: expect.stringMatching(/^Hello Sheena Nelson, welcome to .+!$/) } });
    expect(automatic(inbox.archive())).toEqual([expect.objectContaining({ kind: 'greeting', conversationId: first.conversationId })]);

    await writes(inbox, 0);
    expect(automatic(inbox.archive())).toHaveLength(1);

    // 13 days later: still within 14 days of the last message either way.
    await at(inbox, '2026-03-15T11:00:00Z');
    await writes(inbox, 0);
    expect(automatic(inbox.archive())).toHaveLength(1);

    // 14 days after that message: greeted again.
    await at(inbox, '2026-03-29T11:00:01Z');
    await writes(inbox, 0);
    expect(automatic(inbox.archive()).map((m) => m.kind)).toEqual(['greeting', 'greeting']);
  });

  it('is not a staff reply: the conversation still needs one, and the message says it is automatic', async () => {
    const inbox = await setUp({ replies: settings({ greeting: { enabled: true } }) });
    const { conversationId } = await writes(inbox, 1);
    await waitFor(() => automatic(inbox.archive()).length === 1);
    const detail = await call<ConversationDetail>(inbox.core, 'conversations:get', { conversationId });
    expect(detail.row.needsReply).toBe(true);
    expect(detail.row.preview).toMatchObject({ direction: 'out', automatic: true });
    expect(inbox.archive().conversations.get(conversationId)!.lastStaffAt).toBeNull();
    expect(inbox.of('automation:sent')).toEqual([expect.objectContaining({ kind: 'greeting', conversationId })]);
  });
});

describe('away', () => {
  it('sends one away message per closed period: Friday evening to Monday morning is one', async () => {
    const inbox = await setUp({ hours: londonOfficeHours, replies: settings({ away: { enabled: true, mode: 'outsideHours' } }) });
    await at(inbox, '2026-03-06T18:00:00Z');
    await writes(inbox, 2);
    await waitFor(() => inbox.demo().graph.sent.length === 1);
    expect(inbox.demo().graph.sent[0]!.request).toMatchObject({ text: { body: 'We are closed. Back Monday 09:00.' } });

    for (const when of ['2026-03-06T20:00:00Z', '2026-03-07T12:00:00Z', '2026-03-08T23:00:00Z', '2026-03-09T08:59:00Z']) {
      await at(inbox, when);
      await writes(inbox, 2);
    }
    expect(automatic(inbox.archive())).toHaveLength(1);

    // Open on Monday: nothing; closed again on Monday evening: a new period, a new away message.
    await at(inbox, '2026-03-09T09:30:00Z');
    await writes(inbox, 2);
    await at(inbox, '2026-03-09T18:00:00Z');
    await writes(inbox, 2);
    expect(automatic(inbox.archive()).map((m) => m.kind)).toEqual(['away', 'away']);
  });

  it('stays quiet when staff wrote to the contact in the last 5 minutes', async () => {
    const inbox = await setUp({ hours: londonOfficeHours, replies: settings({ away: { enabled: true, mode: 'outsideHours' } }) });
    await at(inbox, '2026-03-06T16:50:00Z');
    const { conversationId } = await writes(inbox, 3);
    await at(inbox, '2026-03-06T17:58:00Z');
    await call(inbox.core, 'messages:send', { kind: 'text', conversationId, text: 'We close at five, but I am still here.' });
    await at(inbox, '2026-03-06T18:00:00Z');
    await writes(inbox, 3);
    expect(automatic(inbox.archive())).toHaveLength(0);

    // Twelve minutes after the staff message: the away message goes (the first of this period).
    await at(inbox, '2026-03-06T18:10:00Z');
    await writes(inbox, 3);
    expect(automatic(inbox.archive()).map((m) => m.kind)).toEqual(['away']);
  });

  it('follows the recipient filter: only contacts with a label', async () => {
    const inbox = await openDemoInbox();
    await call(inbox.core, 'hours:save', londonOfficeHours);
    const vip = inbox.archive().labels.create({ name: 'VIP', colour: 3 });
    await call(inbox.core, 'automation:save', settings({ away: { enabled: true, mode: 'outsideHours', recipients: { kind: 'only', labelIds: [vip.id] } } }));
    const labelled = await writes(inbox, 4);
    const other = await writes(inbox, 5);
    inbox.archive().labels.assignToConversations(vip.id, [labelled.conversationId]);

    await at(inbox, '2026-03-02T19:00:00Z');
    await writes(inbox, 4);
    await writes(inbox, 5);
    expect(automatic(inbox.archive()).map((m) => m.conversationId)).toEqual([labelled.conversationId]);

    // The other way round: everyone except the label.
    await call(inbox.core, 'automation:save', settings({ away: { enabled: true, mode: 'always', recipients: { kind: 'except', labelIds: [vip.id] } } }));
    await writes(inbox, 4);
    await writes(inbox, 5);
    expect(automatic(inbox.archive()).map((m) => m.conversationId)).toEqual([labelled.conversationId, other.conversationId]);
  });

  it('sends only the away message when both apply, both with the switch, and never twice for a repeated webhook', async () => {
    const inbox = await setUp({ hours: londonOfficeHours, replies: settings({ greeting: { enabled: true }, away: { enabled: true, mode: 'outsideHours' } }) });
    await at(inbox, '2026-03-02T20:00:00Z');
    await writes(inbox, 6);
    expect(automatic(inbox.archive()).map((m) => m.kind)).toEqual(['away']);

    await call(inbox.core, 'automation:save', settings({ greeting: { enabled: true }, away: { enabled: true, mode: 'outsideHours' }, sendBoth: true }));
    // Meta delivers every webhook twice from here on (same signed bytes).
    const poster = inbox.demo().poster;
    const post = poster.post.bind(poster);
    poster.post = (webhook) => {
      post(webhook);
      post(webhook);
    };
    await writes(inbox, 7);
    await waitFor(() => inbox.demo().graph.sent.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(automatic(inbox.archive()).map((m) => m.kind)).toEqual(['away', 'greeting', 'away']);
    expect(inbox.demo().graph.sent).toHaveLength(3);
  });

  it('does not answer a message that reaches the desk long after it was written', async () => {
    const inbox = await setUp({ hours: londonOfficeHours, replies: settings({ away: { enabled: true, mode: 'always' } }) });
    // Stored directly with Saturday's time while the clock says Monday (as a spool taken in on Monday would).
    const archive = inbox.archive();
    const late = seedConversation(archive, inbox.clock.now(), { inboundMinutesAgo: 60 * 24 * 2 });
    const now = await writes(inbox, 8);
    expect(automatic(archive).map((m) => m.conversationId)).toEqual([now.conversationId]);
    expect(late).not.toBe(now.conversationId);
  });
});

describe('dry run and log', () => {
  it('lists what new settings would have sent in the last 7 days, and logs what was sent with its trigger', async () => {
    const inbox = await setUp({ hours: londonOfficeHours, replies: settings({}) });
    await at(inbox, '2026-03-03T20:00:00Z');
    await writes(inbox, 9);
    await at(inbox, '2026-03-04T10:00:00Z');
    await writes(inbox, 9);
    await writes(inbox, 10);
    expect(automatic(inbox.archive())).toHaveLength(0);

    const tried = settings({ greeting: { enabled: true }, away: { enabled: true, mode: 'outsideHours' } });
    const run = await call<DryRunResult>(inbox.core, 'automation:dry-run', { settings: tried });
    expect(run.considered).toBe(3);
    expect(run.entries.map((e) => [e.kind, new Date(e.at).toISOString()])).toEqual([
      // Tuesday 20:00, closed: only the away message (both would fire).
      ['away', '2026-03-03T20:00:00.000Z'],
      // Wednesday 10:00, open: customer 10's first message is greeted; customer 9 wrote yesterday.
      ['greeting', '2026-03-04T10:00:00.000Z'],
    ]);
    expect(run.entries[0]!.text).toBe('We are closed. Back Wednesday 09:00.');
    expect(automatic(inbox.archive())).toHaveLength(0);

    await call(inbox.core, 'automation:save', tried);
    await at(inbox, '2026-03-04T18:30:00Z');
    const trigger = await writes(inbox, 10);
    await waitFor(() => automatic(inbox.archive()).length === 1);
    const log = await call<AutomationLogPage>(inbox.core, 'automation:log', {});
    expect(log.entries).toEqual([
      expect.objectContaining({
        kind: 'away',
        inboundMessageId: trigger.messageId,
        conversationId: trigger.conversationId,
        text: 'We are closed. Back Thursday 09:00.',
        period: { mode: 'outsideHours', closedSince: Date.parse('2026-03-04T17:00:00Z') },
      }),
    ]);
    expect(log.nextBefore).toBeNull();
  });
});

describe('business hours state', () => {
  it('is pushed when the business opens and closes, on the clock', async () => {
    const inbox = await setUp({ hours: londonOfficeHours, replies: settings({}) });
    const view = await call<HoursView>(inbox.core, 'hours:get');
    expect(view.state).toMatchObject({ open: true, nextChange: Date.parse('2026-03-02T17:00:00Z'), timezone: 'Europe/London' });
    expect(view.history).toHaveLength(1);
    await at(inbox, '2026-03-02T17:00:30Z');
    expect(inbox.of('hours:state').at(-1)).toMatchObject({ open: false, nextOpen: Date.parse('2026-03-03T09:00:00Z') });
  });

  it('refuses overlapping intervals and names the interval', async () => {
    const inbox = await openDemoInbox();
    const overlapping = { ...londonOfficeHours, week: { ...londonOfficeHours.week, mon: { mode: 'open', intervals: [{ start: '21:00', end: '02:00' }] }, tue: { mode: 'open', intervals: [{ start: '01:00', end: '09:00' }] } } };
    const answer = await inbox.core.invoke('hours:save', overlapping);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ path: 'week.tue.intervals.0', message: 'overlaps mon 21:00–02:00' }] } });
    expect((await call<HoursView>(inbox.core, 'hours:get')).effectiveFrom).toBeNull();
  });
});
