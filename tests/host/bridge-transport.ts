/**
 * The preview host's `ApiTransport`: the contract's invoke/subscribe over one WebSocket, with request ids,
 * events, and reconnection. Pure TypeScript: the page gives it the browser's WebSocket (bridge-client.ts),
 * tests give it the `ws` package's.
 *
 * - A request made while the socket is down waits for the reconnection, at most `waitMs`, then resolves
 *   `transport_unavailable`.
 * - A request already sent when the socket drops resolves `transport_unavailable` at once: core may or may
 *   not have run it, and sending it again could do a non-idempotent thing (send a message) twice.
 * - Subscriptions live here, not on the host (the host sends every event to every page), so they survive
 *   reconnects untouched.
 */
import { fail } from '../../shared/ipc';
import type { ApiTransport, ChannelName, EventName, Result } from '../../shared/ipc';
import { decodeFrame, encodeFrame, parseServerFrame } from './protocol';

/** The part of a WebSocket this uses: the browser's and the `ws` package's both fit. */
export interface SocketLike {
  onopen: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type BridgeState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface BridgeTransportOptions {
  connect(): SocketLike;
  /** How long a request made while disconnected waits for the reconnection. */
  waitMs?: number;
  /** Reconnect delay: doubles from `initialMs` after each failed attempt, capped at `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  onStateChange?(state: BridgeState): void;
  /** Where a throwing event handler's error goes (the page rethrows it asynchronously, so it is seen). */
  onHandlerError?(error: unknown): void;
}

export interface BridgeTransport extends ApiTransport {
  readonly state: BridgeState;
  /** Stops for good: pending requests resolve `transport_unavailable`, no more reconnects. */
  close(): void;
}

interface Waiting {
  frame: string;
  resolve(result: Result<unknown>): void;
  cancelTimer(): void;
}

export function createBridgeTransport(options: BridgeTransportOptions): BridgeTransport {
  const waitMs = options.waitMs ?? 10_000;
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 5_000 };
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  /** Sent, waiting for their answer. */
  const inFlight = new Map<number, (result: Result<unknown>) => void>();
  /** Not sent yet: waiting for the socket to open. */
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let state: BridgeState = 'connecting';
  let failedAttempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: BridgeState) => {
    if (state === next) return;
    state = next;
    options.onStateChange?.(next);
  };

  const unavailable = (message: string) => fail('transport_unavailable', message);

  function connect(): void {
    reconnectTimer = null;
    if (state === 'closed') return;
    setState('connecting');
    let current: SocketLike;
    try {
      current = options.connect();
    } catch {
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      failedAttempts = 0;
      setState('open');
      for (const [id, request] of waiting) {
        waiting.delete(id);
        request.cancelTimer();
        sendNow(id, request.frame, request.resolve);
      }
    };
    current.onmessage = (event) => {
      if (socket === current) receive(event.data);
    };
    current.onerror = () => {
      // Always followed by close, which does the work.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      for (const [id, resolve] of inFlight) {
        inFlight.delete(id);
        resolve(unavailable('The connection to the preview host was lost before the answer came'));
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (state === 'closed') return;
    setState('waiting');
    // Even the first retry waits a little, so a host that accepts and drops at once is not hammered.
    const delay = Math.min(backoff.initialMs * 2 ** failedAttempts, backoff.maxMs);
    failedAttempts++;
    reconnectTimer = setTimeout(connect, delay);
  }

  function sendNow(id: number, frame: string, resolve: (result: Result<unknown>) => void): void {
    inFlight.set(id, resolve);
    try {
      socket!.send(frame);
    } catch {
      inFlight.delete(id);
      resolve(unavailable('The preview host connection failed while sending'));
    }
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame;
    try {
      frame = parseServerFrame(decodeFrame(data));
    } catch {
      return;
    }
    if (!frame) return;
    if ('id' in frame) {
      const resolve = inFlight.get(frame.id);
      inFlight.delete(frame.id);
      resolve?.(frame.result);
      return;
    }
    for (const handler of [...(handlers.get(frame.event) ?? [])]) {
      try {
        handler(frame.payload);
      } catch (error) {
        options.onHandlerError?.(error);
      }
    }
  }

  connect();

  return {
    get state() {
      return state;
    },
    invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>> {
      if (state === 'closed') return Promise.resolve(unavailable('The preview bridge is closed'));
      const id = nextId++;
      let frame: string;
      try {
        frame = encodeFrame({ id, channel, payload });
      } catch {
        return Promise.resolve(fail('invalid_request', `The request to ${channel} cannot be sent (it is not serialisable)`));
      }
      return new Promise((resolve) => {
        if (state === 'open' && socket) {
          sendNow(id, frame, resolve);
          return;
        }
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(unavailable(`The preview host did not come back within ${Math.round(waitMs / 1000)} s`));
        }, waitMs);
        waiting.set(id, { frame, resolve, cancelTimer: () => clearTimeout(timer) });
      });
    },
    subscribe(event: EventName, handler: (payload: unknown) => void): () => void {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      // A wrapper per subscription, so subscribing the same function twice gives two independent ones.
      const entry = (payload: unknown) => handler(payload);
      set.add(entry);
      return () => void set.delete(entry);
    },
    close() {
      if (state === 'closed') return;
      setState('closed');
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const current = socket;
      socket = null;
      current?.close(1000, 'closed');
      for (const [id, request] of waiting) {
        waiting.delete(id);
        request.cancelTimer();
        request.resolve(unavailable('The preview bridge is closed'));
      }
      for (const [id, resolve] of inFlight) {
        inFlight.delete(id);
        resolve(unavailable('The preview bridge is closed'));
      }
    },
  };
}
