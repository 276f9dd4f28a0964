/**
 * The statistics channels (issue 8) through core's dispatcher on a real encrypted archive: ranges given as local
 * dates of the business timezone, the label and staff filters, and the rows behind a figure (see stats-support.ts
 * for the history and the numbers worked out by hand).
 */
import { describe, expect, it } from 'vitest';
import type { StatsDrillPage, StatsReport } from '../../../shared/ipc/stats';
import { createStats } from '../../../electron/core/stats/metrics';
import { createStatsRepository } from '../../../electron/core/stats/stats-repository';
import { createAutomationStore } from '../../../electron/core/automation/repositories/automation-store';
import { call } from '../inbox/inbox-support';
import { formulaLabel, hk, minute, ollieName, openStatsWorkspace } from './stats-support';
import type { StatsWorkspace } from './stats-support';

const compute = (ws: StatsWorkspace, request: unknown) => call<StatsReport>(ws.core, 'stats:compute', request);
const drill = (ws: StatsWorkspace, request: Record<string, unknown>) => call<StatsDrillPage>(ws.core, 'stats:drill-down', { range: { preset: '7d' }, limit: 50, ...request });

describe('stats:compute', () => {
  it('turns "today" and "7 days" into local midnights of the business timezone and counts what happened in them', async () => {
    const ws = await openStatsWorkspace();
    const today = await compute(ws, { range: { preset: 'today' } });
    // Hong Kong midnight of Mon 03-02 is Sun 16:00Z; the range ends at the next midnight.
    expect(today.range).toEqual({ preset: 'today', fromDate: '2026-03-02', toDate: '2026-03-02', from: hk('03-02T00:00:00'), to: hk('03-03T00:00:00') });
    expect(today.timezone).toBe('Asia/Hong_Kong');
    // Today: sent m2 m3 m4; delivered m2 m3; read m3; failed m4; received m1 c1; unread now: 陈美玲's chat.
    expect(today.counts).toEqual({ sent: 3, delivered: 2, read: 1, failed: 1, received: 2, unreadConversations: 1 });
    expect(today.rates).toEqual({ delivery: 2 / 3, read: 1 / 2 });

    const week = await compute(ws, { range: { preset: '7d' } });
    expect(week.range).toMatchObject({ fromDate: '2026-02-24', toDate: '2026-03-02', from: hk('02-24T00:00:00'), to: hk('03-03T00:00:00') });
    // Adds Sunday's o1 o2 o3; c0 (02-20) stays outside.
    expect(week.counts).toEqual({ sent: 5, delivered: 3, read: 1, failed: 2, received: 3, unreadConversations: 1 });
    expect(week.failedByCode).toEqual([
      { code: 131026, count: 1, reason: 'the message could not be delivered — the number may not be on WhatsApp or the app is too old' },
      { code: 131047, count: 1, reason: 'the 24-hour window has closed — send a template' },
    ]);
    expect(week.perDay.map((d) => d.date)).toEqual(['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(week.perDay.at(-2)).toEqual({ date: '2026-03-01', sent: 2, received: 1 });
    // Monday 09:00–10:00 in Hong Kong: m1 m2 m3 m4.
    expect(week.hourOfWeek[9]).toBe(4);
    expect(week.busiestHours[0]).toEqual({ hourOfWeek: 9, weekday: 0, hour: 9, volume: 4 });
    // Episodes: Mei's (20 min), Ollie's (60 min; nothing in open hours, Sunday being closed), 陈美玲's (waiting).
    expect(week.responses).toMatchObject({ episodes: 3, answered: 2, unanswered: 1 });
    expect(week.responses.firstResponse).toEqual({ count: 2, mean: 40 * minute, median: 40 * minute, p90: 60 * minute });
    expect(week.responses.firstResponseBusinessHours).toEqual({ count: 2, mean: 10 * minute, median: 10 * minute, p90: 20 * minute });
    // The response-time chart: 20 min falls in 15 min–1 h, 60 min in 1–4 h; in open hours Ollie's 0 in "under 1 min".
    expect(week.responseHistogram.firstResponse).toEqual([0, 0, 0, 1, 1, 0, 0]);
    expect(week.responseHistogram.firstResponseBusinessHours).toEqual([1, 0, 0, 1, 0, 0, 0]);
    expect(week.responseHistogram.replyTime).toEqual([0, 0, 0, 1, 1, 0, 0]);
  });

  it('gives the same figures as the stats module for the same instants', async () => {
    const ws = await openStatsWorkspace();
    const db = ws.archive().db;
    const automation = createAutomationStore(db);
    const direct = createStats({ repo: createStatsRepository(db), hoursVersions: () => automation.hoursVersions(), fallbackTimezone: 'UTC' }).compute({
      from: hk('02-24T00:00:00'),
      to: hk('03-03T00:00:00'),
    });
    const viaIpc = await compute(ws, { range: { preset: '7d' } });
    expect(viaIpc.counts).toEqual(direct.counts);
    expect(viaIpc.responses).toEqual(direct.responses);
    expect(viaIpc.hourOfWeek).toEqual(direct.hourOfWeek);
    expect(viaIpc.perDay).toEqual(direct.perDay);
  });

  it('reads a custom range of dates, both included, and filters by label and staff member', async () => {
    const ws = await openStatsWorkspace();
    const sunday = await compute(ws, { range: { preset: 'custom', fromDate: '2026-03-01', toDate: '2026-03-01' } });
    expect(sunday.range).toEqual({ preset: 'custom', fromDate: '2026-03-01', toDate: '2026-03-01', from: hk('03-01T00:00:00'), to: hk('03-02T00:00:00') });
    expect(sunday.counts).toMatchObject({ sent: 2, delivered: 1, failed: 1, received: 1 });

    const february = await compute(ws, { range: { preset: 'custom', fromDate: '2026-02-01', toDate: '2026-03-02' } });
    expect(february.counts.failed).toBe(3);
    const wholesale = await compute(ws, { range: { preset: '7d' }, labelId: ws.labels.wholesale });
    expect(wholesale.counts).toMatchObject({ sent: 3, received: 1, failed: 1 });
    expect(wholesale.perLabel.map((l) => l.name)).toEqual(['批发客户']);
    const bob = await compute(ws, { range: { preset: '7d' }, staffId: 'bob' });
    expect(bob.counts).toMatchObject({ sent: 2, delivered: 1, failed: 1 });
    expect(bob.failedByCode.map((f) => f.code)).toEqual([131047]);
  });

  it('offers the labels and staff to filter by, without any secret', async () => {
    const ws = await openStatsWorkspace();
    const report = await compute(ws, { range: { preset: '7d' } });
    expect(report.choices.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['批发客户', formulaLabel, 'New customer']));
    for (const member of report.choices.staff) expect(Object.keys(member).sort()).toEqual(['id', 'name']);
    expect(JSON.stringify(report)).not.toContain('argon2id');
    // Per staff: Ann, Bob, and the greeting nobody on the staff sent.
    expect(report.perStaff.map((s) => [s.name, s.sent])).toEqual([
      ['Ann', 2],
      ['Bob', 2],
      [null, 1],
    ]);
    expect(report.perLabel.find((l) => l.name === formulaLabel)).toMatchObject({ sent: 2, delivered: 1, failed: 1, received: 1, colour: 5 });
  });
});

describe('stats:drill-down', () => {
  it('lists the failed messages newest first, with the chat, the sender and Meta’s reason in words', async () => {
    const ws = await openStatsWorkspace();
    const page = await drill(ws, { figure: { metric: 'failed' } });
    expect(page).toMatchObject({ kind: 'messages', total: 2, offset: 0 });
    expect(page.rows.map((r) => r.messageId)).toEqual([ws.ids.m4, ws.ids.o3]);
    expect(page.rows[0]).toMatchObject({
      conversationId: ws.chats.mei,
      chatTitle: 'Mei Lin',
      timestamp: hk('03-02T09:25:00'),
      status: 'failed',
      errorCode: 131026,
      errorReason: 'the message could not be delivered — the number may not be on WhatsApp or the app is too old',
      staffName: 'Ann',
      preview: { type: 'text', direction: 'out', text: 'Here is our address', status: 'failed', automatic: false, revoked: false },
    });
    expect(page.rows[1]).toMatchObject({ chatTitle: ollieName, errorCode: 131047, staffName: 'Bob' });

    const byCode = await drill(ws, { figure: { metric: 'failed', errorCode: 131047 } });
    expect(byCode.rows.map((r) => r.messageId)).toEqual([ws.ids.o3]);
    const second = await drill(ws, { figure: { metric: 'failed' }, offset: 1, limit: 1 });
    expect(second).toMatchObject({ total: 2, offset: 1 });
    expect(second.rows.map((r) => r.messageId)).toEqual([ws.ids.o3]);
  });

  it('lists a day of the chart, an hour-of-week cell (sent and received together) and the unread conversations', async () => {
    const ws = await openStatsWorkspace();
    expect((await drill(ws, { figure: { metric: 'received', date: '2026-03-01' } })).rows.map((r) => r.messageId)).toEqual([ws.ids.o1]);
    const cell = await drill(ws, { figure: { metric: 'volume', hourOfWeek: 9 } });
    expect(cell.rows.map((r) => r.messageId)).toEqual([ws.ids.m4, ws.ids.m3, ws.ids.m2, ws.ids.m1]);
    expect(cell.rows[2]).toMatchObject({ automatic: 'greeting', staffName: null, preview: { automatic: true } });

    const unread = await drill(ws, { figure: { metric: 'unread' } });
    expect(unread).toMatchObject({ kind: 'conversations', total: 1 });
    expect(unread.rows[0]).toMatchObject({ conversationId: ws.chats.chen, chatTitle: '陈美玲', messageId: ws.ids.c1, preview: { direction: 'in', text: '请问周六营业吗？' } });
  });

  it('lists episodes by the message that started them, with the wait each one measured', async () => {
    const ws = await openStatsWorkspace();
    const answered = await drill(ws, { figure: { metric: 'answered' } });
    expect(answered.rows.map((r) => [r.messageId, r.waitMs])).toEqual([
      [ws.ids.m1, 20 * minute],
      [ws.ids.o1, 60 * minute],
    ]);
    // A bar of the response-time chart (1–4 h): the episode the histogram counted there.
    const slow = await drill(ws, { figure: { metric: 'answered', measure: 'firstResponse', minMs: 60 * minute, maxMs: 240 * minute } });
    expect(slow.rows.map((r) => r.messageId)).toEqual([ws.ids.o1]);
    const quickInOpenHours = await drill(ws, { figure: { metric: 'answered', measure: 'firstResponse', businessHours: true, minMs: 0, maxMs: minute } });
    expect(quickInOpenHours.rows.map((r) => r.messageId)).toEqual([ws.ids.o1]);
    // Counting open hours only, Ollie waited no open time at all (Sunday is closed).
    const open = await drill(ws, { figure: { metric: 'answered', businessHours: true } });
    expect(open.rows.map((r) => r.waitMs)).toEqual([20 * minute, 0]);
    const waiting = await drill(ws, { figure: { metric: 'unanswered' } });
    expect(waiting.rows.map((r) => [r.messageId, r.waitMs])).toEqual([[ws.ids.c1, null]]);
    // For one staff member: the episodes they answered.
    const bob = await drill(ws, { staffId: 'bob', figure: { metric: 'answered' } });
    expect(bob.rows.map((r) => r.messageId)).toEqual([ws.ids.o1]);
  });
});
