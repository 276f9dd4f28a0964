/** A statistics report and drill-down rows as core would answer them, for the Statistics page's renderer tests. */
import type { StatsDistribution, StatsDrillRow, StatsReport, StatsResponseFigures } from '../../../shared/ipc/stats';

const minute = 60_000;

const dist = (median: number | null, mean: number | null = median, p90: number | null = median, count = median === null ? 0 : 2): StatsDistribution => ({ count, median, mean, p90 });

function responses(first: number | null, firstOpen: number | null, episodes = 3, answered = 2): StatsResponseFigures {
  return {
    episodes,
    answered,
    unanswered: episodes - answered,
    firstResponse: dist(first, first === null ? null : first + 10 * minute, first === null ? null : 2 * first),
    replyTime: dist(first === null ? null : first / 2),
    firstResponseBusinessHours: dist(firstOpen),
    replyTimeBusinessHours: dist(firstOpen === null ? null : firstOpen / 2),
  };
}

/** "7 days" in Hong Kong, 2026-02-24 … 2026-03-02. */
export function report(overrides: Partial<StatsReport> = {}): StatsReport {
  const hourOfWeek = new Array<number>(168).fill(0);
  hourOfWeek[9] = 4;
  hourOfWeek[6 * 24 + 10] = 2;
  return {
    range: { preset: '7d', fromDate: '2026-02-24', toDate: '2026-03-02', from: Date.parse('2026-02-23T16:00:00Z'), to: Date.parse('2026-03-02T16:00:00Z') },
    timezone: 'Asia/Hong_Kong',
    counts: { sent: 1234, delivered: 1100, read: 880, failed: 12, received: 1500, unreadConversations: 3 },
    rates: { delivery: 1100 / 1234, read: 880 / 1100 },
    failedByCode: [
      { code: 131026, count: 9, reason: 'the message could not be delivered — the number may not be on WhatsApp or the app is too old' },
      { code: 131047, count: 2, reason: 'the 24-hour window has closed — send a template' },
      { code: null, count: 1, reason: null },
    ],
    responses: responses(32 * minute, 12 * minute, 40, 37),
    responseHistogram: {
      firstResponse: [1, 3, 10, 14, 5, 3, 1],
      replyTime: [2, 4, 11, 12, 5, 2, 1],
      firstResponseBusinessHours: [6, 8, 12, 9, 2, 0, 0],
      replyTimeBusinessHours: [7, 8, 12, 8, 2, 0, 0],
    },
    perDay: ['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'].map((date, i) => ({ date, sent: 100 + i, received: 120 + i })),
    hourOfWeek,
    busiestHours: [
      { hourOfWeek: 9, weekday: 0, hour: 9, volume: 4 },
      { hourOfWeek: 154, weekday: 6, hour: 10, volume: 2 },
    ],
    perLabel: [
      { labelId: 1, name: 'New customer', colour: 0, sent: 30, delivered: 28, read: 20, failed: 1, received: 40, responses: responses(20 * minute, 5 * minute, 5, 4) },
      { labelId: 2, name: '批发客户', colour: 3, sent: 0, delivered: 0, read: 0, failed: 0, received: 0, responses: responses(null, null, 0, 0) },
    ],
    perStaff: [
      { staffId: 'ann', name: 'Ann', sent: 600, delivered: 550, read: 450, failed: 6, responses: responses(25 * minute, 10 * minute, 20, 20) },
      { staffId: null, name: null, sent: 40, delivered: 40, read: 30, failed: 0, responses: responses(null, null, 0, 0) },
    ],
    choices: { labels: [{ id: 1, name: 'New customer', colour: 0 }, { id: 2, name: '批发客户', colour: 3 }], staff: [{ id: 'ann', name: 'Ann' }, { id: 'bob', name: 'Bob' }] },
    computedAt: Date.parse('2026-03-02T10:00:00Z'),
    ...overrides,
  };
}

export function drillRow(messageId: number, extra: Partial<StatsDrillRow> = {}): StatsDrillRow {
  return {
    messageId,
    conversationId: 40 + messageId,
    chatTitle: `Customer ${messageId}`,
    timestamp: Date.parse('2026-03-02T01:25:00Z') - messageId * 60_000,
    preview: { type: 'text', direction: 'out', text: `Message ${messageId}`, status: 'failed', automatic: false, revoked: false },
    status: 'failed',
    errorCode: 131026,
    errorReason: 'the message could not be delivered — the number may not be on WhatsApp or the app is too old',
    staffName: 'Ann',
    automatic: null,
    waitMs: null,
    ...extra,
  };
}
