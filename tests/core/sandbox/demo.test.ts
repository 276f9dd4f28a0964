/**
 * The demo workspace is live: simulated customers write through signed webhooks into the workspace's own
 * receiver, and what the desk sends gets statuses back — the whole Cloud API line, with the sandbox as Meta.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVirtualClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import { call, fastArgon2, tempDir } from '../helpers';

async function openDemo() {
  const clock = createVirtualClock(Date.now());
  const ports = createNodePorts({ dataDir: tempDir(), transport: 'preview', appVersion: 'test', clock, logger: createMemoryLogger() });
  const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), demoSeed: 7, demoCustomerIntervalMs: 0 });
  onTestFinished(() => core.close());
  const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  ports.events.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
  await call(core, 'workspace:open-demo');
  return { core, clock, events };
}

describe('the demo workspace', () => {
  it('receives a simulated customer’s message as a live event, and the reply gets statuses back', async () => {
    const { core, clock, events } = await openDemo();
    const demo = core.services.demo()!;
    expect((await call<{ phone: unknown; hasAppSecret: boolean }>(core, 'connection:get')).hasAppSecret).toBe(true);

    demo.customers.act('text', 0);
    await expect.poll(() => events.find((e) => e.event === 'messages:received')).toBeTruthy();
    const { conversationId } = events.find((e) => e.event === 'messages:received')!.payload as { conversationId: number };

    const outbox = core.services.cloud()!.outbox;
    const messageId = outbox.queue({ conversationId, request: { type: 'text', text: { body: 'Thanks — 谢谢!' } }, senderStaffId: null });
    await expect.poll(() => demo.graph.sent.length).toBe(1);
    // Statuses come on the sandbox's clock: let a few simulated minutes pass.
    for (let i = 0; i < 20 && !events.some((e) => e.event === 'messages:status' && e.payload.messageId === messageId); i++) {
      clock.advance(30_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const statuses = events.filter((e) => e.event === 'messages:status' && e.payload.messageId === messageId).map((e) => e.payload.status);
    expect(statuses.length).toBeGreaterThan(0);
    // Meta's statuses may arrive out of order; the archive only ever moves forward (sent < delivered < read).
    for (const status of statuses) expect(['sent', 'delivered', 'read']).toContain(status);
  });
});

describe('media in the demo workspace', () => {
  it('downloads a customer’s picture into the encrypted media store as it arrives', async () => {
    const { core, events } = await openDemo();
    core.services.demo()!.customers.act('image', 2);
    await expect.poll(() => events.find((e) => e.event === 'messages:received' && e.payload.type === 'image')).toBeTruthy();
    const archive = core.services.workspaces.current()!.archive;
    const row = () => archive.db.prepare("SELECT state, size FROM media ORDER BY id DESC LIMIT 1").get() as { state: string; size: number } | undefined;
    await expect.poll(() => row()?.state).toBe('stored');
    expect(row()!.size).toBeGreaterThan(0);
  });
});
