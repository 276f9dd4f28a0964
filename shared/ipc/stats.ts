import { z } from 'zod';
import { datesBetween, isValidDate } from '../rules/local-dates';
import { channel } from './channel';
import type { ConversationPreview, OutboundStatus } from './inbox';

/**
 * Statistics (PRODUCT §10): types, request schemas and channels. `contract.ts` spreads the channels into the one
 * contract. Ranges cross as local dates of the business timezone; core turns them into instants. Every figure
 * is defined once in core (electron/core/stats/metrics.ts); the page's definitions panel says the same in words.
 */

export const statsPresets = ['today', '7d', '30d'] as const;
export type StatsPreset = (typeof statsPresets)[number];

/** The longest custom range: a year (a leap year included). */
export const statsMaxRangeDays = 366;
/** The most rows one drill-down page returns. */
export const statsDrillPageMax = 200;

const localDate = z.string().refine(isValidDate, 'not a date as YYYY-MM-DD');

/** A preset ending today, or `custom` dates (both included), all in the business timezone. */
export const statsRangeSchema = z.discriminatedUnion('preset', [
  z.object({ preset: z.enum(statsPresets) }).strict(),
  z
    .object({ preset: z.literal('custom'), fromDate: localDate, toDate: localDate })
    .strict()
    .superRefine((range, ctx) => {
      if (!isValidDate(range.fromDate) || !isValidDate(range.toDate)) return;
      const days = datesBetween(range.fromDate, range.toDate);
      if (days < 1) ctx.addIssue({ code: 'custom', path: ['toDate'], message: 'before the start date' });
      else if (days > statsMaxRangeDays) ctx.addIssue({ code: 'custom', path: ['toDate'], message: `at most ${statsMaxRangeDays} days` });
    }),
]);
export type StatsRange = z.infer<typeof statsRangeSchema>;

/** The filter every statistics channel takes: a range, and optionally one label and one staff member. */
const filterShape = {
  range: statsRangeSchema,
  labelId: z.number().int().positive().optional(),
  /** null: the messages no staff member sent (automatic replies, other apps on the number). */
  staffId: z.string().trim().min(1).max(100).nullable().optional(),
};
export const statsFilterSchema = z.object(filterShape).strict();
export type StatsFilterRequest = z.infer<typeof statsFilterSchema>;

const slice = {
  /** One local date of the range (a bar of the day chart). */
  date: localDate.optional(),
  /** One hour-of-week cell: weekday (0 = Monday) · 24 + local hour. */
  hourOfWeek: z.number().int().min(0).max(167).optional(),
};
const ms = z.number().int().min(0);

/** What a card, chart bar, heatmap cell or table cell stands for: the messages (or conversations) behind it. */
export const statsFigureSchema = z.discriminatedUnion('metric', [
  /** `volume` = sent + received (the heatmap and the busiest hours). */
  z.object({ metric: z.enum(['sent', 'delivered', 'read', 'received', 'volume']), ...slice }).strict(),
  /** `errorCode` null: failed with no code given; absent: every failure. */
  z.object({ metric: z.literal('failed'), errorCode: z.number().int().nullable().optional(), ...slice }).strict(),
  /** Conversations unread now. */
  z.object({ metric: z.literal('unread') }).strict(),
  /**
   * Episodes (a customer's burst waiting for staff), listed by the message that started them; `answered` may be
   * narrowed to a bar of the response-time chart: `measure` in [minMs, maxMs).
   */
  z
    .object({
      metric: z.enum(['episodes', 'answered', 'unanswered']),
      measure: z.enum(['firstResponse', 'replyTime']).optional(),
      businessHours: z.boolean().optional(),
      minMs: ms.optional(),
      maxMs: ms.optional(),
    })
    .strict()
    .superRefine((figure, ctx) => {
      if ((figure.minMs !== undefined || figure.maxMs !== undefined) && figure.metric !== 'answered') {
        ctx.addIssue({ code: 'custom', path: ['minMs'], message: 'only answered episodes have a response time' });
      }
      if (figure.minMs !== undefined && figure.maxMs !== undefined && figure.maxMs <= figure.minMs) {
        ctx.addIssue({ code: 'custom', path: ['maxMs'], message: 'not after minMs' });
      }
    }),
]);
export type StatsFigure = z.infer<typeof statsFigureSchema>;

export const statsDrillDownSchema = z
  .object({
    ...filterShape,
    figure: statsFigureSchema,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(statsDrillPageMax),
  })
  .strict();

/**
 * The bars of the response-time chart: bar i holds waits in [edges[i], edges[i + 1]), the last one everything from
 * a day on. Under 1 min, 1–5 min, 5–15 min, 15 min–1 h, 1–4 h, 4–24 h, a day or more.
 */
export const statsResponseBucketEdges = [0, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000] as const;

export type StatsResponseMeasure = 'firstResponse' | 'replyTime';

/** The columns of each table the page shows and exports, in order (the CSV has the same ones). */
export const statsTableColumns = {
  perLabel: ['label', 'sent', 'delivered', 'read', 'failed', 'received', 'deliveryRate', 'readRate', 'episodes', 'unanswered', 'firstResponseMedian', 'replyMedian'],
  perStaff: ['staff', 'sent', 'delivered', 'read', 'failed', 'deliveryRate', 'readRate', 'answered', 'firstResponseMedian', 'replyMedian'],
  perDay: ['date', 'sent', 'received'],
  failedByCode: ['code', 'reason', 'count'],
} as const;
export type StatsTable = keyof typeof statsTableColumns;
export const statsTables = ['perLabel', 'perStaff', 'perDay', 'failedByCode'] as const satisfies readonly StatsTable[];

/** The columns of a drill-down list's CSV. */
export const statsDrillColumns = ['time', 'chat', 'direction', 'type', 'text', 'status', 'errorCode', 'reason', 'staff', 'wait', 'messageId', 'conversationId'] as const;

/** Column titles in the UI's language, one per column, so the file reads like the page. */
const headers = z.array(z.string().trim().min(1).max(120)).min(1).max(20);
/** The UI's name for messages no staff member sent (automatic replies, other apps on the number). */
const unattributed = z.string().trim().min(1).max(120);

export const statsExportSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('table'),
      table: z.enum(statsTables),
      ...filterShape,
      /** Response times counting open hours only (the page's switch). */
      businessHours: z.boolean(),
      headers,
      unattributed,
    })
    .strict(),
  z.object({ kind: z.literal('drill-down'), ...filterShape, figure: statsFigureSchema, headers, unattributed }).strict(),
]);
export type StatsExportRequest = z.infer<typeof statsExportSchema>;

export interface StatsDistribution {
  count: number;
  /** Milliseconds; null when there is nothing to measure. */
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface StatsResponseFigures {
  episodes: number;
  answered: number;
  unanswered: number;
  firstResponse: StatsDistribution;
  replyTime: StatsDistribution;
  firstResponseBusinessHours: StatsDistribution;
  replyTimeBusinessHours: StatsDistribution;
}

export interface StatsOutboundCounts {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface StatsReport {
  /** The range as asked, resolved: local dates (both included) and the instants [from, to). */
  range: { preset: StatsPreset | 'custom'; fromDate: string; toDate: string; from: number; to: number };
  /** The business timezone every date and hour is in (IANA name). */
  timezone: string;
  counts: StatsOutboundCounts & { received: number; unreadConversations: number };
  rates: { delivery: number | null; read: number | null };
  /** Most first; `reason` is Meta's reason in words (English, as the chat shows it), null without a code. */
  failedByCode: Array<{ code: number | null; count: number; reason: string | null }>;
  responses: StatsResponseFigures;
  /** Answered episodes per bar of `statsResponseBucketEdges`, for each measure, on the wall clock and in open hours. */
  responseHistogram: Record<'firstResponse' | 'replyTime' | 'firstResponseBusinessHours' | 'replyTimeBusinessHours', number[]>;
  perDay: Array<{ date: string; sent: number; received: number }>;
  /** 168 cells, index = weekday (0 = Monday) · 24 + local hour. */
  hourOfWeek: number[];
  busiestHours: Array<{ hourOfWeek: number; weekday: number; hour: number; volume: number }>;
  perLabel: Array<{ labelId: number; name: string; colour: number } & StatsOutboundCounts & { received: number; responses: StatsResponseFigures }>;
  /** `staffId` null: outbound messages no staff member sent (automatic replies, the API). */
  perStaff: Array<{ staffId: string | null; name: string | null } & StatsOutboundCounts & { responses: StatsResponseFigures }>;
  /** What the label and staff filters offer. */
  choices: { labels: Array<{ id: number; name: string; colour: number }>; staff: Array<{ id: string; name: string }> };
  /** Core's clock when computed. */
  computedAt: number;
}

/** One message of a drill-down list (or, for unread conversations, the conversation's last message). */
export interface StatsDrillRow {
  /** Null only for a conversation with no message at all. */
  messageId: number | null;
  conversationId: number;
  /** The chat's name as the inbox shows it. */
  chatTitle: string;
  timestamp: number | null;
  preview: ConversationPreview | null;
  status: OutboundStatus | null;
  errorCode: number | null;
  /** Meta's reason in words (English, as in the chat). */
  errorReason: string | null;
  /** Who on the staff sent it; null for inbound, automatic and API messages. */
  staffName: string | null;
  automatic: 'greeting' | 'away' | null;
  /** Episode figures: the wait this episode measured (first response or reply time); null when unanswered. */
  waitMs: number | null;
}

export interface StatsDrillPage {
  /** `conversations` for unread conversations (each row is its last message), `messages` otherwise. */
  kind: 'messages' | 'conversations';
  total: number;
  offset: number;
  /** Newest first. */
  rows: StatsDrillRow[];
}

export const statsChannels = {
  /** Every figure for a range (and label / staff member), with the filter choices. */
  'stats:compute': channel<StatsReport>()(statsFilterSchema),
  /** The messages (or conversations) behind one figure, newest first, a page at a time. */
  'stats:drill-down': channel<StatsDrillPage>()(statsDrillDownSchema),
  /** A table or a drill-down list as CSV (UTF-8 with BOM), written where the user chooses (dialogs port). */
  'stats:export-csv': channel<{ saved: boolean; rows: number }>()(statsExportSchema),
} as const;
