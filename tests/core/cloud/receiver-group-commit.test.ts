import { Agent } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Archive } from '../../../electron/core/archive';
import { createVirtualClock } from '../../../electron/core/clock';
import { createArchiveSink, createGroupCommitter, withFullSync } from '../../../electron/core/cloud/group-commit';
import { startWebhookReceiver } from '../../../electron/core/cloud/receiver';
import type { WebhookSink } from '../../../electron/core/cloud/receiver';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { createTestArchive } from '../../support/archive-helpers';
import { postWebhook, testAppSecret, testVerifyToken, textWebhook } from './receiver-support';

async function startReceiver(sink: WebhookSink) {
  const receiver = await startWebhookReceiver({ verifyToken: testVerifyToken, appSecret: () => testAppSecret, sink, clock: createVirtualClock(), logger: createMemoryLogger() });
  onTestFinished(() => receiver.close());
  return receiver;
}

/** The archive as the sink sees it, recording the connection's `synchronous` level at each append. */
function observed(archive: Archive, levels: number[]): Archive {
  const inbox = archive.webhookInbox;
  return {
    ...archive,
    webhookInbox: {
      ...inbox,
      appendMany(rows) {
        levels.push(archive.db.pragma('synchronous', { simple: true }) as number);
        return inbox.appendMany(rows);
      },
    },
  };
}

describe('group commit into the webhook inbox', () => {
  it('commits 50 concurrent POSTs in fewer transactions than requests, with synchronous=FULL, and stores them all', async () => {
    const { archive } = createTestArchive();
    expect(archive.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    const levels: number[] = [];
    const sink = createArchiveSink(observed(archive, levels));
    onTestFinished(() => sink.close());
    const receiver = await startReceiver(sink);
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    onTestFinished(() => agent.destroy());

    const bodies = Array.from({ length: 50 }, (_, i) => textWebhook(i));
    const results = await Promise.all(bodies.map((body) => postWebhook(receiver.url, body, undefined, agent)));
    expect(results.map((r) => r.status)).toEqual(bodies.map(() => 200));

    const stats = sink.stats();
    expect(stats.items).toBe(50);
    expect(stats.commits).toBeLessThan(50);
    expect(stats.largestBatch).toBeGreaterThan(1);
    expect(levels).toHaveLength(stats.commits);
    expect(levels.every((level) => level === 2)).toBe(true); // FULL inside every commit
    expect(archive.db.pragma('synchronous', { simple: true })).toBe(1); // and NORMAL again after

    const stored = archive.db.prepare<[], Buffer>('SELECT body FROM webhook_inbox').pluck().all();
    expect(new Set(stored.map((b) => b.toString('hex')))).toEqual(new Set(bodies.map((b) => b.toString('hex'))));
    expect(archive.webhookInbox.counts()).toMatchObject({ received: 50, pending: 50 });
  });

  it('rejects every waiter of a failed commit (→ 500) and stores none of that batch', async () => {
    const { archive } = createTestArchive();
    let failNext = true;
    const failing: Archive = {
      ...archive,
      webhookInbox: {
        ...archive.webhookInbox,
        appendMany(rows) {
          const ids = archive.webhookInbox.appendMany(rows);
          if (failNext) throw new Error('SQLITE_IOERR: simulated'); // after the rows were written: rolled back
          return ids;
        },
      },
    };
    const sink = createArchiveSink(failing, { maxDelayMs: 20 });
    onTestFinished(() => sink.close());
    const receiver = await startReceiver(sink);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => postWebhook(receiver.url, textWebhook(i))));
    expect(results.map((r) => r.status)).toEqual([500, 500, 500, 500, 500]);
    expect(archive.webhookInbox.counts().received).toBe(0);
    expect(archive.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(sink.stats().failedCommits).toBeGreaterThan(0);
    // Meta retries: the next attempt goes through.
    failNext = false;
    expect((await postWebhook(receiver.url, textWebhook(0))).status).toBe(200);
    expect(archive.webhookInbox.counts().received).toBe(1);
  });

  it('withFullSync restores the previous level even when the work throws', () => {
    const { archive } = createTestArchive();
    expect(() =>
      withFullSync(archive.db, () => {
        expect(archive.db.pragma('synchronous', { simple: true })).toBe(2);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(archive.db.pragma('synchronous', { simple: true })).toBe(1);
  });
});

describe('createGroupCommitter', () => {
  it('batches what arrives within the delay, caps batches at maxBatch, and serialises slow commits', async () => {
    const batches: number[][] = [];
    let inCommit = 0;
    let overlapped = false;
    const committer = createGroupCommitter<number>(
      async (items) => {
        if (inCommit++ > 0) overlapped = true;
        batches.push(items);
        await new Promise((r) => setTimeout(r, 5));
        inCommit--;
      },
      { maxDelayMs: 5, maxBatch: 4 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => committer.submit(i)));
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.every((b) => b.length <= 4)).toBe(true);
    expect(batches.length).toBeLessThan(10);
    expect(overlapped).toBe(false);
    expect(committer.stats()).toMatchObject({ items: 10, failedCommits: 0, largestBatch: 4 });
  });

  it('commits without waiting the delay once as many items wait as recent batches held; a lone item waits', async () => {
    const batches: number[][] = [];
    const committer = createGroupCommitter<number>((items) => void batches.push(items), { maxDelayMs: 10_000 });
    await Promise.all([committer.submit(1), committer.submit(2)]); // 2 expected at first: no 10 s wait
    let lone = false;
    const first = committer.submit(3).then(() => (lone = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(lone).toBe(false); // alone: waits for company
    await Promise.all([first, committer.submit(4)]);
    expect(batches).toEqual([[1, 2], [3, 4]]);

    const quick = createGroupCommitter<number>(() => undefined, { maxDelayMs: 20 });
    const t0 = performance.now();
    await quick.submit(1); // alone, but never longer than maxDelayMs
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('commits what waits on close, then refuses new items', async () => {
    const seen: number[] = [];
    const committer = createGroupCommitter<number>((items) => void seen.push(...items), { maxDelayMs: 10_000 });
    const pending = [committer.submit(1), committer.submit(2)];
    await committer.close();
    await Promise.all(pending);
    expect(seen).toEqual([1, 2]);
    await expect(committer.submit(3)).rejects.toThrow(/closed/);
  });
});
