import { channelNames, isEventName } from './contract';
import type { ChannelName, EventName, EventPayload, RequestOf, ResponseOf } from './contract';
import type { Result } from './result';

/** What a transport must provide; the same for Electron IPC, the preview host's WebSocket and tests. */
export interface ApiTransport {
  invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, handler: (payload: unknown) => void): () => void;
}

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type ActionsOf<D extends string> = {
  [C in ChannelName as C extends `${D}:${infer A}` ? A : never]: undefined extends RequestOf<C>
    ? (request?: RequestOf<C>) => Promise<Result<ResponseOf<C>>>
    : (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;
};

/** `window.frontdesk`: one function per channel, grouped by domain (`labels:assign` → `frontdesk.labels.assign`). */
export type FrontdeskApi = { [D in DomainOf<ChannelName>]: ActionsOf<D> } & {
  /** Subscribe to a core event; the handler receives the payload only. Returns the unsubscribe function. */
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
};

export function buildFrontdeskApi(transport: ApiTransport): FrontdeskApi {
  const api: Record<string, unknown> = {};
  for (const name of channelNames) {
    const [domain, action] = name.split(':') as [string, string];
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[action] = (request?: unknown) => transport.invoke(name, request);
  }
  api.on = (event: string, handler: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event)}`);
    if (typeof handler !== 'function') throw new TypeError('The handler must be a function');
    return transport.subscribe(event, (payload) => handler(payload));
  };
  return api as FrontdeskApi;
}
