import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { buildFrontdeskApi } from '../../shared/ipc';
import type { EventPayload } from '../../shared/ipc';
import { createBridgeTransport } from './bridge-transport';
import type { BridgeTransport, SocketLike } from './bridge-transport';
import { bridgeUrl, signIn, startTestHost } from './helpers';
import type { TestHost } from './helpers';
import { decodeFrame, encodeFrame } from './protocol';

/** A socket the test drives by hand: open it, answer it, drop it. */
class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  sent: Array<{ id: number; channel: string; payload?: unknown }> = [];
  closedByClient = false;
  send(data: string) {
    this.sent.push(decodeFrame(data) as { id: number; channel: string; payload?: unknown });
  }
  close() {
    this.closedByClient = true;
  }
  open() {
    (this.onopen as (() => void) | null)?.();
  }
  drop() {
    (this.onclose as (() => void) | null)?.();
  }
  reply(id: number, value: unknown) {
    this.onmessage?.({ data: encodeFrame({ id, result: { ok: true, value } }) });
  }
  push(event: string, payload: unknown) {
    this.onmessage?.({ data: encodeFrame({ event, payload }) });
  }
}

describe('bridge transport (driven by hand)', () => {
  afterEach(() => void vi.useRealTimers());

  function setUp(options: { waitMs?: number } = {}) {
    const sockets: FakeSocket[] = [];
    const states: string[] = [];
    const transport = createBridgeTransport({
      connect: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      waitMs: options.waitMs ?? 10_000,
      backoff: { initialMs: 100, maxMs: 1_000 },
      onStateChange: (state) => states.push(state),
    });
    return { transport, sockets, states, latest: () => sockets[sockets.length - 1]! };
  }

  it('holds requests made before the socket opens, and sends them in order on open', async () => {
    const { transport, latest } = setUp();
    const first = transport.invoke('app:info', undefined);
    const second = transport.invoke('app:ping', { message: 'x' });
    expect(latest().sent).toEqual([]);
    latest().open();
    expect(latest().sent.map((frame) => frame.channel)).toEqual(['app:info', 'app:ping']);
    latest().reply(latest().sent[1]!.id, 'pong');
    latest().reply(latest().sent[0]!.id, 'info');
    await expect(first).resolves.toEqual({ ok: true, value: 'info' });
    await expect(second).resolves.toEqual({ ok: true, value: 'pong' });
  });

  it('answers transport_unavailable for a request in flight when the socket drops (never re-sends it)', async () => {
    vi.useFakeTimers();
    const { transport, latest, sockets } = setUp();
    latest().open();
    const pending = transport.invoke('app:info', undefined);
    latest().drop();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
    await vi.advanceTimersByTimeAsync(200);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([]);
  });

  it('reconnects with doubling delays capped at the maximum, and resets after a success', async () => {
    vi.useFakeTimers();
    const { sockets, latest } = setUp();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = sockets.length;
      latest().drop();
      let waited = 0;
      while (sockets.length === before) {
        await vi.advanceTimersByTimeAsync(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    latest().open();
    latest().drop();
    const before = sockets.length;
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets.length).toBe(before + 1);
  });

  it('lets a request wait for the reconnection, but only for waitMs', async () => {
    vi.useFakeTimers();
    const { transport, sockets, latest } = setUp({ waitMs: 3_000 });
    latest().open();
    latest().drop();
    const waits = transport.invoke('app:info', undefined);
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toHaveLength(1);
    sockets[1]!.reply(sockets[1]!.sent[0]!.id, 'back');
    await expect(waits).resolves.toEqual({ ok: true, value: 'back' });

    sockets[1]!.drop();
    const givesUp = transport.invoke('app:info', undefined);
    let settled = false;
    void givesUp.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(2_900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await expect(givesUp).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
    // It was never sent, so a later socket does not carry it either.
    latest().open();
    expect(latest().sent).toEqual([]);
  });

  it('keeps subscriptions across reconnects, delivers payloads only, and isolates a throwing handler', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const sockets: FakeSocket[] = [];
    const transport = createBridgeTransport({
      connect: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      backoff: { initialMs: 10, maxMs: 10 },
      onHandlerError: (error) => errors.push(error),
    });
    const api = buildFrontdeskApi(transport);
    const seen: number[] = [];
    api.on('app:tick', () => {
      throw new Error('handler bug');
    });
    const off = api.on('app:tick', (tick: EventPayload<'app:tick'>) => seen.push(tick.seq));
    sockets[0]!.open();
    sockets[0]!.push('app:tick', { at: 1, seq: 1 });
    sockets[0]!.drop();
    await vi.advanceTimersByTimeAsync(10);
    sockets[1]!.open();
    sockets[1]!.push('app:tick', { at: 2, seq: 2 });
    sockets[1]!.push('other:event', { at: 3, seq: 3 });
    off();
    sockets[1]!.push('app:tick', { at: 4, seq: 4 });
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(3);
    expect(() => api.on('no:such' as 'app:tick', () => {})).toThrow(TypeError);
  });

  it('ignores frames that are not the protocol', async () => {
    const { transport, latest } = setUp();
    latest().open();
    const pending = transport.invoke('app:info', undefined);
    for (const data of ['nope', '{}', '{"id":"1","result":{"ok":true}}', new Uint8Array([1]), '{"id":999,"result":{"ok":true,"value":1}}']) {
      latest().onmessage?.({ data });
    }
    latest().reply(latest().sent[0]!.id, 'fine');
    await expect(pending).resolves.toEqual({ ok: true, value: 'fine' });
  });

  it('close() answers everything pending and stops reconnecting', async () => {
    vi.useFakeTimers();
    const { transport, sockets, latest, states } = setUp();
    latest().open();
    const inFlight = transport.invoke('app:info', undefined);
    transport.close();
    expect(latest().closedByClient).toBe(true);
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
    await expect(transport.invoke('app:info', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    expect(states).toEqual(['open', 'closed']);
  });
});

describe('bridge transport against a real host', () => {
  let host: TestHost | null = null;
  let transport: BridgeTransport | null = null;
  afterEach(async () => {
    transport?.close();
    await host?.close();
    host = null;
    transport = null;
  });

  async function setUp(waitMs = 10_000) {
    host = await startTestHost();
    const cookie = await signIn(host);
    const current = host;
    const stateWaiters: Array<{ state: string; resolve: () => void }> = [];
    transport = createBridgeTransport({
      connect: () => new WebSocket(bridgeUrl(current), { headers: { cookie }, origin: current.origin }) as unknown as SocketLike,
      waitMs,
      backoff: { initialMs: 300, maxMs: 1_000 },
      onStateChange: (state) => {
        for (const waiter of stateWaiters.filter((w) => w.state === state)) {
          stateWaiters.splice(stateWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      },
    });
    const reaches = (state: string) => new Promise<void>((resolve) => stateWaiters.push({ state, resolve }));
    return { host: current, api: buildFrontdeskApi(transport), reaches };
  }

  it('works through window.frontdesk-shaped calls: info, ping, validation errors', async () => {
    const { api } = await setUp();
    await expect(api.app.info()).resolves.toMatchObject({ ok: true, value: { transport: 'preview' } });
    await expect(api.app.ping({ message: 'hello' })).resolves.toMatchObject({ ok: true, value: { message: 'hello' } });
    const bad = await api.app.ping({ message: 42 } as unknown as { message: string });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('survives the host dropping every socket: waiting requests go through, subscriptions keep firing', async () => {
    const { host: current, api, reaches } = await setUp();
    const ticks: number[] = [];
    api.on('app:tick', (tick: EventPayload<'app:tick'>) => ticks.push(tick.seq));
    await expect(api.app.info()).resolves.toMatchObject({ ok: true });
    const noticed = reaches('waiting');
    current.bridge.dropAll();
    // Asked once the page has noticed the drop (a request already sent when it drops fails instead: see above).
    await noticed;
    expect(transport!.state).toBe('waiting');
    const afterDrop = await api.app.ping({ message: 'after' });
    expect(afterDrop).toMatchObject({ ok: true, value: { message: 'after' } });
    const seenBefore = ticks.length;
    current.ports.events.emit('app:tick', { at: 0, seq: 424_242 });
    await vi.waitFor(() => expect(ticks.slice(seenBefore)).toContain(424_242));
  });

  it('gives up with transport_unavailable when the host is gone for longer than waitMs', async () => {
    const { host: current, api } = await setUp(300);
    await expect(api.app.info()).resolves.toMatchObject({ ok: true });
    await current.close();
    await expect(api.app.info()).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
  });
});
