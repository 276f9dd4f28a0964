import { hoursStateAt, nextOpen, offsetAt } from '../automation/hours';
import type { HoursVersion } from '../automation/hours';
import { slotMs } from './stats-repository';
import type { Counts, EpisodeColumns, OutboundClass, RangeParams, StatsRepository } from './stats-repository';

/**
 * Statistics (PRODUCT §10): every metric is defined here, once, with its formula; the SQL predicates it
 * names live in stats-repository.ts (outboundWhere, inboundWhere, turnWhere). All figures are computed from
 * the local archive. Times are ms since the epoch; a range is [from, to) (instants, normally local midnights
 * of the business timezone, so always on a quarter hour, which the aggregates require); "in range" means the
 * message's own `timestamp` (Meta's time) is in it. The counts are read from aggregates triggers keep per
 * quarter hour, label and sender, the response times from episodes rebuilt for the conversations that changed
 * (migration 0006), so a 90-day view never counts the messages one by one.
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
  /** A staff member's id; null = the messages no staff member sent (automatic replies, the API); absent = everyone. */
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
const dayMs = 86_400_000;

// ---------------------------------------------------------------------------------------------------------
// Distributions.

/** Moves the k-th smallest value of a[lo..hi] to a[k], smaller ones before it, larger after (quickselect). */
function select(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

export function distribution(values: ArrayLike<number>): Distribution {
  return distributionInPlace(Float64Array.from(values));
}

/** The same, reordering `a` (the statistics build a fresh array for each distribution). */
function distributionInPlace(a: Float64Array): Distribution {
  const n = a.length;
  if (n === 0) return { count: 0, mean: null, median: null, p90: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]!;
  const p90 = select(a, Math.ceil(0.9 * n) - 1);
  const upper = select(a, n >> 1, 0, Math.ceil(0.9 * n) - 1);
  let median = upper;
  if (n % 2 === 0) {
    // The lower middle value is the largest of those before the upper one.
    let lower = -Infinity;
    for (let i = 0; i < n >> 1; i++) if (a[i]! > lower) lower = a[i]!;
    median = (lower + upper) / 2;
  }
  return { count: n, mean: sum / n, median, p90 };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

// ---------------------------------------------------------------------------------------------------------
// Business timezone: the local wall clock of each quarter-hour slot.

export function businessTimezone(versions: readonly HoursVersion[], at: number, fallback: string): string {
  let zone: string | null = null;
  for (const v of versions) if (v.effectiveFrom <= at) zone = v.hours.timezone;
  return zone ?? versions[0]?.hours.timezone ?? fallback;
}

interface LocalSlot {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** 0 = Monday. */
  weekday: number;
  hour: number;
}

/**
 * The local wall clock of every slot in [from, to). Offsets change at most once a day and always on a quarter
 * hour, so the zone is read once a day and a change is found by bisection: a few hundred Intl calls for 90 days.
 */
function localSlots(from: number, to: number, timezone: string): (t: number) => LocalSlot {
  const changes: Array<{ at: number; offset: number }> = [{ at: from, offset: offsetAt(from, timezone) }];
  for (let t = from; t < to; t += dayMs) {
    const end = Math.min(t + dayMs, to);
    let offset = changes.at(-1)!.offset;
    if (offsetAt(end, timezone) === offset) continue;
    let lo = t;
    let hi = end;
    while (hi - lo > slotMs) {
      const mid = lo + Math.floor((hi - lo) / 2 / slotMs) * slotMs;
      if (offsetAt(mid, timezone) === offset) lo = mid;
      else hi = mid;
    }
    offset = offsetAt(hi, timezone);
    changes.push({ at: hi, offset });
  }
  const dates = new Map<number, string>();
  let index = 0;
  return (t) => {
    // Callers walk forward; step back only if asked for an earlier slot.
    while (index > 0 && t < changes[index]!.at) index--;
    while (index + 1 < changes.length && t >= changes[index + 1]!.at) index++;
    const local = t + changes[index]!.offset;
    const day = Math.floor(local / dayMs);
    let date = dates.get(day);
    if (date === undefined) dates.set(day, (date = new Date(day * dayMs).toISOString().slice(0, 10)));
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    return { date, weekday: (((day + 3) % 7) + 7) % 7, hour: Math.floor((local - day * dayMs) / hourMs) };
  };
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
  // The repository reads '' as "no staff member" (the aggregates' staff_key) and null as "everyone".
  return { from: filter.from, to: filter.to, label: filter.labelId ?? null, staff: filter.staffId === undefined ? null : (filter.staffId ?? '') };
}

/** The episodes starting in a range as columns, with their durations (NaN while unanswered). */
interface EpisodeSet {
  columns: EpisodeColumns;
  firstResponseOpen: Float64Array;
  replyOpen: Float64Array;
  /** 1 where episode i passes the filter's label and staff member. */
  kept: Uint8Array;
}

function episodeSet(ctx: StatsContext, filter: StatsFilter): EpisodeSet {
  ctx.repo.refreshEpisodes();
  const columns = ctx.repo.episodes(params(filter));
  const { count, startAt, firstResponse, reply } = columns;
  const firstResponseOpen = new Float64Array(count).fill(NaN);
  const replyOpen = new Float64Array(count).fill(NaN);
  let last = filter.to;
  for (let i = 0; i < count; i++) if (startAt[i]! + firstResponse[i]! > last) last = startAt[i]! + firstResponse[i]!;
  const clock = openClock(ctx.hoursVersions(), filter.from, last + 1);
  for (let i = 0; i < count; i++) {
    if (Number.isNaN(firstResponse[i]!)) continue;
    const answeredAt = startAt[i]! + firstResponse[i]!;
    firstResponseOpen[i] = clock.openMs(startAt[i]!, answeredAt);
    replyOpen[i] = clock.openMs(answeredAt - reply[i]!, answeredAt);
  }
  let kept: Uint8Array = new Uint8Array(count).fill(1);
  if (filter.labelId !== undefined && filter.labelId !== null) kept = labelMask(ctx, columns, kept, filter.labelId);
  // Only staff answer episodes: "no staff member" keeps none.
  if (filter.staffId !== undefined) kept = staffMask(columns, kept, filter.staffId ?? '');
  return { columns, firstResponseOpen, replyOpen, kept };
}

/** `within`, narrowed to the episodes of conversations carrying the label. */
function labelMask(ctx: StatsContext, columns: EpisodeColumns, within: Uint8Array, labelId: number): Uint8Array {
  const members = ctx.repo.labelConversations(labelId);
  const member = new Uint8Array(members.reduce((max, c) => Math.max(max, c), 0) + 1);
  for (const c of members) member[c] = 1;
  const mask = new Uint8Array(columns.count);
  for (let i = 0; i < columns.count; i++) mask[i] = within[i]! & (member[columns.conversation[i]!] ?? 0);
  return mask;
}

/** `within`, narrowed to the episodes the staff member answered. */
function staffMask(columns: EpisodeColumns, within: Uint8Array, staffId: string): Uint8Array {
  let code = -1;
  for (const [c, id] of columns.staffIds) if (id === staffId) code = c;
  const mask = new Uint8Array(columns.count);
  for (let i = 0; i < columns.count; i++) mask[i] = within[i]! & (columns.staff[i] === code ? 1 : 0);
  return mask;
}

/** Response figures of the episodes a mask selects. */
function responseFiguresOf(set: EpisodeSet, mask: Uint8Array): ResponseFigures {
  const { count, firstResponse, reply } = set.columns;
  let episodes = 0;
  let answered = 0;
  for (let i = 0; i < count; i++) {
    if (mask[i] === 0) continue;
    episodes++;
    if (!Number.isNaN(firstResponse[i]!)) answered++;
  }
  const values = [new Float64Array(answered), new Float64Array(answered), new Float64Array(answered), new Float64Array(answered)] as const;
  for (let i = 0, j = 0; i < count; i++) {
    if (mask[i] === 0 || Number.isNaN(firstResponse[i]!)) continue;
    values[0][j] = firstResponse[i]!;
    values[1][j] = reply[i]!;
    values[2][j] = set.firstResponseOpen[i]!;
    values[3][j++] = set.replyOpen[i]!;
  }
  return {
    episodes,
    answered,
    unanswered: episodes - answered,
    firstResponse: distributionInPlace(values[0]),
    replyTime: distributionInPlace(values[1]),
    firstResponseBusinessHours: distributionInPlace(values[2]),
    replyTimeBusinessHours: distributionInPlace(values[3]),
  };
}

/** The kept episodes as objects with their message ids (the rows are in the columns' order). */
function episodeList(ctx: StatsContext, filter: StatsFilter, set: EpisodeSet): Episode[] {
  const rows = ctx.repo.episodeRows(params(filter));
  const none = (v: number) => (Number.isNaN(v) ? null : v);
  const list: Episode[] = [];
  rows.forEach((row, i) => {
    if (set.kept[i] === 0) return;
    list.push({
      conversationId: row.conversation,
      startMessageId: row.startMessageId,
      startAt: row.startAt,
      lastInboundAt: row.lastInboundAt,
      responseMessageId: row.responseMessageId,
      responseAt: row.responseAt,
      staffId: row.staffId,
      firstResponseMs: none(set.columns.firstResponse[i]!),
      replyMs: none(set.columns.reply[i]!),
      firstResponseOpenMs: none(set.firstResponseOpen[i]!),
      replyOpenMs: none(set.replyOpen[i]!),
    });
  });
  return list;
}

/** Episodes started in [from, to), with their first staff answer (which may come after `to`), in start order. */
export function episodesOf(ctx: StatsContext, filter: StatsFilter): Episode[] {
  return episodeList(ctx, filter, episodeSet(ctx, filter));
}

// ---------------------------------------------------------------------------------------------------------
// All statistics for a filter.

const outbound = (c: Partial<Counts> | undefined): OutboundCounts => ({ sent: c?.sent ?? 0, delivered: c?.delivered ?? 0, read: c?.read ?? 0, failed: c?.failed ?? 0 });

export function computeStatistics(ctx: StatsContext, filter: StatsFilter, options: { episodes?: boolean } = {}): Statistics {
  const { repo } = ctx;
  const versions = ctx.hoursVersions();
  const timezone = businessTimezone(versions, filter.from, ctx.fallbackTimezone);
  const p = params(filter);
  const localOf = localSlots(filter.from, filter.to, timezone);

  // Volume: every local date of the range (zeros included), then each slot into its date and hour-of-week.
  const perDay = new Map<string, { date: string; sent: number; received: number }>();
  for (let t = filter.from; t < filter.to; t += slotMs) {
    const { date } = localOf(t);
    if (!perDay.has(date)) perDay.set(date, { date, sent: 0, received: 0 });
  }
  const hourOfWeek = new Array<number>(168).fill(0);
  const totals: OutboundCounts = { sent: 0, delivered: 0, read: 0, failed: 0 };
  let received = 0;
  for (const c of repo.countsBySlot(p)) {
    const local = localOf(c.slot * slotMs);
    perDay.get(local.date)!.sent += c.sent;
    perDay.get(local.date)!.received += c.received;
    hourOfWeek[local.weekday * 24 + local.hour]! += c.sent + c.received;
    totals.sent += c.sent;
    totals.delivered += c.delivered;
    totals.read += c.read;
    totals.failed += c.failed;
    received += c.received;
  }
  const busiestHours = hourOfWeek
    .map((volume, index) => ({ hourOfWeek: index, weekday: Math.floor(index / 24), hour: index % 24, volume }))
    .filter((h) => h.volume > 0)
    .sort((a, b) => b.volume - a.volume || a.hourOfWeek - b.hourOfWeek)
    .slice(0, 5);

  const set = episodeSet(ctx, filter);
  const labelNames = new Map(repo.labels().map((l) => [l.id, l.name]));
  const staffNames = new Map(repo.staff().map((s) => [s.id, s.name]));

  // Per label: counts from the label's aggregates, response times from the episodes of its conversations.
  const byLabel = new Map(repo.countsByLabel(p).map((r) => [Number(r.key), r]));
  const labelIds = filter.labelId !== undefined && filter.labelId !== null ? [filter.labelId] : [...labelNames.keys()];
  const perLabel = labelIds.map((labelId) => ({
    labelId,
    name: labelNames.get(labelId) ?? '',
    ...outbound(byLabel.get(labelId)),
    received: byLabel.get(labelId)?.received ?? 0,
    responses: responseFiguresOf(set, labelMask(ctx, set.columns, set.kept, labelId)),
  }));

  // Per staff member: outbound counts by sender ('' = none), response times of the episodes each one answered.
  const bySender = new Map<string | null, Counts>();
  for (const r of repo.countsByStaff(p)) if (r.sent > 0) bySender.set(r.key === '' ? null : String(r.key), r);
  const answeredBy = new Set<string>();
  for (let i = 0; i < set.columns.count; i++) if (set.columns.staff[i] !== 0 && set.kept[i] === 1) answeredBy.add(set.columns.staffIds.get(set.columns.staff[i]!)!);
  const staffIds = new Set<string | null>([...bySender.keys(), ...answeredBy]);
  const perStaff = [...staffIds]
    .sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map((staffId) => ({
      staffId,
      name: staffId === null ? null : (staffNames.get(staffId) ?? null),
      ...outbound(bySender.get(staffId)),
      responses: responseFiguresOf(set, staffId === null ? new Uint8Array(set.columns.count) : staffMask(set.columns, set.kept, staffId)),
    }));

  return {
    from: filter.from,
    to: filter.to,
    timezone,
    counts: { ...totals, received, unreadConversations: repo.unreadConversations(filter.labelId ?? null).length },
    rates: { delivery: ratio(totals.delivered, totals.sent), read: ratio(totals.read, totals.delivered) },
    failedByCode: repo.failedByCode(p),
    responses: responseFiguresOf(set, set.kept),
    perDay: [...perDay.values()],
    hourOfWeek,
    busiestHours,
    perLabel,
    perStaff,
    ...(options.episodes ? { episodes: episodeList(ctx, filter, set) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Drill-down: the ids behind a figure.

/** The instants of one local date (or one hour-of-week cell) within the range, as ranges to query. */
function narrow(ctx: StatsContext, filter: StatsFilter, figure: { date?: string; hourOfWeek?: number }): StatsFilter[] {
  if (figure.date === undefined && figure.hourOfWeek === undefined) return [filter];
  const timezone = businessTimezone(ctx.hoursVersions(), filter.from, ctx.fallbackTimezone);
  const localOf = localSlots(filter.from, filter.to, timezone);
  const ranges: StatsFilter[] = [];
  for (let t = filter.from; t < filter.to; t += slotMs) {
    const local = localOf(t);
    if (figure.date !== undefined && local.date !== figure.date) continue;
    if (figure.hourOfWeek !== undefined && local.weekday * 24 + local.hour !== figure.hourOfWeek) continue;
    const last = ranges.at(-1);
    if (last && last.to === t) last.to = t + slotMs;
    else ranges.push({ ...filter, from: t, to: t + slotMs });
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
