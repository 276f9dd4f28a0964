/**
 * The relay (issue 10):
 *
 * 1. Ingest: Meta's signed POSTs over loopback from 10 keep-alive connections (a worker thread) through the
 *    real relay — signature check, crypto_box_seal to the workspace key, group commit with synchronous=FULL to
 *    its SQLite event log — beside the webhook-ingest suite's bare baseline in the same run (node:http + HMAC +
 *    one INSERT committed with FULL per request). Target ≥ 5,000 req/s, p99 ≤ 50 ms.
 * 2. End to end: from the moment Meta's POST is sent to the moment a desk has committed it to its encrypted
 *    archive's inbox (long-poll, unseal, signature check again, FULL commit), at a steady rate of webhooks.
 *    Target p99 ≤ 250 ms. The baseline is the POST's own round trip (relay commit before 200) in the same run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../../electron/core/archive/connection';
import type { Archive } from '../../../electron/core/archive';
import { createWallClock } from '../../../electron/core/clock';
import { createRelayClient } from '../../../electron/core/cloud/relay-client';
import { startRelayInbound } from '../../../electron/core/cloud/relay-inbound';
import { writeRelayState } from '../../../electron/core/cloud/relay-state';
import { signBody } from '../../../electron/core/cloud/signature';
import { createLogger } from '../../../electron/core/logger';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { relayConfigSchema } from '../../../relay/src/config';
import { newDeskToken, newId, sha256 } from '../../../relay/src/credentials';
import { startRelayServer } from '../../../relay/src/server';
import { openStore } from '../../../relay/src/store/open-store';
import { textWebhook } from '../../core/cloud/receiver-support';
import { row } from '../harness';
import type { BenchRow, Measurement, Suite } from '../harness';
import { appSecret, baselineRun, bodies, connections, drive, fdatasyncMs, summarise } from './webhook-ingest';

const quiet = createLogger({ log: () => undefined });

async function startBenchRelay(dir: string) {
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'relay.db') });
  const config = relayConfigSchema.parse({
    listen: { host: '127.0.0.1', port: 0 },
    publicUrl: 'https://relay.example.test',
    storage: { kind: 'sqlite', path: 'relay.db' },
    limits: { failuresPerMinute: 1_000_000, pairingPerMinute: 1_000, deskRequestsPerSecond: 1_000_000 },
  });
  const server = await startRelayServer({ config, store, logger: quiet });
  const sodium = await loadSodium();
  const keys = sodium.crypto_box_keypair();
  const workspaceId = newId();
  const pairingCode = 'BENCHBENCHBENCH0';
  await store.addWorkspace({ id: workspaceId, name: 'Bench', verifyToken: 'bench', appSecret, pairingCodeHash: sha256(pairingCode), createdAt: Date.now() });
  const deskId = newId();
  const token = newDeskToken(deskId);
  const paired = await store.pairDesk({ codeHash: sha256(pairingCode), publicKey: keys.publicKey, desk: { id: deskId, name: 'Bench desk', tokenHash: sha256(token), pairedAt: Date.now() } });
  if (paired.kind !== 'paired') throw new Error(`bench pairing: ${paired.kind}`);
  return {
    store,
    server,
    sodium,
    keys,
    workspaceId,
    deskId,
    token,
    metaUrl: `${server.url}/meta/${workspaceId}`,
    async close() {
      await server.close();
      await store.close();
    },
  };
}

async function ingest(dir: string, total: number, warmup: number, payloads: Buffer[]) {
  const relay = await startBenchRelay(dir);
  try {
    await drive(relay.metaUrl, warmup, payloads);
    const before = relay.server.commitStats();
    const result = await drive(relay.metaUrl, total, payloads);
    const after = relay.server.commitStats();
    const stored = (await relay.store.eventStats()).events;
    if (result.failures > 0 || stored !== warmup + total) throw new Error(`relay ingest: ${result.failures} failures, ${stored} of ${warmup + total} stored`);
    return { result, commits: after.commits - before.commits };
  } finally {
    await relay.close();
  }
}

/** Posts `total` webhooks at `perSecond` and measures each until the desk's inbox commit that holds it. */
async function endToEnd(dir: string, total: number, perSecond: number) {
  const relay = await startBenchRelay(dir);
  const archive: Archive = openArchive({ path: join(dir, 'desk.db'), key: new Uint8Array(randomBytes(32)) });
  writeRelayState(archive, { url: relay.server.url, workspaceId: relay.workspaceId, deskId: relay.deskId, deskName: 'Bench desk', primary: true, cursor: 0, pairedAt: Date.now() }, relay.token);
  const sentAt = new Map<string, number>();
  const committed: number[] = [];
  const roundTrips: number[] = [];
  let lastRow = 0;
  const rowsAfter = archive.db.prepare<[number], { id: number; body: Buffer }>("SELECT id, body FROM webhook_inbox WHERE id > ? AND source = 'relay' ORDER BY id");
  let done!: () => void;
  const allIn = new Promise<void>((resolve) => (done = resolve));
  const desk = startRelayInbound({
    archive,
    client: createRelayClient({ baseUrl: relay.server.url, token: () => relay.token }),
    sodium: relay.sodium,
    keys: { publicKey: relay.keys.publicKey, secretKey: relay.keys.privateKey },
    clock: createWallClock(),
    logger: quiet,
    appSecret: () => appSecret,
    onCommitted: () => {
      const at = performance.now();
      for (const r of rowsAfter.all(lastRow)) {
        lastRow = r.id;
        const id = /"id":"(wamid\.[^"]+)"/.exec(r.body.toString('utf8'))?.[1];
        const t0 = id ? sentAt.get(id) : undefined;
        if (t0 !== undefined) committed.push(at - t0);
      }
      if (committed.length >= total) done();
    },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post = (body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = request(relay.metaUrl, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Hub-Signature-256': signBody(body, appSecret) } }, (res) => {
        res.resume();
        res.on('end', () => {
          roundTrips.push(performance.now() - t0);
          if (res.statusCode === 200) resolve();
          else reject(new Error(`relay answered ${res.statusCode}`));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    const started = performance.now();
    const posts: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      // Paced on the wall clock: request i leaves at i / perSecond seconds.
      const due = started + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const body = textWebhook(i);
      const id = /"id":"(wamid\.[^"]+)"/.exec(body.toString('utf8'))![1]!;
      sentAt.set(id, performance.now());
      posts.push(post(body));
    }
    await Promise.all(posts);
    await Promise.race([allIn, new Promise((_, reject) => setTimeout(() => reject(new Error(`end to end: ${committed.length} of ${total} reached the desk`)), 30_000))]);
    const elapsedMs = performance.now() - started;
    return { committed, roundTrips, elapsedMs };
  } finally {
    agent.destroy();
    await desk.stop();
    archive.close();
    await relay.close();
  }
}

function measurement(name: string, samples: number[], elapsedMs: number): Measurement {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { name, unit: 'ms', iterations: sorted.length, p50: at(50), p95: at(95), p99: at(99), mean: sorted.reduce((s, x) => s + x, 0) / sorted.length, rate: (sorted.length / elapsedMs) * 1000 };
}

export const relay: Suite = {
  name: 'relay',
  async run() {
    const total = Number(process.env.BENCH_RELAY_REQUESTS ?? 20_000);
    const warmup = Math.min(1000, Math.ceil(total / 10));
    const e2eTotal = Number(process.env.BENCH_RELAY_E2E_REQUESTS ?? 3_000);
    const e2eRate = Number(process.env.BENCH_RELAY_E2E_RATE ?? 200);
    const payloads = bodies();
    const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'frontdesk-bench-relay-'));
    try {
      const fsyncMs = fdatasyncMs(dir);
      const baseline = await baselineRun(dir, total, warmup, payloads);
      const subject = await ingest(dir, total, warmup, payloads);
      const s = summarise('relay: HMAC + seal + group commit (FULL)', subject.result);
      const b = summarise('http + HMAC + INSERT per request (FULL)', baseline.result);
      const e2e = await endToEnd(dir, e2eTotal, e2eRate);
      const e = measurement('Meta POST → desk inbox commit', e2e.committed, e2e.elapsedMs);
      const rt = measurement('Meta POST → relay 200', e2e.roundTrips, e2e.elapsedMs);
      const rows: BenchRow[] = [
        row('relay', s, b, {
          target: '≥ 5000 req/s, p99 ≤ 50 ms',
          note:
            `${total} requests, ${connections} keep-alive connections, ${payloads.length} distinct bodies; ${subject.commits} commits (mean batch ${(total / subject.commits).toFixed(1)}); ` +
            `throughput ${(s.rate / b.rate).toFixed(2)}× the baseline's ${Math.round(b.rate)} req/s; fdatasync p50 ${fsyncMs.toFixed(2)} ms`,
        }),
        row('relay', e, rt, {
          target: 'p99 ≤ 250 ms',
          note: `${e2eTotal} webhooks at ${e2eRate}/s; one desk long-polling, unsealing, re-checking signatures and committing with FULL, in the relay's process`,
        }),
      ];
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
