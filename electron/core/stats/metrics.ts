import { hoursStateAt, instantOfLocal, localDateOf, nextOpen } from '../automation/hours';
import type { HoursVersion } from '../automation/hours';
import type { OutboundClass, RangeParams, StatsRepository } from './stats-repository';

/**
 * Statistics (PRODUCT §10): every metric is defined here, once, with its formula; the SQL predicates it
 * names live in stats-repository.ts (outboundWhere, inboundWhere, turnWhere). All figures are computed from
 * the local archive. Times are ms since the epoch; a range is [from, to) (instants, normally local midnights
 * of the business timezone); "in range" means the message's own `timestamp` (Meta's time) is in it.
 *
 * COUNTS (filters: labelId = conversation currently carries the label; staffId = sender_staff_id, outbound only)
 * - sent        = #{ m : direction = 'out', type ≠ 'reaction', timestamp ∈ range }  (includes automatic
 *                 replies and failed sends: every message the business sent or tried to send)
 * - delivered   = #{ m ∈ sent : status ∈ {delivered, read, played} }  (read implies delivered: a status
 *                 never goes back, so an out-of-order "delivered" after "read" changes nothing)
 * - read        = #{ m ∈ sent : status ∈ {read, played} }  — a LOWER BOUND: customers can turn receipts off
 * - failed      = #{ m ∈ sent : status = 'failed' }, and by error_code (null = no code given)
 * - received    = #{ m : direction = 'in', type ∉ {reaction, system}, timestamp ∈ range }  (groups included;
 *                 not affected by staffId)
 * - unread conversations = #{ c : unread_count > 0 or manual_unread = 1 } now (a snapshot, not range-bound)
 * - delivery rate = delivered / sent;  read rate = read / delivered  (null when the divisor is 0)
 *
 * RESPONSE TIMES (1:1 conversations only; groups are read-only)
 * - turn        = inbound message (not reaction/system) or STAFF message = outbound, automatic IS NULL, not a
 *                 reaction. Greeting, away and other automatic messages are not turns: they never stop the
 *                 clock. Turns are ordered by (timestamp, inbound before outbound, id), so the order in which
 *                 they were stored never matters.
 * - episode     = starts at an inbound turn whose previous turn is a staff message, or that has no previous
 *                 turn (the first inbound ever). Equivalently: a maximal run of inbound turns (a "burst").
 *                 Counted when its start ∈ range; its answer may come after `to`.
 * - first response time (episode) = first staff message after the start − episode start
 * - reply time (burst)            = first staff message after the burst − last inbound message of the burst
 * - unanswered  = episodes started in range with no staff message after them (yet)
 * - business-hours variant: the same intervals counting only open time, each instant judged under the hours
 *   version in force at that instant (before the first version there are no hours: counted as open)
 * - distribution: count, mean = Σ/n, median = middle value (mean of the two middle values when n is even),
 *   p90 = nearest rank: the ⌈0.9·n⌉-th smallest value. All null when n = 0.
 * - staffId keeps the episodes the staff member answered; labelId those of labelled conversations.
 *
 * VOLUME (business timezone: the timezone of the hours version in force at `from`, else the given fallback)
 * - per day       = sent and received per local calendar date (every date of the range, zeros included)
 * - hour-of-week  = volume = sent + received per (local weekday Mon..Sun × local hour 0..23): index
 *                   weekday·24 + hour, 168 cells, summed over the range
 * - busiest hours = the 5 hour-of-week cells with the most volume (ties: earlier in the week first), volume > 0
 * - per label / per staff = the counts above (and response times) restricted to that label / staff member;
 *   outbound messages without a sender_staff_id (automatic, API) are grouped under staffId null
 *
 * DRILL-DOWN: drillDown(filter, figure) returns the message ids (conversation ids for "unread") behind a
 * figure, with the same predicates as the figure itself.
 */

export interface StatsFilter {
  /** Inclusive start instant (ms). */
  from: number;
  /** Exclusive end instant (ms). */
  to: number;
  labelId?: number | null;
  staffId?: string | null;
}

export interface Distribution {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface Episode {
  conversationId: number;
  /** First inbound message of the episode (burst). */
  startMessageId: number;
  startAt: number;
  lastInboundAt: number;
  /** First staff message after it; null while unanswered. */
  responseMessageId: number | null;
  responseAt: number | null;
  staffId: string | null;
  firstResponseMs: number | null;
  replyMs: number | null;
  firstResponseOpenMs: number | null;
  replyOpenMs: number | null;
}

export interface ResponseFigures {
  episodes: number;
  answered: number;
  unanswered: number;
  firstResponse: Distribution;
  replyTime: Distribution;
  firstResponseBusinessHours: Distribution;
  replyTimeBusinessHours: Distribution;
}

export interface OutboundCounts {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface Statistics {
  from: number;
  to: number;
  timezone: string;
  counts: OutboundCounts & { received: number; unreadConversations: number };
  rates: { delivery: number | null; read: number | null };
  failedByCode: Array<{ code: number | null; count: number }>;
  responses: ResponseFigures;
  perDay: Array<{ date: string; sent: number; received: number }>;
  /** 168 cells, index = weekday (0 = Monday) · 24 + local hour. */
  hourOfWeek: number[];
  busiestHours: Array<{ hourOfWeek: number; weekday: number; hour: number; volume: number }>;
  perLabel: Array<{ labelId: number; name: string } & OutboundCounts & { received: number; responses: ResponseFigures }>;
  perStaff: Array<{ staffId: string | null; name: string | null } & OutboundCounts & { responses: ResponseFigures }>;
  /** Only with { episodes: true }: the episodes behind the response figures. */
  episodes?: Episode[];
}

export type Figure =
  | { metric: OutboundClass; errorCode?: number | null; date?: string; hourOfWeek?: number }
  | { metric: 'received'; date?: string; hourOfWeek?: number }
  | { metric: 'unread' }
  | { metric: 'episodes' | 'answered' | 'unanswered' };

export interface StatsContext {
  repo: StatsRepository;
  hoursVersions: () => readonly HoursVersion[];
  /** Used when no hours version is in force at `from`. */
  fallbackTimezone: string;
}

const hourMs = 3_600_000;
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

// ---------------------------------------------------------------------------------------------------------
// Distributions.

export function distribution(values: readonly number[]): Distribution {
  const n = values.length;
  if (n === 0) return { count: 0, mean: null, median: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { count: n, mean: sum / n, median, p90: sorted[Math.ceil(0.9 * n) - 1]! };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

// ---------------------------------------------------------------------------------------------------------
// Business timezone: local hour buckets.

interface LocalHour {
  date: string;
  weekday: number;
  hour: number;
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();
const localHourMemo = new Map<string, LocalHour>();

function localHourOf(t: number, timezone: string): LocalHour {
  const key = `${timezone}|${t}`;
  const memo = localHourMemo.get(key);
  if (memo) return memo;
  let f = hourFormatters.get(timezone);
  if (!f) hourFormatters.set(timezone, (f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', weekday: 'short', hour: 'numeric' })));
  let weekday = 0;
  let hour = 0;
  for (const part of f.formatToParts(t)) {
    if (part.type === 'weekday') weekday = weekdays.indexOf(part.value);
    else if (part.type === 'hour') hour = Number(part.value);
  }
  const value = { date: localDateOf(t, timezone), weekday, hour };
  if (localHourMemo.size > 50_000) localHourMemo.clear();
  localHourMemo.set(key, value);
  return value;
}

/** Local midnight starting the local day of t: every local hour of the range is anchor + k hours. */
function anchorOf(t: number, timezone: string): number {
  return instantOfLocal(`${localDateOf(t, timezone)}T00:00`, timezone);
}

export function businessTimezone(versions: readonly HoursVersion[], at: number, fallback: string): string {
  let zone: string | null = null;
  for (const v of versions) if (v.effectiveFrom <= at) zone = v.hours.timezone;
  return zone ?? versions[0]?.hours.timezone ?? fallback;
}

// ---------------------------------------------------------------------------------------------------------
// Business hours: open time between two instants, under the version in force at each instant.

export interface OpenClock {
  /** Open ms within [a, b). */
  openMs(a: number, b: number): number;
}

export function openClock(versions: readonly HoursVersion[], from: number, to: number): OpenClock {
  if (versions.length === 0) return { openMs: (a, b) => Math.max(0, b - a) };
  const starts: number[] = [];
  const ends: number[] = [];
  let t = from;
  while (t < to) {
    const start = nextOpen(versions, t);
    if (start === null || start >= to) break;
    const state = hoursStateAt(versions, start, 'UTC');
    const end = Math.min(state.open ? (state.nextChange ?? to) : start + 60_000, to);
    starts.push(start);
    ends.push(end);
    t = Math.max(end, start + 1);
  }
  // cumulative[i] = open ms in spans before i.
  const cumulative = [0];
  for (let i = 0; i < starts.length; i++) cumulative.push(cumulative[i]! + (ends[i]! - starts[i]!));
  const before = (x: number) => {
    // Open ms in [from, x).
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    return cumulative[lo - 1]! + Math.min(x, ends[lo - 1]!) - starts[lo - 1]!;
  };
  return { openMs: (a, b) => (b <= a ? 0 : before(Math.min(b, to)) - before(Math.max(a, from))) };
}

// ---------------------------------------------------------------------------------------------------------
// Episodes.

function params(filter: StatsFilter): RangeParams {
  return { from: filter.from, to: filter.to, label: filter.labelId ?? null, staff: filter.staffId ?? null };
}

/** Episodes started in [from, to), with their first staff answer (which may come after `to`). */
export function episodesOf(ctx: StatsContext, filter: StatsFilter): Episode[] {
  const { repo } = ctx;
  const p = params(filter);
  const episodes: Episode[] = [];
  let open: Episode | null = null;
  let conversation = -1;
  const close = (e: Episode, response: { ts: number; id: number; staff: string | null } | undefined, lastInboundAt: number) => {
    e.lastInboundAt = lastInboundAt;
    if (response) {
      e.responseAt = response.ts;
      e.responseMessageId = response.id;
      e.staffId = response.staff;
      e.firstResponseMs = response.ts - e.startAt;
      e.replyMs = response.ts - lastInboundAt;
    }
    episodes.push(e);
  };
  for (const r of repo.turnBoundaries(p)) {
    if (r.c !== conversation) {
      conversation = r.c;
      open = null;
    }
    const starts = r.pd === 'out' || (r.pd === null && repo.previousTurn(r.c, filter.from)?.d !== 'in');
    if (starts) {
      open = { conversationId: r.c, startMessageId: r.id, startAt: r.ts, lastInboundAt: r.ts, responseMessageId: null, responseAt: null, staffId: null, firstResponseMs: null, replyMs: null, firstResponseOpenMs: null, replyOpenMs: null };
    }
    if (r.nd === 'out' || r.nd === null) {
      if (!open) continue;
      if (r.nd === 'out') close(open, { ts: r.nts!, id: r.nid!, staff: r.nstaff }, r.ts);
      else {
        // The burst reaches the end of the range: its answer (and maybe more of it) lies after `to`.
        const response = repo.nextStaffTurn(r.c, filter.to);
        close(open, response, response ? (repo.lastInboundUpTo(r.c, response.ts) ?? r.ts) : (repo.lastInboundUpTo(r.c, Number.MAX_SAFE_INTEGER) ?? r.ts));
      }
      open = null;
    }
  }
  const staff = filter.staffId ?? null;
  const kept = staff === null ? episodes : episodes.filter((e) => e.staffId === staff);
  const answered = kept.filter((e) => e.responseAt !== null);
  if (answered.length > 0) {
    let last = filter.from;
    for (const e of answered) if (e.responseAt! > last) last = e.responseAt!;
    const clock = openClock(ctx.hoursVersions(), Math.min(filter.from, ...(answered.length > 0 ? [answered[0]!.startAt] : [])), last + 1);
    for (const e of answered) {
      e.firstResponseOpenMs = clock.openMs(e.startAt, e.responseAt!);
      e.replyOpenMs = clock.openMs(e.lastInboundAt, e.responseAt!);
    }
  }
  return kept.sort((a, b) => a.startAt - b.startAt || a.conversationId - b.conversationId);
}

export function responseFigures(episodes: readonly Episode[]): ResponseFigures {
  const answered = episodes.filter((e) => e.responseAt !== null);
  return {
    episodes: episodes.length,
    answered: answered.length,
    unanswered: episodes.length - answered.length,
    firstResponse: distribution(answered.map((e) => e.firstResponseMs!)),
    replyTime: distribution(answered.map((e) => e.replyMs!)),
    firstResponseBusinessHours: distribution(answered.map((e) => e.firstResponseOpenMs!)),
    replyTimeBusinessHours: distribution(answered.map((e) => e.replyOpenMs!)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// All statistics for a filter.

export function computeStatistics(ctx: StatsContext, filter: StatsFilter, options: { episodes?: boolean } = {}): Statistics {
  const { repo } = ctx;
  const versions = ctx.hoursVersions();
  const timezone = businessTimezone(versions, filter.from, ctx.fallbackTimezone);
  const p = params(filter);
  const anchor = anchorOf(filter.from, timezone);

  // Volume buckets: every local hour of the range, then per date and per hour-of-week.
  const perDay = new Map<string, { date: string; sent: number; received: number }>();
  const hourOfWeek = new Array<number>(168).fill(0);
  const totals: OutboundCounts = { sent: 0, delivered: 0, read: 0, failed: 0 };
  for (let t = anchor; t < filter.to; t += hourMs) {
    const { date } = localHourOf(t, timezone);
    if (t + hourMs > filter.from && !perDay.has(date)) perDay.set(date, { date, sent: 0, received: 0 });
  }
  const bucketAt = (bucket: number) => localHourOf(anchor + bucket * hourMs, timezone);
  for (const b of repo.outboundByHour(p, anchor)) {
    const local = bucketAt(b.bucket);
    perDay.get(local.date)!.sent += b.sent;
    hourOfWeek[local.weekday * 24 + local.hour]! += b.sent;
    totals.sent += b.sent;
    totals.delivered += b.delivered;
    totals.read += b.read;
    totals.failed += b.failed;
  }
  let received = 0;
  for (const b of repo.inboundByHour(p, anchor)) {
    const local = bucketAt(b.bucket);
    perDay.get(local.date)!.received += b.received;
    hourOfWeek[local.weekday * 24 + local.hour]! += b.received;
    received += b.received;
  }
  const busiestHours = hourOfWeek
    .map((volume, index) => ({ hourOfWeek: index, weekday: Math.floor(index / 24), hour: index % 24, volume }))
    .filter((h) => h.volume > 0)
    .sort((a, b) => b.volume - a.volume || a.hourOfWeek - b.hourOfWeek)
    .slice(0, 5);

  const episodes = episodesOf(ctx, filter);
  const labelNames = new Map(repo.labels().map((l) => [l.id, l.name]));
  const staffNames = new Map(repo.staff().map((s) => [s.id, s.name]));

  // Per label: counts from the label joins, response times from the episodes of its conversations.
  const inboundByLabel = new Map(repo.inboundByLabel(p).map((r) => [r.key, r.received]));
  const outboundByLabel = new Map(repo.outboundByLabel(p).map((r) => [Number(r.key), r]));
  const labelIds = filter.labelId !== undefined && filter.labelId !== null ? [filter.labelId] : [...labelNames.keys()];
    const perLabel = labelIds.map((labelId) => {
    const out = outboundByLabel.get(labelId);
    const members = new Set(repo.labelConversations(labelId));
    return {
      labelId,
      name: labelNames.get(labelId) ?? '',
      sent: out?.sent ?? 0,
      delivered: out?.delivered ?? 0,
      read: out?.read ?? 0,
      failed: out?.failed ?? 0,
      received: inboundByLabel.get(labelId) ?? 0,
      responses: responseFigures(episodes.filter((e) => members.has(e.conversationId))),
    };
  });

  // Per staff member: outbound counts by sender, response times of the episodes each one answered.
  const byStaff = new Map(repo.outboundByStaff(p).map((r) => [r.key as string | null, r]));
  const staffIds = new Set<string | null>([...byStaff.keys(), ...episodes.filter((e) => e.staffId !== null).map((e) => e.staffId)]);
  const perStaff = [...staffIds]
    .sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map((staffId) => {
      const out = byStaff.get(staffId);
      return {
        staffId,
        name: staffId === null ? null : (staffNames.get(staffId) ?? null),
        sent: out?.sent ?? 0,
        delivered: out?.delivered ?? 0,
        read: out?.read ?? 0,
        failed: out?.failed ?? 0,
        responses: responseFigures(staffId === null ? [] : episodes.filter((e) => e.staffId === staffId && e.responseAt !== null)),
      };
    });

  return {
    from: filter.from,
    to: filter.to,
    timezone,
    counts: { ...totals, received, unreadConversations: repo.unreadConversations(filter.labelId ?? null).length },
    rates: { delivery: ratio(totals.delivered, totals.sent), read: ratio(totals.read, totals.delivered) },
    failedByCode: repo.failedByCode(p),
    responses: responseFigures(episodes),
    perDay: [...perDay.values()],
    hourOfWeek,
    busiestHours,
    perLabel,
    perStaff,
    ...(options.episodes ? { episodes } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Drill-down: the ids behind a figure.

/** The instants of one local date (or one hour-of-week cell) within the range, as ranges to query. */
function narrow(ctx: StatsContext, filter: StatsFilter, figure: { date?: string; hourOfWeek?: number }): StatsFilter[] {
  if (figure.date === undefined && figure.hourOfWeek === undefined) return [filter];
  const timezone = businessTimezone(ctx.hoursVersions(), filter.from, ctx.fallbackTimezone);
  const ranges: StatsFilter[] = [];
  for (let t = anchorOf(filter.from, timezone); t < filter.to; t += hourMs) {
    const local = localHourOf(t, timezone);
    if (figure.date !== undefined && local.date !== figure.date) continue;
    if (figure.hourOfWeek !== undefined && local.weekday * 24 + local.hour !== figure.hourOfWeek) continue;
    const from = Math.max(t, filter.from);
    const to = Math.min(t + hourMs, filter.to);
    const last = ranges.at(-1);
    if (last && last.to === from) last.to = to;
    else if (from < to) ranges.push({ ...filter, from, to });
  }
  return ranges;
}

/** Message ids (conversation ids for 'unread') behind a figure, oldest first. */
export function drillDown(ctx: StatsContext, filter: StatsFilter, figure: Figure): number[] {
  const { repo } = ctx;
  switch (figure.metric) {
    case 'unread':
      return repo.unreadConversations(filter.labelId ?? null);
    case 'received':
      return narrow(ctx, filter, figure).flatMap((f) => repo.inboundIds(params(f)));
    case 'episodes':
    case 'answered':
    case 'unanswered': {
      const episodes = episodesOf(ctx, filter).filter((e) => figure.metric === 'episodes' || (figure.metric === 'answered') === (e.responseAt !== null));
      return episodes.map((e) => e.startMessageId);
    }
    default:
      return narrow(ctx, filter, figure).flatMap((f) => repo.outboundIds(params(f), figure.metric, figure.metric === 'failed' ? figure.errorCode : undefined));
  }
}

export function createStats(ctx: StatsContext) {
  return {
    compute: (filter: StatsFilter, options?: { episodes?: boolean }) => computeStatistics(ctx, filter, options),
    drillDown: (filter: StatsFilter, figure: Figure) => drillDown(ctx, filter, figure),
    episodes: (filter: StatsFilter) => episodesOf(ctx, filter),
  };
}
