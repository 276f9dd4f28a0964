/**
 * A small request/response + notification protocol over anything that passes structured-clone messages
 * (Electron's MessagePortMain, node:worker_threads ports). Main and core talk through it: main calls core's
 * `invoke`, core calls main's Electron-backed ports (keychain, settings, dialogs) and notifies events.
 */

export interface MessageEndpoint {
  post(message: unknown): void;
  /** Registers the one message listener; returns a function that removes it. */
  listen(handler: (message: unknown) => void): () => void;
}

export type RpcHandlers = Record<string, (args: unknown) => unknown>;
export type NotificationHandler = (topic: string, payload: unknown) => void;

type Wire =
  | { t: 'req'; id: number; method: string; args: unknown }
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; error: { code: string; message: string } }
  | { t: 'note'; topic: string; payload: unknown };

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface RpcPeer {
  call<T = unknown>(method: string, args?: unknown): Promise<T>;
  notify(topic: string, payload: unknown): void;
  /** Rejects every pending call and stops listening. */
  close(reason?: string): void;
}

function isWire(message: unknown): message is Wire {
  return typeof message === 'object' && message !== null && typeof (message as { t?: unknown }).t === 'string';
}

export function createRpcPeer(endpoint: MessageEndpoint, handlers: RpcHandlers, onNotification?: NotificationHandler): RpcPeer {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  const stop = endpoint.listen((message) => {
    if (!isWire(message)) return;
    if (message.t === 'req') {
      void answer(message.id, message.method, message.args);
    } else if (message.t === 'res') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new RpcError(message.error.code, message.error.message));
    } else if (message.t === 'note') {
      onNotification?.(message.topic, message.payload);
    }
  });

  async function answer(id: number, method: string, args: unknown): Promise<void> {
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    try {
      if (!handler) throw new RpcError('unknown_method', `No handler for ${method}`);
      const value = await handler(args);
      if (!closed) endpoint.post({ t: 'res', id, ok: true, value } satisfies Wire);
    } catch (error) {
      const code = error instanceof RpcError ? error.code : ((error as { code?: unknown })?.code ?? 'internal');
      const text = error instanceof Error ? error.message : String(error);
      if (!closed) endpoint.post({ t: 'res', id, ok: false, error: { code: String(code), message: text } } satisfies Wire);
    }
  }

  return {
    call<T>(method: string, args?: unknown): Promise<T> {
      if (closed) return Promise.reject(new RpcError('closed', 'The connection is closed'));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        endpoint.post({ t: 'req', id, method, args } satisfies Wire);
      });
    },
    notify(topic, payload) {
      if (!closed) endpoint.post({ t: 'note', topic, payload } satisfies Wire);
    },
    close(reason = 'The connection is closed') {
      if (closed) return;
      closed = true;
      stop();
      for (const waiter of pending.values()) waiter.reject(new RpcError('closed', reason));
      pending.clear();
    },
  };
}
