import { describe, expect, it, onTestFinished } from 'vitest';
import { openArchive } from '../../../electron/core/archive/connection';
import { chat, type FaultName, run, seeded, startOutbox, text } from './outbox-support';

const minute = 60_000;

describe('outbox: faults', () => {
  it('under injected 429s, 500s, pair-rate refusals and timeouts sends no message twice and every accepted one exactly once', async () => {
    const dice = seeded(2026);
    const mix: Array<[FaultName, number]> = [
      ['throughput', 0.08],
      ['server', 0.1],
      ['pair', 0.03],
      ['app', 0.01],
      ['waba', 0.01],
      ['timeoutBeforeAccept', 0.05],
      ['timeoutAfterAccept', 0.05],
    ];
    const h = startOutbox({
      latencyMs: 80,
      script: () => {
        let roll = dice();
        for (const [name, p] of mix) {
          if (roll < p) return name;
          roll -= p;
        }
        return undefined;
      },
    });
    const ids: number[] = [];
    for (let contact = 0; contact < 40; contact++) {
      const c = chat(h.archive, h.clock, String(700 + contact));
      for (let i = 0; i < 5; i++) ids.push(h.outbox.queue({ conversationId: c, request: text(String(700 + contact), `${contact}/${i}`), senderStaffId: 's' }));
    }
    // Every other lost response is reconciled by a status webhook a minute later; the rest never get one.
    const decided = new Set<string>();
    let reconciled = 0;
    for (let t = 0; t < 30; t++) {
      await run(h.clock, minute, 100);
      for (const call of h.sender.calls) {
        if (call.outcome !== 'timeoutAfterAccept' || h.clock.now() - call.at < minute || decided.has(call.clientId)) continue;
        decided.add(call.clientId);
        if (decided.size % 2 === 0) continue;
        expect(h.outbox.reconcile(call.clientId, h.sender.accepted.get(call.clientId)![0]!, 'delivered')).toBe(true);
        reconciled++;
      }
    }

    const faultsSeen = new Set(h.sender.calls.map((call) => call.outcome));
    for (const name of ['throughput', 'server', 'pair', 'timeoutBeforeAccept', 'timeoutAfterAccept'] as const) expect(faultsSeen.has(name)).toBe(true);

    let notConfirmed = 0;
    for (const id of ids) {
      const m = h.archive.messages.get(id)!;
      // Exactly one acceptance at Meta per message, whatever happened on the way.
      expect(h.sender.acceptedCount(m.clientId!)).toBe(1);
      // Never a request for a client id after Meta accepted it.
      const calls = h.sender.calls.filter((call) => call.clientId === m.clientId);
      expect(calls.at(-1)!.outcome === 'accepted' || calls.at(-1)!.outcome === 'timeoutAfterAccept').toBe(true);
      expect(calls.slice(0, -1).every((call) => call.outcome !== 'accepted' && call.outcome !== 'timeoutAfterAccept')).toBe(true);
      if (calls.at(-1)!.outcome === 'accepted') {
        expect(m.status).toBe('sent');
        expect(m.wamid).toBe(h.sender.accepted.get(m.clientId!)![0]);
      } else {
        expect(['sent', 'not_confirmed']).toContain(m.status);
        if (m.status === 'not_confirmed') notConfirmed++;
      }
    }
    expect(reconciled).toBeGreaterThan(0);
    expect(notConfirmed).toBeGreaterThan(0);
    expect(h.outbox.status().counts).toEqual({ queued: 0, sending: 0, unknown: 0, notConfirmed });

    // Messages to each customer were accepted in the order they were written.
    for (let contact = 0; contact < 40; contact++) {
      const order = h.sender.calls
        .filter((call) => call.request.to === String(700 + contact) && (call.outcome === 'accepted' || call.outcome === 'timeoutAfterAccept'))
        .map((call) => (call.request.text as { body: string }).body);
      expect(order).toEqual([0, 1, 2, 3, 4].map((i) => `${contact}/${i}`));
    }
  });

  it('keeps messages queued while the network is down, probing with backoff, and sends them when it is back', async () => {
    const h = startOutbox({ latencyMs: 30 });
    const c1 = chat(h.archive, h.clock, '1');
    const c2 = chat(h.archive, h.clock, '2');
    h.sender.online = false;
    const ids = [
      h.outbox.queue({ conversationId: c1, request: text('1', 'a'), senderStaffId: 's' }),
      h.outbox.queue({ conversationId: c1, request: text('1', 'b'), senderStaffId: 's' }),
      h.outbox.queue({ conversationId: c2, request: text('2', 'c'), senderStaffId: 's' }),
    ];
    await run(h.clock, 20 * minute, 500);
    expect(h.outbox.status().offline).toBe(true);
    for (const id of ids) expect(h.archive.messages.get(id)!.status).toBe('pending');
    expect(h.archive.outbox.pendingCounts()).toEqual({ queued: 3, sending: 0, unknown: 0, notConfirmed: 0 });
    // Probes, one at a time, backing off to the cap (30 s): no hammering, and no attempt limit.
    const probes = h.sender.calls.filter((call) => call.outcome === 'network');
    expect(probes.length).toBeGreaterThan(20);
    expect(probes.length).toBeLessThan(60);
    const gaps = probes.slice(1).map((call, i) => call.at - probes[i]!.at);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000 + 30);
    expect(gaps.slice(-5).every((gap) => gap >= 15_000)).toBe(true);
    expect(h.events.filter((e) => e.state === 'queued' && e.error).at(-1)!.error).toEqual({ code: null, message: 'No connection to Meta' });

    h.sender.online = true;
    await run(h.clock, 31_000, 500);
    expect(h.outbox.status().offline).toBe(false);
    for (const id of ids) expect(h.archive.messages.get(id)!.status).toBe('sent');
    const accepted = h.sender.calls.filter((call) => call.outcome === 'accepted').map((call) => (call.request.text as { body: string }).body);
    expect(accepted.filter((b) => b !== 'c')).toEqual(['a', 'b']);
    expect(accepted).toHaveLength(3);
  });

  it('probes at once when told the network is back (nudge)', async () => {
    const h = startOutbox();
    const c = chat(h.archive, h.clock, '1');
    h.sender.online = false;
    const id = h.outbox.queue({ conversationId: c, request: text('1', 'a'), senderStaffId: 's' });
    await run(h.clock, 5 * minute, 1000);
    h.sender.online = true;
    h.outbox.nudge();
    await run(h.clock, 10);
    expect(h.archive.messages.get(id)!.status).toBe('sent');
  });

  it('retries a timeout before Meta accepted (the request never left) like a network failure', async () => {
    const h = startOutbox({ script: ({ attemptOfClient }) => (attemptOfClient === 1 ? 'timeoutBeforeAccept' : undefined) });
    const c = chat(h.archive, h.clock, '1');
    const id = h.outbox.queue({ conversationId: c, request: text('1', 'a'), senderStaffId: 's' });
    await run(h.clock, 5000, 100);
    const m = h.archive.messages.get(id)!;
    expect(m.status).toBe('sent');
    expect(h.sender.calls.map((call) => call.outcome)).toEqual(['timeoutBeforeAccept', 'accepted']);
    expect(h.sender.acceptedCount(m.clientId!)).toBe(1);
  });

  it('a timeout after a possible accept is unknown, never resent, and reconciled by client id from a status webhook', async () => {
    const h = startOutbox({ script: ({ index }) => (index === 0 ? 'timeoutAfterAccept' : undefined) });
    const c = chat(h.archive, h.clock, '1');
    const id = h.outbox.queue({ conversationId: c, request: text('1', 'a'), senderStaffId: 's' });
    const after = h.outbox.queue({ conversationId: c, request: text('1', 'b'), senderStaffId: 's' });
    await run(h.clock, 5 * minute, 1000);
    const m = h.archive.messages.get(id)!;
    expect(m).toMatchObject({ status: 'unknown', wamid: null });
    expect(h.statesOf(id)).toEqual(['queued', 'sending', 'unknown']);
    expect(h.sender.calls.filter((call) => call.clientId === m.clientId)).toHaveLength(1);
    // The unknown message does not hold back the customer's next one.
    expect(h.archive.messages.get(after)!.status).toBe('sent');

    const wamid = h.sender.accepted.get(m.clientId!)![0]!;
    expect(h.outbox.reconcile(m.clientId!, wamid, 'sent')).toBe(true);
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'sent', wamid });
    expect(h.archive.messages.getByWamid(wamid)!.id).toBe(id);
    expect(h.archive.outbox.byClientId(m.clientId!)!.state).toBe('sent');
    expect(h.statesOf(id)).toEqual(['queued', 'sending', 'unknown', 'sent']);
    // A repeated webhook changes nothing; a client id that is not ours is ignored.
    expect(h.outbox.reconcile(m.clientId!, wamid, 'delivered')).toBe(true);
    expect(h.statesOf(id)).toHaveLength(4);
    expect(h.outbox.reconcile('not-ours', 'wamid.other', 'sent')).toBe(false);
    // Past the confirmation deadline nothing changes any more.
    await run(h.clock, 10 * minute, 5000);
    expect(h.archive.messages.get(id)!.status).toBe('sent');
    expect(h.sender.calls.filter((call) => call.clientId === m.clientId)).toHaveLength(1);
  });

  it('after 10 minutes without a status an unknown message is not confirmed; resend uses a new client id', async () => {
    const h = startOutbox({ script: ({ index }) => (index === 0 ? 'timeoutAfterAccept' : undefined) });
    const c = chat(h.archive, h.clock, '1');
    const id = h.outbox.queue({ conversationId: c, request: text('1', 'Your table is ready'), senderStaffId: 'staff-a' });
    await run(h.clock, 9 * minute + 59_000, 1000);
    expect(h.archive.messages.get(id)!.status).toBe('unknown');
    await run(h.clock, 2000, 1000);
    const old = h.archive.messages.get(id)!;
    expect(old.status).toBe('not_confirmed');
    expect(h.statesOf(id)).toEqual(['queued', 'sending', 'unknown', 'not_confirmed']);
    expect(h.archive.outbox.byClientId(old.clientId!)!.state).toBe('not_confirmed');
    // Still never resent on its own.
    await run(h.clock, 60 * minute, 10_000);
    expect(h.sender.calls).toHaveLength(1);

    const again = h.outbox.resend(id, { senderStaffId: 'staff-b' });
    expect(again).not.toBe(id);
    await run(h.clock, 1000);
    const copy = h.archive.messages.get(again)!;
    expect(copy).toMatchObject({ status: 'sent', text: 'Your table is ready', senderStaffId: 'staff-b' });
    expect(copy.clientId).not.toBe(old.clientId);
    expect(h.sender.calls.map((call) => call.clientId)).toEqual([old.clientId, copy.clientId]);
    expect(h.archive.messages.get(id)!.status).toBe('not_confirmed'); // the old one keeps its state

    // A late webhook for the first attempt still reconciles it.
    expect(h.outbox.reconcile(old.clientId!, h.sender.accepted.get(old.clientId!)![0]!, 'delivered')).toBe(true);
    expect(h.archive.messages.get(id)!.status).toBe('sent');

    // Only failed and not confirmed messages can be resent.
    expect(() => h.outbox.resend(again)).toThrow(/failed or not confirmed/);
  });

  it('resends a failed message as a new message', async () => {
    const h = startOutbox({ script: ({ index }) => (index === 0 ? 'undeliverable' : undefined) });
    const c = chat(h.archive, h.clock, '1');
    const id = h.outbox.queue({ conversationId: c, request: text('1', 'x'), senderStaffId: 's' });
    await run(h.clock, 1000);
    expect(h.archive.messages.get(id)!.status).toBe('failed');
    const again = h.outbox.resend(id);
    await run(h.clock, 1000);
    expect(h.archive.messages.get(again)).toMatchObject({ status: 'sent', senderStaffId: 's' });
    expect(h.archive.messages.get(id)!.status).toBe('failed');
  });

  it('after a restart, a row left sending by a crash is unknown, never resent, and not confirmed 10 minutes later', async () => {
    const first = startOutbox();
    const c = chat(first.archive, first.clock, '1');
    first.sender.hang = true; // the process dies while the request is out
    const id = first.outbox.queue({ conversationId: c, request: text('1', 'a'), senderStaffId: 's' });
    const queuedAfter = first.outbox.queue({ conversationId: chat(first.archive, first.clock, '2'), request: text('2', 'b'), senderStaffId: 's' });
    first.outbox.cancel(queuedAfter); // keeps this test about one message
    await run(first.clock, 1000);
    expect(first.sender.calls).toHaveLength(1);
    expect(first.archive.outbox.latestForMessage(id)!.state).toBe('sending');
    void first.outbox.stop();
    first.archive.close();

    first.clock.advance(3 * minute);
    const archive = openArchive({ path: first.path, key: first.key, clock: first.clock });
    onTestFinished(() => archive.close());
    const second = startOutbox({ clock: first.clock, archive: { archive, path: first.path, key: first.key } });
    await run(second.clock, 1000);
    expect(archive.messages.get(id)!.status).toBe('unknown');
    expect(second.statesOf(id)).toEqual(['unknown']);
    expect(archive.outbox.latestForMessage(id)!.state).toBe('sending');
    await run(second.clock, 8 * minute, 1000);
    expect(second.sender.calls).toHaveLength(0);
    await run(second.clock, 2 * minute, 1000);
    expect(archive.messages.get(id)!.status).toBe('not_confirmed');
    expect(second.sender.calls).toHaveLength(0);
  });

  it('after a restart, a row left sending whose status webhook was already stored is reconciled at once', async () => {
    const first = startOutbox();
    const c = chat(first.archive, first.clock, '1');
    first.sender.hang = true;
    const id = first.outbox.queue({ conversationId: c, request: text('1', 'a'), senderStaffId: 's' });
    await run(first.clock, 1000);
    const clientId = first.archive.messages.get(id)!.clientId!;
    void first.outbox.stop();
    // The inbound processor stored the status webhook (biz_opaque_callback_data = our client id).
    first.archive.db
      .prepare("INSERT INTO status_events(wamid, status, timestamp, client_id, raw_json, received_at) VALUES ('wamid.late', 'sent', 1, ?, '{}', ?)")
      .run(clientId, first.clock.now());
    first.archive.close();

    const archive = openArchive({ path: first.path, key: first.key, clock: first.clock });
    onTestFinished(() => archive.close());
    const second = startOutbox({ clock: first.clock, archive: { archive, path: first.path, key: first.key } });
    await run(second.clock, 1000);
    expect(archive.messages.get(id)).toMatchObject({ status: 'sent', wamid: 'wamid.late' });
    expect(second.statesOf(id)).toEqual(['sent']);
    expect(second.sender.calls).toHaveLength(0);
  });

  it('a queued message survives a restart and is sent by the next start', async () => {
    const first = startOutbox();
    const c = chat(first.archive, first.clock, '1');
    first.sender.online = false;
    const id = first.outbox.queue({ conversationId: c, request: text('1', 'a'), senderStaffId: 's' });
    await run(first.clock, 5000, 500);
    await first.outbox.stop();
    first.archive.close();

    const archive = openArchive({ path: first.path, key: first.key, clock: first.clock });
    onTestFinished(() => archive.close());
    const second = startOutbox({ clock: first.clock, archive: { archive, path: first.path, key: first.key } });
    await run(second.clock, 1000);
    expect(archive.messages.get(id)!.status).toBe('sent');
    expect(second.sender.calls).toHaveLength(1);
  });
});
