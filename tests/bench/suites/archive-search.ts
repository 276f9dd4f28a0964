/**
 * The archive at scale: the same generated traffic written into an encrypted archive (SQLCipher 4) and,
 * in the same run, into an unencrypted one through the same code; insert rate and first-page latencies
 * (search for an English word, an English prefix and a Chinese word; the inbox list; a chat's history)
 * at each size, encrypted beside unencrypted.
 *
 * Sizes: BENCH_SIZES=100000,1000000 (the default). Both archives grow to the largest size, measured at
 * each step on the way; a 1M run takes a few minutes on two cores.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../../electron/core/archive/connection';
import type { Archive } from '../../../electron/core/archive/connection';
import { createFiller } from '../../support/seed-archive';
import type { ArchiveFiller } from '../../support/seed-archive';
import { measure, row } from '../harness';
import type { BenchRow, Measurement, Suite } from '../harness';

const suiteName = 'archive-search';

function sizes(): number[] {
  const raw = process.env.BENCH_SIZES ?? '100000,1000000';
  const parsed = raw.split(',').map((s) => Number(s.trim().replaceAll('_', ''))).filter((n) => Number.isInteger(n) && n > 0);
  if (parsed.length === 0) throw new Error(`BENCH_SIZES must list positive integers, got "${raw}"`);
  return [...new Set(parsed)].sort((a, b) => a - b);
}

function label(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Per-message insert cost from per-batch timings; `rate` is messages per second over the whole fill. */
function insertMeasurement(name: string, batches: Array<{ n: number; ms: number }>): Measurement {
  const perMessage = batches.map((b) => b.ms / b.n).sort((a, b) => a - b);
  const messages = batches.reduce((s, b) => s + b.n, 0);
  const totalMs = batches.reduce((s, b) => s + b.ms, 0);
  return {
    name,
    unit: 'ms/message',
    iterations: messages,
    p50: percentile(perMessage, 50),
    p95: percentile(perMessage, 95),
    p99: percentile(perMessage, 99),
    mean: totalMs / messages,
    rate: (messages / totalMs) * 1000,
  };
}

interface Side {
  name: 'encrypted' | 'unencrypted';
  dir: string;
  archive: Archive;
  filler: ArchiveFiller;
  batches: Array<{ n: number; ms: number }>;
}

function openSide(name: Side['name'], contacts: number, total: number): Side {
  const dir = mkdtempSync(join(tmpdir(), `frontdesk-bench-${name}-`));
  const key = name === 'encrypted' ? new Uint8Array(randomBytes(32)) : null;
  const archive = openArchive({ path: join(dir, 'archive.db'), key });
  // Same seed on both sides: byte-for-byte the same messages.
  const filler = createFiller(archive, { messages: total, contacts, seed: 20260105 });
  return { name, dir, archive, filler, batches: [] };
}

const queries = [
  { what: 'English word', text: 'appointment' },
  { what: 'English prefix', text: 'deliv' },
  { what: 'Chinese word', text: '订单' },
  { what: 'mixed + filter', text: 'order 已经', filter: { direction: 'in' as const } },
];

export const archiveSearch: Suite = {
  name: suiteName,
  async run() {
    const steps = sizes();
    const total = steps.at(-1)!;
    const contacts = Math.max(20, Math.ceil(total / 50));
    const sides = [openSide('encrypted', contacts, total), openSide('unencrypted', contacts, total)];
    const rows: BenchRow[] = [];
    try {
      for (const size of steps) {
        const at = label(size);
        for (const side of sides) {
          const stepBatches: Array<{ n: number; ms: number }> = [];
          const started = performance.now();
          side.filler.write(size - side.filler.messagesWritten, (n, ms) => stepBatches.push({ n, ms }));
          side.batches.push(...stepBatches);
          console.error(`  ${side.name}: ${label(side.filler.messagesWritten)} messages (${((performance.now() - started) / 1000).toFixed(1)} s)`);
        }
        const [enc, plain] = sides as [Side, Side];
        rows.push(
          row(suiteName, insertMeasurement(`insert, encrypted, up to ${at}`, enc.batches), insertMeasurement(`insert, unencrypted, up to ${at}`, plain.batches), {
            note: `${Math.round(insertMeasurement('', enc.batches).rate)} vs ${Math.round(insertMeasurement('', plain.batches).rate)} messages/s (rate column), each with FTS + conversation summary`,
          }),
        );

        for (const q of queries) {
          const run = (side: Side) => () => side.archive.search.searchMessages({ text: q.text, limit: 30, ...q.filter });
          const hits = run(enc)().items.length;
          const encrypted = await measure(`search ${q.what} "${q.text}" @${at}, encrypted`, run(enc), { iterations: 300, warmup: 30 });
          const baseline = await measure(`search ${q.what} "${q.text}" @${at}, unencrypted`, run(plain), { iterations: 300, warmup: 30 });
          rows.push(row(suiteName, encrypted, baseline, { target: 'p95 ≤ 10 ms at 1M', note: `first page, ${hits} hits (30 max), snippets included` }));
        }

        const busiest = enc.filler.conversationIds[0]!;
        const list = (side: Side) => () => side.archive.conversations.page({ limit: 50 });
        rows.push(
          row(suiteName, await measure(`inbox first page @${at}, encrypted`, list(enc), { iterations: 300, warmup: 30 }), await measure(`inbox first page @${at}, unencrypted`, list(plain), { iterations: 300, warmup: 30 }), {
            note: `50 of ${contacts} conversations, pinned first`,
          }),
        );
        const history = (side: Side) => () => side.archive.messages.pageOfConversation(busiest, { limit: 50 });
        rows.push(
          row(suiteName, await measure(`chat history page @${at}, encrypted`, history(enc), { iterations: 300, warmup: 30 }), await measure(`chat history page @${at}, unencrypted`, history(plain), { iterations: 300, warmup: 30 }), {
            note: 'newest 50 messages of the busiest conversation',
          }),
        );
      }
      for (const side of sides) {
        side.archive.checkpoint();
        console.error(`  ${side.name}: file ${(statSync(join(side.dir, 'archive.db')).size / 2 ** 20).toFixed(0)} MiB at ${label(total)} messages`);
      }
    } finally {
      for (const side of sides) {
        side.archive.close();
        rmSync(side.dir, { recursive: true, force: true });
      }
    }
    return rows;
  },
};
