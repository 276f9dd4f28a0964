// The preload (electron/preload) is tested here: vitest's node project runs tests/main only.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames, eventNames } from '../../shared/ipc';
import type { FrontdeskApi } from '../../shared/ipc';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  return {
    exposed,
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
    ipcRenderer: null as unknown as {
      invoke: ReturnType<typeof vi.fn>;
      on: (channel: string, listener: (...args: unknown[]) => void) => unknown;
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => unknown;
      emit: (channel: string, ...args: unknown[]) => boolean;
      listenerCount: (channel: string) => number;
    },
  };
});

vi.mock('electron', () => {
  const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn(async () => ({ ok: true, value: 'from main' })) });
  electron.ipcRenderer = ipcRenderer as never;
  return { contextBridge: electron.contextBridge, ipcRenderer };
});

let api: FrontdeskApi;
beforeEach(async () => {
  vi.resetModules();
  electron.exposed.clear();
  await import('../../electron/preload/index');
  api = electron.exposed.get('frontdesk') as FrontdeskApi;
  electron.ipcRenderer.invoke.mockClear();
  (electron.ipcRenderer as unknown as EventEmitter).removeAllListeners();
});

/** What main sends on the event channel: an IpcRendererEvent (whose `sender` is ipcRenderer itself) and the message. */
function sendFromMain(name: string, payload: unknown) {
  const ipcEvent = { sender: electron.ipcRenderer, senderId: 0, ports: [] };
  electron.ipcRenderer.emit('frontdesk:event', ipcEvent, { name, payload });
}

describe('the preload', () => {
  it('exposes exactly one key, frontdesk', () => {
    expect([...electron.exposed.keys()]).toEqual(['frontdesk']);
  });

  it('has one function per contract channel, grouped by domain, and on()', () => {
    const expected: Record<string, string[]> = {};
    for (const name of channelNames) {
      const [domain, action] = name.split(':') as [string, string];
      (expected[domain] ??= []).push(action);
    }
    expect(Object.keys(api).sort()).toEqual([...Object.keys(expected), 'on'].sort());
    for (const [domain, actions] of Object.entries(expected)) {
      const group = (api as unknown as Record<string, Record<string, unknown>>)[domain]!;
      expect(Object.keys(group).sort()).toEqual(actions.sort());
      for (const action of actions) expect(typeof group[action]).toBe('function');
    }
    expect(typeof api.on).toBe('function');
  });

  it('invokes the channel over IPC with the payload and returns main’s answer', async () => {
    await expect(api.app.ping({ message: 'hello' })).resolves.toEqual({ ok: true, value: 'from main' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('app:ping', { message: 'hello' });
  });

  it('answers transport_unavailable when main has no handler yet', async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error("No handler registered for 'app:info'"));
    await expect(api.app.info()).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
  });

  it('hands handlers the payload only, never the IPC event', () => {
    const handler = vi.fn();
    api.on('app:tick', handler);
    sendFromMain('app:tick', { at: 42, seq: 7 });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]).toEqual([{ at: 42, seq: 7 }]);
  });

  it('delivers only the event subscribed to', () => {
    const handler = vi.fn();
    api.on('app:tick', handler);
    sendFromMain('app:other', { at: 1, seq: 1 });
    expect(handler).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe, and removes its IPC listener when none remain', () => {
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = api.on('app:tick', first);
    const offSecond = api.on('app:tick', second);
    expect(electron.ipcRenderer.listenerCount('frontdesk:event')).toBe(1);
    offFirst();
    sendFromMain('app:tick', { at: 1, seq: 1 });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
    offSecond();
    expect(electron.ipcRenderer.listenerCount('frontdesk:event')).toBe(0);
  });

  it('keeps delivering to other handlers when one throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const good = vi.fn();
    api.on('app:tick', () => {
      throw new Error('component bug');
    });
    api.on('app:tick', good);
    sendFromMain('app:tick', { at: 1, seq: 1 });
    expect(good).toHaveBeenCalledOnce();
    error.mockRestore();
  });

  it('refuses to subscribe to events that are not in the contract', () => {
    expect(eventNames).toContain('app:tick');
    expect(() => api.on('ipc:raw' as never, vi.fn())).toThrow(TypeError);
  });
});
