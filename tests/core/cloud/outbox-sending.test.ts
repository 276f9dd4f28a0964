import { describe, expect, it } from 'vitest';
import { windowClosed } from '../../../electron/core/cloud/outbox';
import { chat, hour, run, startOutbox, template, text } from './outbox-support';

describe('outbox: queue and send', () => {
  it('stores the message and its outbox row before any network call, then sends it with its client id', async () => {
    const h = startOutbox({ latencyMs: 200 });
    const c = chat(h.archive, h.clock, '16505551234');
    const id = h.outbox.queue({ conversationId: c, request: text('+16505551234', 'Hello!'), senderStaffId: 'staff-a' });

    // Synchronously stored, nothing sent yet.
    const stored = h.archive.messages.get(id)!;
    expect(stored).toMatchObject({ direction: 'out', type: 'text', text: 'Hello!', status: 'pending', wamid: null, senderStaffId: 'staff-a' });
    expect(stored.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.archive.outbox.byClientId(stored.clientId!)).toMatchObject({ state: 'queued', messageId: id, conversationId: c });
    expect(h.sender.calls).toHaveLength(0);

    await run(h.clock, 1000);
    expect(h.sender.calls.map((call) => call.clientId)).toEqual([stored.clientId]);
    expect(h.sender.calls[0]!.request).toEqual(text('+16505551234', 'Hello!'));
    const sent = h.archive.messages.get(id)!;
    expect(sent.status).toBe('sent');
    expect(sent.wamid).toBe(h.sender.accepted.get(stored.clientId!)![0]);
    expect(h.archive.outbox.byClientId(stored.clientId!)!.state).toBe('sent');
    expect(h.statesOf(id)).toEqual(['queued', 'sending', 'sent']);
    expect(h.events[0]).toEqual({ messageId: id, conversationId: c, state: 'queued' });
  });

  it('keeps the order of one customer\'s messages, even when one has to be retried', async () => {
    const h = startOutbox({ latencyMs: 50, script: ({ attemptOfClient, index }) => (index === 0 && attemptOfClient === 1 ? 'server' : undefined) });
    const c = chat(h.archive, h.clock, '1');
    const ids = ['one', 'two', 'three'].map((body) => h.outbox.queue({ conversationId: c, request: text('1', body), senderStaffId: 's' }));
    await run(h.clock, 60_000, 50);
    const order = h.sender.calls.filter((call) => call.outcome === 'accepted').map((call) => (call.request.text as { body: string }).body);
    expect(order).toEqual(['one', 'two', 'three']);
    for (const id of ids) expect(h.archive.messages.get(id)!.status).toBe('sent');
    expect(h.statesOf(ids[0]!)).toEqual(['queued', 'sending', 'queued', 'sending', 'sent']);
    expect(h.events.find((e) => e.messageId === ids[0] && e.state === 'queued' && e.error)!.error).toEqual({ code: 131000, message: 'HTTP 500: Something went wrong' });
  });

  it('refuses free text to a closed window with the 131047 sentence before calling Meta, and lets a template through', async () => {
    const h = startOutbox();
    const closed = chat(h.archive, h.clock, '1', 25 * hour);
    const never = chat(h.archive, h.clock, '2', null);
    const freeText = h.outbox.queue({ conversationId: closed, request: text('1', 'Are you still there?'), senderStaffId: 's' });
    const toNewContact = h.outbox.queue({ conversationId: never, request: text('2', 'Hi'), senderStaffId: 's' });
    await run(h.clock, 1000);
    expect(h.sender.calls).toHaveLength(0);
    for (const [id, conversationId] of [[freeText, closed], [toNewContact, never]] as const) {
      expect(h.archive.messages.get(id)).toMatchObject({ status: 'failed', errorCode: 131047, errorTitle: windowClosed.title });
      expect(h.statesOf(id)).toEqual(['failed']);
      expect(h.events.find((e) => e.messageId === id)).toEqual({
        messageId: id,
        conversationId,
        state: 'failed',
        error: { code: 131047, message: 'the 24-hour window has closed — send a template' },
      });
      expect(h.archive.outbox.latestForMessage(id)!.lastError).toBe('131047: the 24-hour window has closed — send a template');
    }

    const tpl = h.outbox.queue({ conversationId: closed, request: template('1'), senderStaffId: 's' });
    await run(h.clock, 1000);
    expect(h.sender.calls.map((call) => call.request.type)).toEqual(['template']);
    expect(h.archive.messages.get(tpl)!.status).toBe('sent');
  });

  it('refuses at send time when the window closed while the message waited (offline)', async () => {
    const h = startOutbox();
    const c = chat(h.archive, h.clock, '1', 23 * hour + 59 * 60_000);
    h.sender.online = false;
    const id = h.outbox.queue({ conversationId: c, request: text('1', 'late'), senderStaffId: 's' });
    await run(h.clock, 30_000, 1000);
    const callsWhileOffline = h.sender.calls.length;
    expect(callsWhileOffline).toBeGreaterThan(0);
    expect(h.archive.messages.get(id)!.status).toBe('pending');
    await run(h.clock, 2 * 60_000, 1000); // the window closes at one minute
    h.sender.online = true;
    h.outbox.nudge();
    await run(h.clock, 60_000, 1000);
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'failed', errorCode: 131047 });
    expect(h.sender.calls.filter((call) => call.outcome === 'accepted')).toHaveLength(0);
  });

  it('never retries a permanent error: failed with Meta\'s code and reason', async () => {
    const outcomes = { a: 'window', b: 'undeliverable' } as const;
    const h = startOutbox({ script: ({ request }) => outcomes[(request.text as { body: 'a' | 'b' }).body] });
    const ids = (['a', 'b'] as const).map((body, i) => {
      const c = chat(h.archive, h.clock, String(i + 1));
      return h.outbox.queue({ conversationId: c, request: text(String(i + 1), body), senderStaffId: 's' });
    });
    await run(h.clock, 30 * 60_000, 1000);
    expect(h.sender.calls).toHaveLength(2);
    expect(h.archive.messages.get(ids[0]!)).toMatchObject({ status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message' });
    expect(h.archive.messages.get(ids[1]!)).toMatchObject({ status: 'failed', errorCode: 131026, errorTitle: 'Message undeliverable' });
    expect(h.statesOf(ids[1]!)).toEqual(['queued', 'sending', 'failed']);
    expect(h.events.at(-1)!.error).toEqual({ code: 131026, message: 'This number cannot receive the message' });
  });

  it('an expired token (190) fails that message and holds the rest of the queue until new credentials', async () => {
    let tokenOk = false;
    const h = startOutbox({ script: () => (tokenOk ? undefined : 'auth') });
    const c1 = chat(h.archive, h.clock, '1');
    const c2 = chat(h.archive, h.clock, '2');
    const first = h.outbox.queue({ conversationId: c1, request: text('1', 'x'), senderStaffId: 's' });
    await run(h.clock, 100);
    const second = h.outbox.queue({ conversationId: c2, request: text('2', 'y'), senderStaffId: 's' });
    await run(h.clock, 10 * 60_000, 1000);
    expect(h.sender.calls).toHaveLength(1);
    expect(h.archive.messages.get(first)).toMatchObject({ status: 'failed', errorCode: 190 });
    expect(h.archive.messages.get(second)!.status).toBe('pending');
    expect(h.outbox.status()).toMatchObject({ paused: 'auth' });
    tokenOk = true;
    h.outbox.resume();
    await run(h.clock, 1000);
    expect(h.archive.messages.get(second)!.status).toBe('sent');
    expect(h.archive.messages.get(first)!.status).toBe('failed');
  });

  it('cancels a queued message, not one already sending', async () => {
    const h = startOutbox({ latencyMs: 5000 });
    const c = chat(h.archive, h.clock, '1');
    const a = h.outbox.queue({ conversationId: c, request: text('1', 'a'), senderStaffId: 's' });
    const b = h.outbox.queue({ conversationId: c, request: text('1', 'b'), senderStaffId: 's' });
    await run(h.clock, 100);
    expect(h.outbox.cancel(a)).toBe(false); // in flight
    expect(h.outbox.cancel(b)).toBe(true);
    expect(h.outbox.cancel(b)).toBe(false);
    await run(h.clock, 60_000, 500);
    expect(h.sender.calls.map((call) => (call.request.text as { body: string }).body)).toEqual(['a']);
    expect(h.archive.outbox.latestForMessage(b)!.state).toBe('cancelled');
    expect(h.archive.messages.get(b)).toMatchObject({ status: 'failed', errorTitle: 'Cancelled before sending' });
    expect(h.statesOf(b)).toEqual(['queued', 'cancelled']);
  });

  it('rejects a queue request for a conversation that does not exist', () => {
    const h = startOutbox();
    expect(() => h.outbox.queue({ conversationId: 999, request: text('1', 'x'), senderStaffId: 's' })).toThrow(/conversation/);
  });
});

describe('outbox: limits', () => {
  it('sends at most 80 messages in any virtual second under a burst of 500, each exactly once', async () => {
    const h = startOutbox({ latencyMs: 120 });
    const ids: number[] = [];
    for (let i = 0; i < 500; i++) {
      const c = chat(h.archive, h.clock, String(1000 + i));
      ids.push(h.outbox.queue({ conversationId: c, request: text(String(1000 + i), `m${i}`), senderStaffId: 's' }));
    }
    await run(h.clock, 10_000, 5);
    const times = h.sender.calls.map((call) => call.at);
    expect(times).toHaveLength(500);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
    expect(max).toBeLessThanOrEqual(80);
    expect(max).toBeGreaterThanOrEqual(75); // the cap is used, not wasted
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(6000); // 500 at 80/s needs more than 6 s
    for (const id of ids) {
      const m = h.archive.messages.get(id)!;
      expect(m.status).toBe('sent');
      expect(h.sender.acceptedCount(m.clientId!)).toBe(1);
    }
  });

  it('honours the pair rate per customer (a burst of up to 45 borrows 6 s each) without slowing other customers', async () => {
    const h = startOutbox();
    const a = chat(h.archive, h.clock, '1');
    const b = chat(h.archive, h.clock, '2');
    const start = h.clock.now();
    for (let i = 0; i < 50; i++) h.outbox.queue({ conversationId: a, request: text('1', `a${i}`), senderStaffId: 's' });
    for (let i = 0; i < 3; i++) h.outbox.queue({ conversationId: b, request: text('2', `b${i}`), senderStaffId: 's' });
    await run(h.clock, 10 * 60_000, 250);
    const at = (to: string) => h.sender.calls.filter((call) => call.request.to === to).map((call) => call.at - start);
    const toA = at('1');
    expect(toA).toHaveLength(50);
    expect(toA.slice(0, 45).every((t) => t < 6000)).toBe(true);
    // The burst borrowed 45 × 6 s: the 46th waits until that is paid back.
    expect(toA[45]).toBeGreaterThanOrEqual(270_000);
    for (let i = 0, j = 0; i < toA.length; i++) {
      while (toA[i]! - toA[j]! >= 6000) j++;
      expect(i - j + 1).toBeLessThanOrEqual(45);
    }
    expect(at('2').every((t) => t < 1000)).toBe(true);
    // Order kept.
    expect(h.sender.calls.filter((call) => call.request.to === '1').map((call) => (call.request.text as { body: string }).body)).toEqual(
      Array.from({ length: 50 }, (_, i) => `a${i}`),
    );
  });

  it('on 131056 waits 4^X seconds for that customer only', async () => {
    let refusals = 2;
    const h = startOutbox({
      script: ({ request }) => {
        if (request.to === '1' && refusals > 0) {
          refusals--;
          return 'pair';
        }
        return undefined;
      },
    });
    const a = chat(h.archive, h.clock, '1');
    const b = chat(h.archive, h.clock, '2');
    const start = h.clock.now();
    const id = h.outbox.queue({ conversationId: a, request: text('1', 'x'), senderStaffId: 's' });
    h.outbox.queue({ conversationId: b, request: text('2', 'y'), senderStaffId: 's' });
    await run(h.clock, 60_000, 100);
    const toA = h.sender.calls.filter((call) => call.request.to === '1').map((call) => call.at - start);
    expect(toA).toHaveLength(3);
    expect(toA[1]! - toA[0]!).toBeGreaterThanOrEqual(1000);
    expect(toA[2]! - toA[1]!).toBeGreaterThanOrEqual(4000);
    expect(h.sender.calls.find((call) => call.request.to === '2')!.at - start).toBeLessThan(100);
    expect(h.archive.messages.get(id)!.status).toBe('sent');
  });

  it('slows the whole number down on a throughput error, then recovers', async () => {
    let throttled = 0;
    const h = startOutbox({
      latencyMs: 20,
      script: ({ index }) => {
        if (index >= 40 && index < 60) {
          throttled++;
          return 'throughput';
        }
        return undefined;
      },
    });
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) {
      const c = chat(h.archive, h.clock, String(5000 + i));
      ids.push(h.outbox.queue({ conversationId: c, request: text(String(5000 + i), `m${i}`), senderStaffId: 's' }));
    }
    await run(h.clock, 300, 5);
    expect(throttled).toBeGreaterThan(0);
    const status = h.outbox.status();
    expect(status.messagesPerSecond).toBeLessThan(80);
    expect(status.throttledUntil).not.toBeNull();
    const callsDuringPause = h.sender.calls.length;
    await run(h.clock, 200, 5); // the first pause is 0.5–1 s from the first 130429 (at 20 ms)
    expect(h.sender.calls.length).toBe(callsDuringPause);
    await run(h.clock, 60_000, 20);
    for (const id of ids) {
      const m = h.archive.messages.get(id)!;
      expect(m.status).toBe('sent');
      expect(h.sender.acceptedCount(m.clientId!)).toBe(1);
    }
    expect(h.outbox.status().messagesPerSecond).toBe(80);
  });
});
