/**
 * Webhook ingest (issue 4, item 8): signed POSTs over loopback from 10 keep-alive connections through the real
 * receiver and group commit (synchronous=FULL) into an encrypted archive — beside a bare baseline measured in
 * the same run: node:http + HMAC check + one single-row INSERT committed with synchronous=FULL per request.
 *
 * The load comes from a worker thread, so the client does not share the receiver's event loop. Latency is
 * measured by the client, from sending a request to reading its whole response. The run is bounded
 * (BENCH_WEBHOOK_REQUESTS, default 20,000, plus a warm-up) and stops by itself.
 */
import { randomBytes, timingSafeEqual, createHmac } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openArchive } from '../../../electron/core/archive/connection';
import { createWallClock } from '../../../electron/core/clock';
import { createArchiveSink, defaultGroupCommit } from '../../../electron/core/cloud/group-commit';
import { startWebhookReceiver } from '../../../electron/core/cloud/receiver';
import { parseSignature, signBody } from '../../../electron/core/cloud/signature';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { loadWebhookFixtures, metaEncode, textWebhook } from '../../core/cloud/receiver-support';
import { row } from '../harness';
import type { BenchRow, Measurement, Suite } from '../harness';

export const connections = 10;
/** The app secret the load generator signs with (also the relay bench's workspace secret). */
export const appSecret = 'bench-app-secret';

interface LoadResult {
  latencies: Float64Array;
  elapsedMs: number;
  failures: number;
}

/** Plain JS (eval'd in a worker): `connections` loops of keep-alive POSTs until `total` have been sent. */
const loadGenerator = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, total, connections, bodies, signatures } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = new Float64Array(total);
let next = 0;
let failures = 0;
function post(i) {
  const body = Buffer.from(bodies[i % bodies.length]);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers: {
      'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Hub-Signature-256': signatures[i % bodies.length] } }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies[i] = performance.now() - t0;
        if (res.statusCode !== 200) failures++;
        resolve();
      });
    });
    req.on('error', () => { failures++; latencies[i] = performance.now() - t0; resolve(); });
    req.end(body);
  });
}
async function loop() { while (next < total) await post(next++); }
const started = performance.now();
Promise.all(Array.from({ length: connections }, loop)).then(() => {
  const elapsedMs = performance.now() - started;
  agent.destroy();
  parentPort.postMessage({ latencies, elapsedMs, failures });
});
`;

export function drive(url: string, total: number, bodies: Buffer[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(loadGenerator, {
      eval: true,
      workerData: { url, total, connections, bodies: bodies.map((b) => new Uint8Array(b)), signatures: bodies.map((b) => signBody(b, appSecret)) },
    });
    worker.once('message', (result: LoadResult) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', reject);
  });
}

export function summarise(name: string, result: LoadResult): Measurement {
  const sorted = Array.from(result.latencies).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return {
    name,
    unit: 'ms',
    iterations: sorted.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    rate: (sorted.length / result.elapsedMs) * 1000,
  };
}

/** Meta's real payloads (compact, `\uXXXX`-escaped as Meta sends them) when present, else text messages. */
export function bodies(): Buffer[] {
  const fixtures = loadWebhookFixtures();
  if (!fixtures) return Array.from({ length: 32 }, (_, i) => textWebhook(i));
  return fixtures.map((f) => metaEncode(JSON.parse(f.bytes.toString('utf8'))));
}

async function subjectRun(dir: string, total: number, warmup: number, payloads: Buffer[]) {
  const archive = openArchive({ path: join(dir, 'subject.db'), key: new Uint8Array(randomBytes(32)) });
  const sink = createArchiveSink(archive, {
    maxDelayMs: Number(process.env.BENCH_GROUP_COMMIT_DELAY_MS ?? defaultGroupCommit.maxDelayMs),
  });
  const receiver = await startWebhookReceiver({ verifyToken: 'bench', appSecret: () => appSecret, sink, clock: createWallClock(), logger: createMemoryLogger() });
  try {
    await drive(receiver.url, warmup, payloads);
    const before = sink.stats();
    const result = await drive(receiver.url, total, payloads);
    const after = sink.stats();
    const stored = archive.webhookInbox.counts().received;
    if (result.failures > 0 || stored !== warmup + total) throw new Error(`ingest: ${result.failures} failures, ${stored} of ${warmup + total} stored`);
    return { result, commits: after.commits - before.commits, largestBatch: after.largestBatch };
  } finally {
    await receiver.close();
    await sink.close();
    archive.close();
  }
}

/** The bare baseline: no receiver, no group commit — HMAC, then one autocommitted INSERT with FULL per request. */
export async function baselineRun(dir: string, total: number, warmup: number, payloads: Buffer[]) {
  const archive = openArchive({ path: join(dir, 'baseline.db'), key: new Uint8Array(randomBytes(32)) });
  archive.db.pragma('synchronous = FULL');
  const insert = archive.db.prepare<[number, Buffer]>("INSERT INTO webhook_inbox(received_at, source, body) VALUES (?, 'direct', ?)");
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const claimed = parseSignature(req.headers['x-hub-signature-256']);
      const actual = createHmac('sha256', appSecret).update(body).digest();
      if (!claimed || !timingSafeEqual(claimed, actual)) {
        res.writeHead(401).end();
        return;
      }
      insert.run(Date.now(), body);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  try {
    await drive(url, warmup, payloads);
    const result = await drive(url, total, payloads);
    const stored = archive.webhookInbox.counts().received;
    if (result.failures > 0 || stored !== warmup + total) throw new Error(`baseline: ${result.failures} failures, ${stored} of ${warmup + total} stored`);
    return { result };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    archive.close();
  }
}

/** What one fdatasync costs on the disk under test: both figures above are bound by it. */
export function fdatasyncMs(dir: string): number {
  const path = join(dir, 'fsync-probe');
  const fd = openSync(path, 'w');
  const page = Buffer.alloc(4096, 1);
  const samples: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      writeSync(fd, page);
      const t0 = performance.now();
      fdatasyncSync(fd);
      samples.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return samples.sort((a, b) => a - b)[100]!;
}

export const webhookIngest: Suite = {
  name: 'webhook-ingest',
  async run() {
    const total = Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 20_000);
    const warmup = Math.min(1000, Math.ceil(total / 10));
    const payloads = bodies();
    // BENCH_DIR puts the archives on the disk under test (the default temp folder may be a RAM disk elsewhere).
    const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'frontdesk-bench-ingest-'));
    try {
      const fsyncMs = fdatasyncMs(dir);
      const baseline = await baselineRun(dir, total, warmup, payloads);
      const subject = await subjectRun(dir, total, warmup, payloads);
      const s = summarise('receiver + group commit (FULL), encrypted', subject.result);
      const b = summarise('http + HMAC + INSERT per request (FULL)', baseline.result);
      const rows: BenchRow[] = [
        row('webhook-ingest', s, b, {
          target: '≥ 5000 req/s, p99 ≤ 50 ms',
          note:
            `${total} requests, ${connections} keep-alive connections, ${payloads.length} distinct bodies (mean ${Math.round(payloads.reduce((n, p) => n + p.length, 0) / payloads.length)} B); ` +
            `${subject.commits} commits (mean batch ${(total / subject.commits).toFixed(1)}, largest ${subject.largestBatch}); ` +
            `throughput ${(s.rate / b.rate).toFixed(2)}× the baseline's ${Math.round(b.rate)} req/s; ` +
            `fdatasync p50 ${fsyncMs.toFixed(2)} ms on this disk`,
        }),
      ];
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
