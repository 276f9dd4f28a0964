import { createHash } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVirtualClock } from '../../../electron/core/clock';
import { startSandboxGraph } from '../../../electron/core/sandbox/graph-server';
import type { SandboxSentMessage } from '../../../electron/core/sandbox/graph-server';
import { startSimulatedCustomers } from '../../../electron/core/sandbox/webhooks/customers';
import type { SimulatedCustomers, SimulatedCustomersOptions } from '../../../electron/core/sandbox/webhooks/customers';
import type { SignedWebhook } from '../../../electron/core/sandbox/webhooks/payloads';
import { createWebhookPoster } from '../../../electron/core/sandbox/webhooks/poster';
import { appSecret, expectValid, expectValidSigned, startCapture, valueOf } from './webhooks-support';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '1234567890123456' };
const token = 'EAAsandbox-good-token';
const minute = 60_000;

async function start(seed = 11, extra: Partial<SimulatedCustomersOptions> = {}) {
  const clock = createVirtualClock();
  const posted: SignedWebhook[] = [];
  // The graph starts first; its onSent reaches the customers through this late-bound reference.
  const ref: { customers?: SimulatedCustomers } = {};
  const graph = await startSandboxGraph({ clock, seed, validToken: token, ...ids, onSent: (m: SandboxSentMessage) => ref.customers?.onSent(m) });
  const customers = startSimulatedCustomers({
    clock,
    seed,
    graph,
    post: (webhook) => posted.push(webhook),
    appSecret,
    phoneNumberId: ids.phoneNumberId,
    wabaId: ids.wabaId,
    displayPhoneNumber: graph.account.phone.display_phone_number,
    ...extra,
  });
  ref.customers = customers;
  onTestFinished(async () => {
    customers.stop();
    expect(graph.internalErrors).toEqual([]);
    await graph.close();
  });
  const sendText = async (to: { to?: string; recipient?: string }, body: string, clientId: string) => {
    const response = await fetch(`${graph.baseUrl}/v25.0/${ids.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...to, type: 'text', text: { body }, biz_opaque_callback_data: clientId }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: Array<{ id: string }> }).messages[0]!.id;
  };
  return { clock, graph, customers, posted, sendText };
}

type Status = { id: string; status: string; timestamp: string; biz_opaque_callback_data?: string; recipient_id?: string; recipient_user_id?: string; errors?: Array<{ code: number }> };
const statusesOf = (posted: SignedWebhook[]) => posted.flatMap((w) => (valueOf(w.bytes).statuses ?? []) as Status[]);
const messagesOf = (posted: SignedWebhook[]) => posted.flatMap((w) => valueOf(w.bytes).messages ?? []);

describe('simulated customers', () => {
  it('has twelve customers, English and Chinese, three with only a username and a BSUID', async () => {
    const { customers } = await start();
    expect(customers.customers).toHaveLength(12);
    expect(customers.customers.filter((c) => c.language === 'zh').length).toBeGreaterThanOrEqual(5);
    const usernameOnly = customers.customers.filter((c) => c.waId === undefined);
    expect(usernameOnly).toHaveLength(3);
    for (const c of usernameOnly) expect(c.username).toBeTruthy();
    for (const c of customers.customers) expect(c.userId).toMatch(/^[A-Z]{2}\.\d{19}$/);
    expect(new Set(customers.customers.map((c) => c.userId)).size).toBe(12);
  });

  it('on the clock, start chats and send texts, images and documents that pass the schemas, through a real HTTP receiver', async () => {
    const capture = await startCapture();
    const clock = createVirtualClock();
    const graph = await startSandboxGraph({ clock, seed: 3, validToken: token, ...ids });
    const poster = createWebhookPoster({ url: () => capture.url, appSecret, clock });
    const customers = startSimulatedCustomers({ clock, seed: 3, graph, post: poster.post, appSecret, phoneNumberId: ids.phoneNumberId, wabaId: ids.wabaId, displayPhoneNumber: '+1 555-010-0100' });
    onTestFinished(async () => {
      customers.stop();
      poster.stop();
      await graph.close();
    });
    for (let i = 0; i < 24; i++) {
      clock.advance(10 * minute);
      await poster.whenIdle();
    }
    expect(poster.stats()).toMatchObject({ pending: 0, dropped: 0 });
    expect(capture.posts.length).toBeGreaterThan(30);
    const types = new Map<string, number>();
    for (const post of capture.posts) {
      const changes = expectValid(post.bytes, post.headers['x-hub-signature-256']);
      expect([...post.bytes].every((b) => b < 0x80)).toBe(true);
      for (const change of changes) {
        if (change.field !== 'messages' || !change.known) throw new Error('not a messages change');
        expect(change.value.metadata).toEqual({ display_phone_number: '15550100100', phone_number_id: ids.phoneNumberId });
        for (const message of change.value.messages ?? []) {
          types.set(message.type, (types.get(message.type) ?? 0) + 1);
          const media = (message.type === 'image' ? message.image : message.type === 'document' ? message.document : undefined) as
            | { id: string; sha256?: string; mime_type?: string }
            | undefined;
          if (media) {
            // The sandbox Graph serves the media, and the webhook's sha256 (base64) is of those bytes.
            const stored = graph.media.get(media.id);
            expect(stored).toBeDefined();
            expect(media.sha256).toBe(createHash('sha256').update(stored!.bytes).digest('base64'));
            expect(media.mime_type).toBe(stored!.mimeType);
          }
        }
      }
    }
    expect(types.get('text')).toBeGreaterThan(10);
    expect((types.get('image') ?? 0) + (types.get('document') ?? 0)).toBeGreaterThan(0);
    expect(capture.posts.some((p) => /\\u[4-9][0-9a-f]{3}/.test(p.bytes.toString('latin1')))).toBe(true);
  });

  it('act() makes a given customer write now, opens their window in the sandbox, and Chinese text round-trips', async () => {
    const { customers, posted, graph, clock } = await start(5, { meanIntervalMs: 0 });
    const chen = customers.customers.find((c) => c.name === '陈美玲')!;
    expect(graph.isWindowOpen(chen.waId!)).toBe(false);
    const action = customers.act('text', chen.index);
    expect(action).toMatchObject({ kind: 'text', at: clock.now() });
    expect(graph.isWindowOpen(chen.waId!)).toBe(true);
    expect(graph.isWindowOpen(chen.userId)).toBe(true);
    expect(posted).toHaveLength(1);
    expectValidSigned(posted[0]!);
    const value = valueOf(posted[0]!.bytes);
    expect(value.contacts).toEqual([{ profile: { name: '陈美玲' }, wa_id: chen.waId, user_id: chen.userId }]);
    expect(value.messages![0]).toMatchObject({ from: chen.waId, from_user_id: chen.userId, id: action.wamid, type: 'text' });
    expect((value.messages![0]!.text as { body: string }).body).toMatch(/[\u4e00-\u9fff]/);
    // With nothing from the business yet, a reaction falls back to a text.
    expect(customers.act('reaction', chen.index).kind).toBe('text');
  });

  it('a username-only customer has no wa_id and no from; statuses to their BSUID have no recipient_id', async () => {
    const { customers, posted, clock, sendText } = await start(9, { meanIntervalMs: 0 });
    const zhang = customers.customers.find((c) => c.username === 'zhangwei88')!;
    expect(zhang.waId).toBeUndefined();
    customers.act('image', zhang.index);
    const inbound = valueOf(posted[0]!.bytes);
    expectValidSigned(posted[0]!);
    expect(inbound.contacts![0]).not.toHaveProperty('wa_id');
    expect(inbound.contacts![0]).toMatchObject({ user_id: zhang.userId, profile: { name: '张伟', username: 'zhangwei88' } });
    expect(inbound.messages![0]).not.toHaveProperty('from');
    expect(inbound.messages![0]).toMatchObject({ from_user_id: zhang.userId, type: 'image' });

    const wamid = await sendText({ recipient: zhang.userId }, '收到，谢谢！', 'client-z');
    clock.advance(60 * minute);
    const statuses = statusesOf(posted).filter((s) => s.id === wamid);
    expect(statuses.length).toBeGreaterThan(0);
    for (const s of statuses) {
      expect(s).not.toHaveProperty('recipient_id');
      expect(s).toMatchObject({ recipient_user_id: zhang.userId, biz_opaque_callback_data: 'client-z' });
    }
  });

  it('every business send gets statuses after it: sent → delivered → read in time, failed 131047 outside the window', async () => {
    const { customers, posted, clock, graph, sendText } = await start(21, { meanIntervalMs: 0 });
    const open = customers.customers.filter((c) => c.waId !== undefined).slice(0, 6);
    for (const c of open) customers.act('text', c.index);
    const closed = customers.customers.filter((c) => c.waId !== undefined).slice(6);
    const sends: Array<{ wamid: string; clientId: string; failed: boolean }> = [];
    for (let round = 0; round < 5; round++) {
      for (const c of open) {
        const clientId = `c-${c.index}-${round}`;
        sends.push({ wamid: await sendText({ to: `+${c.waId}` }, `Hello ${c.name}, round ${round}`, clientId), clientId, failed: false });
      }
      clock.advance(10_000);
    }
    for (const c of closed) {
      const clientId = `late-${c.index}`;
      sends.push({ wamid: await sendText({ to: `+${c.waId}` }, 'Are you still there?', clientId), clientId, failed: true });
    }
    expect(graph.sent.filter((m) => m.failure?.code === 131047)).toHaveLength(closed.length);
    // Statuses come later, on the clock: nothing yet for the sends of this instant.
    const late = new Set(sends.filter((s) => s.failed).map((s) => s.wamid));
    expect(statusesOf(posted).filter((s) => late.has(s.id))).toEqual([]);
    clock.advance(2 * 60 * minute);

    for (const webhook of posted) expectValidSigned(webhook);
    const statuses = statusesOf(posted);
    const rank: Record<string, number> = { sent: 0, delivered: 1, read: 2 };
    for (const send of sends) {
      const mine = statuses.filter((s) => s.id === send.wamid);
      const accepted = graph.sent.find((m) => m.wamid === send.wamid)!;
      expect(mine.length).toBeGreaterThan(0);
      for (const s of mine) {
        expect(s.biz_opaque_callback_data).toBe(send.clientId);
        expect(Number(s.timestamp) * 1000).toBeGreaterThanOrEqual(Math.floor(accepted.acceptedAt / 1000) * 1000);
      }
      if (send.failed) {
        expect(new Set(mine.map((s) => s.status))).toEqual(new Set(['failed']));
        expect(mine[0]!.errors?.[0]?.code).toBe(131047);
        continue;
      }
      expect(mine.some((s) => s.status === 'sent')).toBe(true);
      expect(mine.every((s) => s.status in rank)).toBe(true);
      // By their own timestamps, the statuses never go backwards.
      const byRank = [...mine].sort((a, b) => rank[a.status]! - rank[b.status]!);
      for (let i = 1; i < byRank.length; i++) expect(Number(byRank[i]!.timestamp)).toBeGreaterThanOrEqual(Number(byRank[i - 1]!.timestamp));
    }
    // Meta's delivery is at-least-once and unordered: some arrive twice, some `sent` after `delivered`.
    const keys = statuses.map((s) => `${s.id}/${s.status}`);
    expect(new Set(keys).size).toBeLessThan(keys.length);
    const reordered = sends.some(({ wamid }) => {
      const order = statuses.filter((s) => s.id === wamid).map((s) => s.status);
      return order.indexOf('delivered') !== -1 && order.indexOf('delivered') < order.indexOf('sent');
    });
    expect(reordered).toBe(true);
    expect(statuses.some((s) => s.status === 'read')).toBe(true);
    // Having read, some customers answered.
    expect(messagesOf(posted).length).toBeGreaterThan(open.length);
  });

  it('same seed → the same webhooks byte for byte; another seed → different ones', async () => {
    async function run(seed: number) {
      const { clock, posted, sendText, customers } = await start(seed);
      clock.advance(30 * minute);
      const first = customers.customers.find((c) => c.waId !== undefined)!;
      customers.act('text', first.index);
      await sendText({ to: first.waId! }, 'Thanks for writing!', 'c-1');
      clock.advance(90 * minute);
      return posted.map((w) => `${w.signature} ${w.bytes.toString('latin1')}`);
    }
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a.length).toBeGreaterThan(5);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('stop() ends all activity', async () => {
    const { customers, posted, clock } = await start(4);
    clock.advance(30 * minute);
    const count = posted.length;
    customers.stop();
    clock.advance(5 * 60 * minute);
    expect(posted).toHaveLength(count);
    expect(() => customers.act()).toThrow();
  });
});
