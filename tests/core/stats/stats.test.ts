/**
 * Statistics (issue 8, PRODUCT §10) on a hand-built archive. Business timezone Europe/London; the range is
 * the three local days Sat 2026-03-28, Sun 2026-03-29 (clocks go forward at 01:00 GMT → 02:00 BST, a 23-hour
 * day) and Mon 2026-03-30: [2026-03-28T00:00Z, 2026-03-30T23:00Z).
 *
 * Hours: v1 (from 2026-03-01) Mon–Fri 09:00–17:00, Sat 10:00–12:00, Sun closed; v2 (from Mon 2026-03-30
 * 08:45Z = 09:45 BST) Mon–Fri 09:15–17:00, Sat/Sun closed.
 *
 * Conversations: A (label VIP), B (label Orders), C, D, and a group G. Staff: ann, bob.
 *
 *  id   conv  time (UTC)           what                                   local (London)
 *  a0   A     03-27 10:00          in (before the range)                  Fri
 *  a0r  A     03-27 10:05          out ann, read (before the range)
 *  a1   A     03-28 09:00          in  → episode E1 starts                Sat 09:00 GMT (closed until 10:00)
 *  a2   A     03-28 09:00:30       out greeting (automatic), delivered    Sat 09
 *  a3   A     03-28 09:10          in  (same burst: the greeting did not stop the clock)
 *  a4   A     03-28 10:30          out ann; statuses read then (late) delivered → read   Sat 10
 *  a8   A     03-28 10:31          out reaction by ann (never counted)
 *  a5   A     03-28 11:00          in reaction (never counted)
 *  a6   A     03-29 08:00          in  → E2 (reopened after a4)           Sun 09:00 BST (closed)
 *  a7   A     03-30 08:30          out bob, failed 131047                 Mon 09:30 BST
 *  b1   B     03-28 23:30          in  → E3 (first inbound ever)          Sat 23:30 GMT
 *  b2   B     03-29 00:30          in  (same burst)                       Sun 00:30 GMT
 *  b3   B     03-29 00:31          out away (automatic), sent             Sun 00
 *  b4   B     03-29 02:00          out ann; delivered then (late) sent → delivered   Sun 03:00 BST
 *  b5   B     03-29 02:05          out ann, failed 131026                 Sun 03
 *  b6   B     03-30 07:00          in  → E4                               Mon 08:00 BST
 *  b7   B     03-30 07:20          in                                     Mon 08
 *  b8   B     03-30 09:00          out bob, played                        Mon 10:00 BST
 *  c1   C     03-30 21:00          in  → E5                               Mon 22:00 BST
 *  c3   C     03-30 21:05          in system (never counted)
 *  c2   C     03-31 08:40          out ann, sent (after the range: answers E5)   Tue 09:40 BST
 *  c4   C     03-31 09:00          in (after the range)
 *  d1   D     03-30 12:00          in  → E6, never answered               Mon 13:00 BST
 *  g1   G     03-29 12:00          in, group                              Sun 13:00 BST
 *
 * Unread now: B (marked unread by hand) and D (1 unread) → 2.
 */
import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { createAutomationStore } from '../../../electron/core/automation/repositories/automation-store';
import type { BusinessHours, DayHours } from '../../../shared/rules/business-hours';
import { createStats, distribution } from '../../../electron/core/stats/metrics';
import type { Statistics } from '../../../electron/core/stats/metrics';
import { createStatsRepository, slotMs, statsSql } from '../../../electron/core/stats/stats-repository';
import { createTestArchive } from '../../support/archive-helpers';

const Z = (s: string) => Date.parse(`2026-${s}Z`);
const min = 60_000;
const from = Z('03-28T00:00:00');
const to = Z('03-30T23:00:00');

type Status = { status: 'sent' | 'delivered' | 'read' | 'played' | 'failed'; at: number; errorCode?: number };
interface Event {
  key: string;
  conv: 'A' | 'B' | 'C' | 'D' | 'G';
  dir: 'in' | 'out';
  at: string;
  type?: string;
  staff?: string;
  automatic?: 'greeting' | 'away';
  statuses?: Status[];
}

const st = (status: Status['status'], at: string, errorCode?: number): Status => ({ status, at: Z(at), ...(errorCode ? { errorCode } : {}) });

const events: Event[] = [
  { key: 'a0', conv: 'A', dir: 'in', at: '03-27T10:00:00' },
  { key: 'a0r', conv: 'A', dir: 'out', at: '03-27T10:05:00', staff: 'ann', statuses: [st('read', '03-27T10:06:00')] },
  { key: 'a1', conv: 'A', dir: 'in', at: '03-28T09:00:00' },
  { key: 'a2', conv: 'A', dir: 'out', at: '03-28T09:00:30', automatic: 'greeting', statuses: [st('delivered', '03-28T09:01:00')] },
  { key: 'a3', conv: 'A', dir: 'in', at: '03-28T09:10:00' },
  { key: 'a4', conv: 'A', dir: 'out', at: '03-28T10:30:00', staff: 'ann', statuses: [st('read', '03-28T10:40:00'), st('delivered', '03-28T10:35:00')] },
  { key: 'a8', conv: 'A', dir: 'out', at: '03-28T10:31:00', staff: 'ann', type: 'reaction' },
  { key: 'a5', conv: 'A', dir: 'in', at: '03-28T11:00:00', type: 'reaction' },
  { key: 'a6', conv: 'A', dir: 'in', at: '03-29T08:00:00' },
  { key: 'a7', conv: 'A', dir: 'out', at: '03-30T08:30:00', staff: 'bob', statuses: [st('failed', '03-30T08:31:00', 131047)] },
  { key: 'b1', conv: 'B', dir: 'in', at: '03-28T23:30:00' },
  { key: 'b2', conv: 'B', dir: 'in', at: '03-29T00:30:00' },
  { key: 'b3', conv: 'B', dir: 'out', at: '03-29T00:31:00', automatic: 'away' },
  { key: 'b4', conv: 'B', dir: 'out', at: '03-29T02:00:00', staff: 'ann', statuses: [st('delivered', '03-29T02:01:00'), st('sent', '03-29T02:00:10')] },
  { key: 'b5', conv: 'B', dir: 'out', at: '03-29T02:05:00', staff: 'ann', statuses: [st('failed', '03-29T02:06:00', 131026)] },
  { key: 'b6', conv: 'B', dir: 'in', at: '03-30T07:00:00' },
  { key: 'b7', conv: 'B', dir: 'in', at: '03-30T07:20:00' },
  { key: 'b8', conv: 'B', dir: 'out', at: '03-30T09:00:00', staff: 'bob', statuses: [st('delivered', '03-30T09:01:00'), st('played', '03-30T09:02:00')] },
  { key: 'c1', conv: 'C', dir: 'in', at: '03-30T21:00:00' },
  { key: 'c3', conv: 'C', dir: 'in', at: '03-30T21:05:00', type: 'system' },
  { key: 'c2', conv: 'C', dir: 'out', at: '03-31T08:40:00', staff: 'ann' },
  { key: 'c4', conv: 'C', dir: 'in', at: '03-31T09:00:00' },
  { key: 'd1', conv: 'D', dir: 'in', at: '03-30T12:00:00' },
  { key: 'g1', conv: 'G', dir: 'in', at: '03-29T12:00:00' },
];

const open = (start: string, end: string): DayHours => ({ mode: 'open', intervals: [{ start, end }] });
const closed: DayHours = { mode: 'closed' };
const v1: BusinessHours = {
  timezone: 'Europe/London',
  week: { mon: open('09:00', '17:00'), tue: open('09:00', '17:00'), wed: open('09:00', '17:00'), thu: open('09:00', '17:00'), fri: open('09:00', '17:00'), sat: open('10:00', '12:00'), sun: closed },
  exceptions: [],
};
const v2: BusinessHours = {
  timezone: 'Europe/London',
  week: { mon: open('09:15', '17:00'), tue: open('09:15', '17:00'), wed: open('09:15', '17:00'), thu: open('09:15', '17:00'), fri: open('09:15', '17:00'), sat: closed, sun: closed },
  exceptions: [],
};

interface Fixture {
  archive: Archive;
  ids: Map<string, number>;
  conversations: Map<string, number>;
  labels: { vip: number; orders: number };
  stats: ReturnType<typeof createStats>;
}

/** Builds the archive, inserting the events (and applying each message's statuses) in the order given. */
function build(order: readonly Event[], statusOrder: 'as-listed' | 'reversed' = 'as-listed', contactOrder = ['A', 'B', 'C', 'D']): Fixture {
  const { archive } = createTestArchive();
  archive.staff.create({ id: 'ann', name: 'Ann', pinHash: null });
  archive.staff.create({ id: 'bob', name: 'Bob', pinHash: null });
  const conversations = new Map<string, number>();
  for (const [i, name] of contactOrder.entries()) {
    const contact = archive.contacts.upsertByIdentity({ waId: `4477009000${i}${name}`.replace(/\D/g, '') + String(name.charCodeAt(0)), phone: null, profileName: name });
    conversations.set(name, archive.conversations.getOrCreateForContact(contact.id).conversation.id);
  }
  conversations.set('G', archive.conversations.getOrCreateForGroup('group-1').conversation.id);
  const vip = archive.labels.create({ name: 'VIP', colour: 1 }).id;
  const orders = archive.labels.create({ name: 'Orders', colour: 2 }).id;
  archive.labels.assignToConversations(vip, [conversations.get('A')!]);
  archive.labels.assignToConversations(orders, [conversations.get('B')!]);
  const automation = createAutomationStore(archive.db);
  automation.addHoursVersion(v1, Z('03-01T00:00:00'));
  automation.addHoursVersion(v2, Z('03-30T08:45:00'));

  const ids = new Map<string, number>();
  for (const e of order) {
    const ts = Z(e.at);
    const { id } = archive.messages.insert({
      conversationId: conversations.get(e.conv)!,
      wamid: `wamid.${e.key}`,
      direction: e.dir,
      type: e.type ?? 'text',
      text: e.type ? null : e.key,
      timestamp: ts,
      ...(e.dir === 'out' ? { status: 'sent' as const, statusAt: ts, senderStaffId: e.staff ?? null, automatic: e.automatic ?? null } : {}),
      ...(e.conv === 'G' ? { groupId: 'group-1' } : {}),
    });
    ids.set(e.key, id);
    const statuses = statusOrder === 'reversed' ? [...(e.statuses ?? [])].reverse() : (e.statuses ?? []);
    for (const s of statuses) archive.statusEvents.applyDeliveryStatus(id, { status: s.status, at: s.at, errorCode: s.errorCode ?? null, errorTitle: s.errorCode ? 'error' : null });
  }
  archive.db.exec('UPDATE conversations SET unread_count = 0, manual_unread = 0');
  archive.db.prepare('UPDATE conversations SET manual_unread = 1 WHERE id = ?').run(conversations.get('B')!);
  archive.db.prepare('UPDATE conversations SET unread_count = 1 WHERE id = ?').run(conversations.get('D')!);
  const stats = createStats({ repo: createStatsRepository(archive.db), hoursVersions: () => automation.hoursVersions(), fallbackTimezone: 'UTC' });
  return { archive, ids, conversations, labels: { vip, orders }, stats };
}

/** A distribution in minutes, as computed by hand. */
const minutes = (count: number, median: number, mean: number, p90: number) => ({ count, median: median * min, mean: mean * min, p90: p90 * min });

describe('statistics on a hand-built archive', () => {
  it('counts sent, delivered, read, failed, received and unread, and the rates', () => {
    const f = build(events);
    const s = f.stats.compute({ from, to });
    expect(s.timezone).toBe('Europe/London');
    // sent: a2 a4 a7 b3 b4 b5 b8 = 7 (a0r before the range, c2 after it, a8 a reaction).
    // delivered: a2 (delivered), a4 (read: the late "delivered" did not downgrade it), b4 (the late "sent" did
    // not either), b8 (played) = 4. read: a4, b8 = 2. failed: a7 (131047), b5 (131026) = 2.
    // received: a1 a3 a6 b1 b2 b6 b7 c1 d1 g1 = 10 (a5 reaction, c3 system; a0 before, c4 after).
    expect(s.counts).toEqual({ sent: 7, delivered: 4, read: 2, failed: 2, received: 10, unreadConversations: 2 });
    // delivery rate 4 / 7; read rate 2 / 4.
    expect(s.rates.delivery).toBeCloseTo(4 / 7, 12);
    expect(s.rates.read).toBe(0.5);
    // Equal counts: code order.
    expect(s.failedByCode).toEqual([
      { code: 131026, count: 1 },
      { code: 131047, count: 1 },
    ]);
  });

  it('computes first response and reply times per episode, staff messages only, with a business-hours variant', () => {
    const f = build(events);
    const s = f.stats.compute({ from, to }, { episodes: true });
    // Episodes starting in range: E1 (a1), E2 (a6, reopened), E3 (b1, first ever), E4 (b6), E5 (c1, answered by
    // c2 after the range), E6 (d1, unanswered) = 6; 5 answered.
    expect(s.responses).toMatchObject({ episodes: 6, answered: 5, unanswered: 1 });
    // First response (minutes): E1 10:30−09:00 = 90 (the greeting at 09:00:30 did not count); E2 Sun 08:00Z →
    // Mon 08:30Z = 1470; E3 Sat 23:30Z → Sun 02:00Z = 150 (across the DST jump: the wall clock shows 3 h 30);
    // E4 07:00 → 09:00 = 120; E5 Mon 21:00Z → Tue 08:40Z = 700. Sorted 90 120 150 700 1470: median 150,
    // mean 2530 / 5 = 506, p90 = the ⌈4.5⌉ = 5th = 1470.
    expect(s.responses.firstResponse).toEqual(minutes(5, 150, 506, 1470));
    // Reply (from the burst's last inbound): E1 10:30−09:10 = 80, E2 1470, E3 02:00−00:30 = 90 (the away
    // message at 00:31 did not count), E4 09:00−07:20 = 100, E5 700 (c3 is a system event, not a message).
    // Sorted 80 90 100 700 1470: median 100, mean 2440 / 5 = 488, p90 1470.
    expect(s.responses.replyTime).toEqual(minutes(5, 100, 488, 1470));
    // Open time only. E1: Sat open 10:00–12:00 GMT → 10:00–10:30 = 30 (reply 09:10→10:30: also 30). E2: Sun
    // closed, Mon opens 09:00 BST = 08:00Z → 30. E3: Sat night/Sun closed → 0. E4: v1 open 08:00Z–08:45Z = 45,
    // then v2 (in force from 08:45Z; Mon 09:15 BST = 08:15Z) open 08:45Z–09:00Z = 15 → 60 (reply the same,
    // 07:20 being before the opening). E5: Tue under v2 opens 09:15 BST = 08:15Z → 25 (under v1 it would have
    // been 40: the hours in force count). Sorted 0 25 30 30 60: median 30, mean 145 / 5 = 29, p90 60.
    expect(s.responses.firstResponseBusinessHours).toEqual(minutes(5, 30, 29, 60));
    expect(s.responses.replyTimeBusinessHours).toEqual(minutes(5, 30, 29, 60));
    expect(s.episodes!.map((e) => [e.startMessageId, e.responseMessageId, e.staffId])).toEqual([
      [f.ids.get('a1'), f.ids.get('a4'), 'ann'],
      [f.ids.get('b1'), f.ids.get('b4'), 'ann'],
      [f.ids.get('a6'), f.ids.get('a7'), 'bob'],
      [f.ids.get('b6'), f.ids.get('b8'), 'bob'],
      [f.ids.get('d1'), null, null],
      [f.ids.get('c1'), f.ids.get('c2'), 'ann'],
    ]);
  });

  it('gives the volume per local day and per hour-of-week, and the busiest hours, across the DST change', () => {
    const s = build(events).stats.compute({ from, to });
    // 03-28 (GMT): sent a2 a4, received a1 a3 b1. 03-29 (23 h): sent b3 b4 b5, received b2 a6 g1.
    // 03-30 (BST, from 03-29 23:00Z): sent a7 b8, received b6 b7 d1 c1.
    expect(s.perDay).toEqual([
      { date: '2026-03-28', sent: 2, received: 3 },
      { date: '2026-03-29', sent: 3, received: 3 },
      { date: '2026-03-30', sent: 2, received: 4 },
    ]);
    // Cells (weekday·24 + local hour, Monday = 0): Sat 09 (129) a1 a2 a3 = 3; Sat 10 (130) a4; Sat 23 (143) b1;
    // Sun 00 GMT (144) b2 b3 = 2; Sun 03 BST (147) b4 b5 = 2; Sun 09 BST (153) a6; Sun 13 (157) g1;
    // Mon 08 (8) b6 b7 = 2; Mon 09 (9) a7; Mon 10 (10) b8; Mon 13 (13) d1; Mon 22 (22) c1. Total 17 = 7 + 10.
    const expected = new Array<number>(168).fill(0);
    for (const [cell, n] of [[129, 3], [130, 1], [143, 1], [144, 2], [147, 2], [153, 1], [157, 1], [8, 2], [9, 1], [10, 1], [13, 1], [22, 1]] as const) expected[cell] = n;
    expect(s.hourOfWeek).toEqual(expected);
    // Top 5: 129 (3), then the 2s in week order 8, 144, 147, then the first 1: 9.
    expect(s.busiestHours.map((h) => [h.hourOfWeek, h.volume])).toEqual([[129, 3], [8, 2], [144, 2], [147, 2], [9, 1]]);
    expect(s.busiestHours[0]).toMatchObject({ weekday: 5, hour: 9 });
  });

  it('breaks down per label and per staff member, and filters by label and staff', () => {
    const f = build(events);
    const s = f.stats.compute({ from, to });
    // VIP = A: sent a2 a4 a7 = 3, delivered a2 a4 = 2, read a4 = 1, failed a7 = 1, received a1 a3 a6 = 3;
    // episodes E1 (90) and E2 (1470): median (90 + 1470) / 2 = 780.
    const vip = s.perLabel.find((l) => l.name === 'VIP')!;
    expect(vip).toMatchObject({ sent: 3, delivered: 2, read: 1, failed: 1, received: 3 });
    expect(vip.responses.firstResponse).toEqual(minutes(2, 780, 780, 1470));
    // Orders = B: sent b3 b4 b5 b8 = 4, delivered b4 b8 = 2, read b8 = 1, failed b5 = 1, received b1 b2 b6 b7 = 4;
    // E3 (150) and E4 (120): median 135, p90 = the ⌈1.8⌉ = 2nd smallest = 150.
    const orders = s.perLabel.find((l) => l.name === 'Orders')!;
    expect(orders).toMatchObject({ sent: 4, delivered: 2, read: 1, failed: 1, received: 4 });
    expect(orders.responses.firstResponse).toEqual(minutes(2, 135, 135, 150));
    // ann: a4 (read), b4 (delivered), b5 (failed); answered E1 (90), E3 (150), E5 (700): median 150, mean
    // 940 / 3, p90 = 3rd = 700. bob: a7 (failed), b8 (played); E2 (1470), E4 (120): median = mean = 795.
    // No staff (automatic): a2 (delivered), b3.
    expect(s.perStaff.map((p) => [p.staffId, p.name, p.sent, p.delivered, p.read, p.failed])).toEqual([
      ['ann', 'Ann', 3, 2, 1, 1],
      ['bob', 'Bob', 2, 1, 1, 1],
      [null, null, 2, 1, 0, 0],
    ]);
    expect(s.perStaff[0]!.responses.firstResponse).toEqual(minutes(3, 150, 940 / 3, 700));
    expect(s.perStaff[1]!.responses.firstResponse).toEqual(minutes(2, 795, 795, 1470));

    // Label filter: the same figures as the VIP row; unread: B and D are unread, neither is VIP.
    const onlyVip = f.stats.compute({ from, to, labelId: f.labels.vip });
    expect(onlyVip.counts).toEqual({ sent: 3, delivered: 2, read: 1, failed: 1, received: 3, unreadConversations: 0 });
    expect(onlyVip.responses.firstResponse).toEqual(vip.responses.firstResponse);
    expect(f.stats.compute({ from, to, labelId: f.labels.orders }).counts.unreadConversations).toBe(1);
    // Staff filter: ann's outbound counts and the episodes she answered; received is not a staff figure.
    const ann = f.stats.compute({ from, to, staffId: 'ann' });
    expect(ann.counts).toEqual({ sent: 3, delivered: 2, read: 1, failed: 1, received: 10, unreadConversations: 2 });
    expect(ann.responses).toMatchObject({ episodes: 3, answered: 3, unanswered: 0, firstResponse: minutes(3, 150, 940 / 3, 700) });
    // No staff member: the automatic a2 (delivered) and b3; they answer no episode.
    const automatic = f.stats.compute({ from, to, staffId: null });
    expect(automatic.counts).toEqual({ sent: 2, delivered: 1, read: 0, failed: 0, received: 10, unreadConversations: 2 });
    expect(automatic.responses.episodes).toBe(0);
  });

  it('drills down to the messages and conversations behind each figure', () => {
    const f = build(events);
    const id = (...keys: string[]) => keys.map((k) => f.ids.get(k)!);
    const range = { from, to };
    expect(f.stats.drillDown(range, { metric: 'sent' })).toEqual(id('a2', 'a4', 'b3', 'b4', 'b5', 'a7', 'b8'));
    expect(f.stats.drillDown(range, { metric: 'delivered' })).toEqual(id('a2', 'a4', 'b4', 'b8'));
    expect(f.stats.drillDown(range, { metric: 'read' })).toEqual(id('a4', 'b8'));
    expect(f.stats.drillDown(range, { metric: 'failed' })).toEqual(id('b5', 'a7'));
    expect(f.stats.drillDown(range, { metric: 'failed', errorCode: 131047 })).toEqual(id('a7'));
    expect(f.stats.drillDown(range, { metric: 'received' })).toEqual(id('a1', 'a3', 'b1', 'b2', 'a6', 'g1', 'b6', 'b7', 'd1', 'c1'));
    expect(f.stats.drillDown(range, { metric: 'received', date: '2026-03-29' })).toEqual(id('b2', 'a6', 'g1'));
    expect(f.stats.drillDown(range, { metric: 'sent', hourOfWeek: 129 })).toEqual(id('a2'));
    expect(f.stats.drillDown(range, { metric: 'received', hourOfWeek: 8 })).toEqual(id('b6', 'b7'));
    expect(f.stats.drillDown(range, { metric: 'unanswered' })).toEqual(id('d1'));
    expect(f.stats.drillDown(range, { metric: 'answered' })).toEqual(id('a1', 'b1', 'a6', 'b6', 'c1'));
    expect(f.stats.drillDown(range, { metric: 'unread' })).toEqual([f.conversations.get('B'), f.conversations.get('D')]);
    expect(f.stats.drillDown({ ...range, labelId: f.labels.vip }, { metric: 'sent' })).toEqual(id('a2', 'a4', 'a7'));
    expect(f.stats.drillDown({ ...range, staffId: 'bob' }, { metric: 'sent' })).toEqual(id('a7', 'b8'));
    // staffId null: what no staff member sent — the greeting a2 and the away message b3.
    expect(f.stats.drillDown({ ...range, staffId: null }, { metric: 'sent' })).toEqual(id('a2', 'b3'));
  });

  it('gives the same statistics whatever order the events were stored in', () => {
    const strip = (s: Statistics) => s;
    const reference = strip(build(events).stats.compute({ from, to }));
    // Reversed, statuses reversed, contacts created in another order; then an interleaving.
    const reversed = build([...events].reverse(), 'reversed', ['D', 'C', 'B', 'A']);
    expect(reversed.stats.compute({ from, to })).toEqual(reference);
    const interleaved = [...events.filter((_, i) => i % 2 === 1), ...events.filter((_, i) => i % 2 === 0)];
    expect(build(interleaved, 'reversed').stats.compute({ from, to })).toEqual(reference);
    for (const labelId of [1, 2]) {
      expect(reversed.stats.compute({ from, to, labelId: reversed.labels[labelId === 1 ? 'vip' : 'orders'] })).toEqual(
        build(events).stats.compute({ from, to, labelId: labelId === 1 ? 1 : 2 }),
      );
    }
  });

  it('reads only the aggregates and the statistics indexes: no query scans the messages table', () => {
    const { archive } = build(events);
    const params = { from, to, fromSlot: from / slotMs, toSlot: to / slotMs, fromDay: 20540, lastDay: 20542, label: 1, staff: 'ann', code: 131047 };
    const sqls = Object.entries(statsSql).flatMap(([name, sql]) =>
      typeof sql === 'function' ? (['sent', 'delivered', 'read', 'failed'] as const).flatMap((cls) => [[`${name}:${cls}`, sql(cls, false)], [`${name}:${cls}:code`, sql(cls, true)]]) : [[name, sql]],
    );
    for (const [name, sql] of sqls) {
      const stmt = archive.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const wanted = new Set(stmt.columns().length > 0 ? (sql!.match(/[@:$]\w+/g) ?? []).map((p) => p.slice(1)) : []);
      const bound = name === 'labelConversations' || name === 'turns' ? [1] : [Object.fromEntries([...wanted].map((k) => [k, params[k as keyof typeof params]]))];
      const plan = (stmt.all(...bound) as Array<{ detail: string }>).map((r) => r.detail);
      // Every access to messages is a range of one of the statistics' covering indexes: no scan, and no visit
      // to the table's rows.
      const onMessages = plan.filter((d) => /^(SCAN|SEARCH) (m|messages)\b/.test(d));
      for (const detail of onMessages) expect(detail, `${name}: ${plan.join('; ')}`).toMatch(/^SEARCH m USING COVERING INDEX stats_(outbound|inbound|turns|failed) \(/);
      if (/FROM messages|JOIN messages/.test(sql!)) expect(onMessages.length, `${name}: ${plan.join('; ')}`).toBeGreaterThan(0);
      // The aggregates are read by key: a range of slots of one label, a range of episode starts.
      for (const detail of plan.filter((d) => /^(SCAN|SEARCH) (s|e|b)\b/.test(d))) {
        expect(detail, `${name}: ${plan.join('; ')}`).toMatch(
          /^SEARCH s USING PRIMARY KEY \(label_id=\? AND slot>\? AND slot<\?\)|^SEARCH e USING COVERING INDEX stats_episodes_by_start \(start_at>\? AND start_at<\?\)|^SEARCH b USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/,
        );
      }
    }
  });
});

describe('distribution', () => {
  it('takes the median (mean of the middle two), mean and nearest-rank p90', () => {
    expect(distribution([])).toEqual({ count: 0, mean: null, median: null, p90: null });
    expect(distribution([5])).toEqual({ count: 1, mean: 5, median: 5, p90: 5 });
    // 1..10: median (5 + 6) / 2 = 5.5, mean 5.5, p90 = 9th = 9.
    expect(distribution([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual({ count: 10, mean: 5.5, median: 5.5, p90: 9 });
  });

  it('agrees with sorting on any input: duplicates, sorted, reversed, every length', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 1; n <= 120; n++) {
      for (const shape of ['random', 'few values', 'sorted', 'reversed'] as const) {
        const values = Array.from({ length: n }, (_, i) => (shape === 'random' ? Math.floor(next() * 1e6) : shape === 'few values' ? Math.floor(next() * 3) : shape === 'sorted' ? i : n - i));
        const sorted = [...values].sort((a, b) => a - b);
        const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
        expect(distribution(values), `${shape} ${n}`).toMatchObject({ count: n, median, p90: sorted[Math.ceil(0.9 * n) - 1] });
      }
    }
  });
});
