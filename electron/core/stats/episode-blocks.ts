/**
 * The response-time episodes starting on one UTC day, packed into one blob (stats_episode_blocks, migration
 * 0006): the statistics read every episode of a 90-day range — 200,000 on a busy desk — and row by row that
 * alone costs more than the whole page may. A block is a struct of arrays, the 8-byte fields first so every
 * section is aligned (typed arrays in the platform's order: every desktop Frontdesk runs on is little-endian):
 *
 *   firstResponse Float64 × n   ms from the episode's start to its first staff answer; NaN while unanswered
 *   reply         Float64 × n   ms from the burst's last inbound message to that answer; NaN while unanswered
 *   startOffset   Uint32  × n   ms from the day's start (UTC midnight) to the episode's start
 *   conversation  Uint32  × n
 *   staff         Uint32  × n   the answering staff member's code in stats_staff_codes; 0 = none
 *
 * Episodes are in start order (start, conversation, first message), the order of the stats_episodes index.
 */

export const dayMs = 86_400_000;
const bytesPerEpisode = 8 + 8 + 4 + 4 + 4;

export interface BlockEpisode {
  startAt: number;
  conversation: number;
  /** Null while unanswered. */
  responseAt: number | null;
  lastInboundAt: number;
  staffCode: number;
}

export function encodeBlock(day: number, episodes: readonly BlockEpisode[]): Buffer {
  const n = episodes.length;
  const bytes = new ArrayBuffer(n * bytesPerEpisode);
  const firstResponse = new Float64Array(bytes, 0, n);
  const reply = new Float64Array(bytes, 8 * n, n);
  const startOffset = new Uint32Array(bytes, 16 * n, n);
  const conversation = new Uint32Array(bytes, 20 * n, n);
  const staff = new Uint32Array(bytes, 24 * n, n);
  episodes.forEach((e, i) => {
    firstResponse[i] = e.responseAt === null ? NaN : e.responseAt - e.startAt;
    reply[i] = e.responseAt === null ? NaN : e.responseAt - e.lastInboundAt;
    startOffset[i] = e.startAt - day * dayMs;
    conversation[i] = e.conversation;
    staff[i] = e.staffCode;
  });
  return Buffer.from(bytes);
}

/** Episodes as columns (index i is one episode), in start order. */
export interface EpisodeColumns {
  count: number;
  startAt: Float64Array;
  firstResponse: Float64Array;
  reply: Float64Array;
  conversation: Uint32Array;
  /** Staff code, 0 = unanswered (names: `staffIds`). */
  staff: Uint32Array;
  staffIds: ReadonlyMap<number, string>;
}

/** The episodes of some day blocks starting in [from, to), as columns. */
export function decodeBlocks(blocks: ReadonlyArray<{ day: number; data: Uint8Array }>, from: number, to: number, staffIds: ReadonlyMap<number, string>): EpisodeColumns {
  const parts = blocks.map(({ day, data }) => {
    const n = data.byteLength / bytesPerEpisode;
    // Copied once into an aligned buffer: a blob's bytes need not start on an 8-byte boundary.
    const bytes = new Uint8Array(data).buffer;
    const startOffset = new Uint32Array(bytes, 16 * n, n);
    // Only the first and last day reach outside the range; offsets are sorted, so it is one slice.
    const lo = lowerBound(startOffset, from - day * dayMs);
    const hi = lowerBound(startOffset, to - day * dayMs);
    return { day, bytes, n, lo, hi, startOffset };
  });
  const count = parts.reduce((sum, p) => sum + p.hi - p.lo, 0);
  const columns: EpisodeColumns = {
    count,
    startAt: new Float64Array(count),
    firstResponse: new Float64Array(count),
    reply: new Float64Array(count),
    conversation: new Uint32Array(count),
    staff: new Uint32Array(count),
    staffIds,
  };
  let at = 0;
  for (const { day, bytes, n, lo, hi, startOffset } of parts) {
    columns.firstResponse.set(new Float64Array(bytes, 0, n).subarray(lo, hi), at);
    columns.reply.set(new Float64Array(bytes, 8 * n, n).subarray(lo, hi), at);
    columns.conversation.set(new Uint32Array(bytes, 20 * n, n).subarray(lo, hi), at);
    columns.staff.set(new Uint32Array(bytes, 24 * n, n).subarray(lo, hi), at);
    const base = day * dayMs;
    for (let i = lo; i < hi; i++) columns.startAt[at + i - lo] = base + startOffset[i]!;
    at += hi - lo;
  }
  return columns;
}

/** First index whose value is ≥ x (x may be negative or past the day: then 0 or n). */
function lowerBound(values: Uint32Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
