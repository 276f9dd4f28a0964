import { describe, expect, it } from 'vitest';
import { buildFrontdeskApi, channelNames } from '../../shared/ipc';
import type { ApiTransport, EventName, Result } from '../../shared/ipc';

function recordingTransport() {
  const calls: Array<{ channel: string; payload: unknown }> = [];
  const handlers = new Map<EventName, Set<(payload: unknown) => void>>();
  const transport: ApiTransport = {
    invoke: async (channel, payload) => {
      calls.push({ channel, payload });
      return { ok: true, value: { echoed: channel } } as Result<unknown>;
    },
    subscribe(event, handler) {
      const set = handlers.get(event) ?? new Set();
      set.add(handler);
      handlers.set(event, set);
      return () => void set.delete(handler);
    },
  };
  const fire = (event: EventName, payload: unknown) => handlers.get(event)?.forEach((h) => h(payload));
  return { transport, calls, fire };
}

describe('buildFrontdeskApi', () => {
  it('has one function per channel, grouped by domain', async () => {
    const { transport, calls } = recordingTransport();
    const api = buildFrontdeskApi(transport);
    for (const name of channelNames) {
      const [domain, action] = name.split(':') as [string, string];
      expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[domain]?.[action]).toBe('function');
    }
    await api.app.ping({ message: 'hi' });
    await api.app.info();
    expect(calls).toEqual([
      { channel: 'app:ping', payload: { message: 'hi' } },
      { channel: 'app:info', payload: undefined },
    ]);
  });

  it('hands event handlers the payload only, and unsubscribes', () => {
    const { transport, fire } = recordingTransport();
    const api = buildFrontdeskApi(transport);
    const got: unknown[] = [];
    const off = api.on('app:tick', (payload) => got.push(payload));
    fire('app:tick', { at: 1, seq: 0 });
    off();
    fire('app:tick', { at: 2, seq: 1 });
    expect(got).toEqual([{ at: 1, seq: 0 }]);
  });

  it('refuses to subscribe to an event that is not in the contract', () => {
    const api = buildFrontdeskApi(recordingTransport().transport);
    expect(() => api.on('app:nope' as EventName, () => {})).toThrow(TypeError);
  });
});
