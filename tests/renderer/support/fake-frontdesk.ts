import { buildFrontdeskApi } from '../../../shared/ipc/api';
import type { ApiTransport, FrontdeskApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName, EventPayload, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import { fail, ok } from '../../../shared/ipc/result';
import type { AppInfo, ConnectionView, HealthState, WorkspaceState, WorkspaceSummary } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import type { DesktopState } from '../../../shared/ipc/desktop';

export type FakeHandlers = {
  [C in ChannelName]?: (request: RequestOf<C>) => Result<ResponseOf<C>> | Promise<Result<ResponseOf<C>>>;
};

export const previewInfo: AppInfo = { name: 'Frontdesk', version: '0.1.0', platform: 'linux', transport: 'preview' };

export const businessWorkspace: WorkspaceSummary = { id: 'ws-lotus-dental', name: 'Lotus Dental', kind: 'business', keychainUnlock: false };
export const demoWorkspace: WorkspaceSummary = { id: 'ws-demo-00000001', name: 'Demo', kind: 'demo', keychainUnlock: true };

export function unlockedState(open: WorkspaceSummary = businessWorkspace, autoLockMinutes = 10): WorkspaceState {
  return { open: { ...open }, locked: false, autoLockMinutes };
}

export function lockedState(open: WorkspaceSummary = businessWorkspace, autoLockMinutes = 10): WorkspaceState {
  return { open: { ...open }, locked: true, autoLockMinutes };
}

/** Nothing wrong with the line to Meta (what core answers when all is clear), changed by `overrides`. */
export function healthState(overrides: Partial<HealthState> = {}): HealthState {
  return { offline: false, tokenRejected: false, webhooksSilent: false, relayUnreachable: false, qualityRating: null, alerts: [], ...overrides };
}

/** What the preview and any development build answer: updates off, no login item. */
export function desktopState(overrides: Partial<DesktopState> = {}): DesktopState {
  return { launchAtLogin: { supported: false, enabled: false }, update: { status: 'disabled', reason: 'development' }, ...overrides };
}

export const closedState: WorkspaceState = { open: null, locked: false, autoLockMinutes: 10 };

/** A workspace with no number connected yet (what core answers before the first save), changed by `overrides`. */
export function connectionView(overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    configured: false,
    phoneNumberId: '',
    wabaId: '',
    appId: '',
    graphVersion: 'v25.0',
    webhookMode: 'relay',
    directPort: null,
    relayUrl: '',
    callbackPath: '/webhooks/meta',
    verifyToken: 'fd-verify-3f9a1c7e52b04d68',
    hasAccessToken: false,
    hasAppSecret: false,
    phone: null,
    ...overrides,
  };
}

/**
 * What core answers unless a test says otherwise: app info, and a business workspace open and unlocked,
 * so the app itself shows. A test's handlers replace these one by one; `undefined` removes one.
 */
export const defaultHandlers: FakeHandlers = {
  'app:info': () => ok(previewInfo),
  'app:activity': () => ok(undefined),
  'workspace:state': () => ok(unlockedState()),
  'workspace:list': () => ok([{ ...businessWorkspace }]),
  'connection:get': () => ok(connectionView()),
  'health:get': () => ok(healthState()),
  'desktop:state': () => ok(desktopState()),
  'desktop:privacy-mode': () => ok(undefined),
  'cloud:status': () => ok({ receiver: null, relay: null, inbox: { received: 0, processed: 0, failed: 0, pending: 0 }, outbox: { offline: false, paused: false, throttledUntil: null } }),
};

/**
 * A `window.frontdesk` built exactly as the real ones are (`buildFrontdeskApi` over a transport), where the
 * transport answers from the given handlers (over `defaultHandlers`) and the test pushes events itself.
 */
export function createFakeFrontdesk(overrides: FakeHandlers = {}) {
  const handlers: FakeHandlers = { ...defaultHandlers, ...overrides };
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: { channel: ChannelName; payload: unknown }[] = [];

  const transport: ApiTransport = {
    async invoke(channel, payload) {
      calls.push({ channel, payload });
      const handler = handlers[channel] as ((request: unknown) => Result<unknown> | Promise<Result<unknown>>) | undefined;
      return handler ? handler(payload) : fail('unknown_channel', `No fake handler for ${channel}`);
    },
    subscribe(event, handler) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(handler);
      return () => set.delete(handler);
    },
  };

  const api: FrontdeskApi = buildFrontdeskApi(transport);

  return {
    api,
    calls,
    /** Core pushes an event to every subscriber. */
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const handler of listeners.get(event) ?? []) handler(payload);
    },
    listenerCount(event: EventName): number {
      return listeners.get(event)?.size ?? 0;
    },
    callsTo(channel: ChannelName): number {
      return calls.filter((call) => call.channel === channel).length;
    },
    /** The payloads sent on a channel, in order. */
    payloadsOf<C extends ChannelName>(channel: C): RequestOf<C>[] {
      return calls.filter((call) => call.channel === channel).map((call) => call.payload as RequestOf<C>);
    },
    /** Puts it where the preload would: `window.frontdesk`. */
    install() {
      window.frontdesk = api;
      return this;
    },
  };
}

export type FakeFrontdesk = ReturnType<typeof createFakeFrontdesk>;
