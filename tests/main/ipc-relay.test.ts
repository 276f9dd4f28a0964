import { describe, expect, it, vi } from 'vitest';
import { eventChannel } from '../../electron/main/event-channel';
import { createEventForwarder, registerIpcRelay } from '../../electron/main/ipc-relay';
import type { InvokeCore } from '../../electron/main/ipc-relay';
import { channelNames, ok } from '../../shared/ipc';
import type { Result } from '../../shared/ipc';

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  frameTreeNodeId: number;
  isDestroyed(): boolean;
}

let nextFrameId = 1;
function frame(url: string, parent: FakeFrame | null = null): FakeFrame {
  return { url, parent, frameTreeNodeId: nextFrameId++, isDestroyed: () => false };
}

function fakeContents(url = 'app://frontdesk/index.html') {
  return { mainFrame: frame(url) };
}

type Handler = (event: unknown, payload: unknown) => Promise<Result<unknown>>;

function relay(invokeCore: InvokeCore = vi.fn(async () => ok({ message: 'from core', at: 1 }))) {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const ours = fakeContents();
  const stop = registerIpcRelay({ ipcMain: ipcMain as never, invokeCore, isOurContents: (contents) => (contents as unknown) === ours });
  const call = (channel: string, payload: unknown, sender: { mainFrame: FakeFrame } = ours, senderFrame: FakeFrame | null = sender.mainFrame) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ sender, senderFrame }, payload);
  };
  return { call, ours, handlers, ipcMain, invokeCore, stop };
}

describe('the IPC relay', () => {
  it('registers exactly one handler per contract channel', () => {
    const { handlers } = relay();
    expect([...handlers.keys()].sort()).toEqual([...channelNames].sort());
  });

  it("forwards a valid request from the app's main frame and returns core's Result unchanged", async () => {
    const answer = ok({ message: 'hello', at: 1_700_000_000_000 });
    const invokeCore = vi.fn(async () => answer);
    const { call } = relay(invokeCore);
    await expect(call('app:ping', { message: 'hello' })).resolves.toEqual(answer);
    expect(invokeCore).toHaveBeenCalledExactlyOnceWith('app:ping', { message: 'hello' });
  });

  it("returns core's failures unchanged too", async () => {
    const failure = { ok: false as const, error: { code: 'internal' as const, message: 'boom' } };
    const { call } = relay(vi.fn(async () => failure));
    await expect(call('app:info', undefined)).resolves.toEqual(failure);
  });

  describe('refuses a sender that is not the main frame of our window on app://frontdesk', () => {
    const cases: Array<[string, (ours: { mainFrame: FakeFrame }) => { sender: { mainFrame: FakeFrame }; senderFrame: FakeFrame | null }]> = [
      ['a page from another origin in our window', () => {
        const sender = fakeContents('https://evil.example/');
        return { sender, senderFrame: sender.mainFrame };
      }],
      ['a file:// page', () => {
        const sender = fakeContents('file:///tmp/index.html');
        return { sender, senderFrame: sender.mainFrame };
      }],
      ['an app:// page on another host', () => {
        const sender = fakeContents('app://evil/index.html');
        return { sender, senderFrame: sender.mainFrame };
      }],
      ['a subframe of our page, even on our origin', (ours) => ({ sender: ours, senderFrame: frame('app://frontdesk/index.html', ours.mainFrame) })],
      ['a foreign subframe of our page', (ours) => ({ sender: ours, senderFrame: frame('https://evil.example/', ours.mainFrame) })],
      ['a frame that is not our main frame', (ours) => ({ sender: ours, senderFrame: frame('app://frontdesk/index.html') })],
      ['a frame that is gone', (ours) => ({ sender: ours, senderFrame: null })],
      ['a destroyed frame', (ours) => ({ sender: ours, senderFrame: { ...ours.mainFrame, isDestroyed: () => true } })],
      ['another webContents showing our page', () => {
        const sender = fakeContents('app://frontdesk/index.html');
        return { sender, senderFrame: sender.mainFrame };
      }],
    ];

    it.each(cases)('%s', async (_name, make) => {
      const { call, ours, invokeCore } = relay();
      const { sender, senderFrame } = make(ours);
      const result = await call('app:ping', { message: 'hello' }, sender, senderFrame);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      expect(invokeCore).not.toHaveBeenCalled();
    });

    it('our own window after it navigated away from the app', async () => {
      const { call, ours, invokeCore } = relay();
      ours.mainFrame.url = 'https://evil.example/phish';
      await expect(call('app:ping', { message: 'hello' })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      expect(invokeCore).not.toHaveBeenCalled();
    });

    it('a frame that throws when read (destroyed mid-request)', async () => {
      const { call, ours, invokeCore } = relay();
      const exploding = {
        parent: null,
        frameTreeNodeId: ours.mainFrame.frameTreeNodeId,
        isDestroyed: () => false,
        get url(): string {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
      };
      await expect(call('app:ping', { message: 'hi' }, ours, exploding)).resolves.toMatchObject({ error: { code: 'forbidden_sender' } });
      expect(invokeCore).not.toHaveBeenCalled();
    });
  });

  it('checks the sender before the payload', async () => {
    const { call, invokeCore } = relay();
    const foreign = fakeContents('https://evil.example/');
    await expect(call('app:ping', { message: 42 }, foreign)).resolves.toMatchObject({ error: { code: 'forbidden_sender' } });
    expect(invokeCore).not.toHaveBeenCalled();
  });

  it('refuses an invalid payload with invalid_request naming the bad field', async () => {
    const { call, invokeCore } = relay();
    const result = await call('app:ping', { message: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_request');
    expect(result.error.fields).toEqual([{ path: 'message', message: expect.any(String) }]);
    expect(invokeCore).not.toHaveBeenCalled();
  });

  it.each([
    ['app:ping', { message: 'x'.repeat(1001) }, 'message'],
    ['app:ping', undefined, ''],
    ['app:ping', 'hello', ''],
    ['app:ping', { message: 'hi', extra: true }, ''],
    ['app:info', { sneaky: true }, ''],
  ])('refuses %s with %j', async (channel, payload, path) => {
    const { call, invokeCore } = relay();
    const result = await call(channel, payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [expect.objectContaining({ path })] } });
    expect(invokeCore).not.toHaveBeenCalled();
  });

  it('answers transport_unavailable when core does not answer', async () => {
    const { call } = relay(vi.fn(async () => Promise.reject(new Error('closed'))));
    await expect(call('app:ping', { message: 'hi' })).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
  });

  it('removes every handler when stopped', () => {
    const { handlers, stop } = relay();
    stop();
    expect(handlers.size).toBe(0);
  });
});

describe('the event forwarder', () => {
  function target(url: string, destroyed = false) {
    return { send: vi.fn(), getURL: () => url, isDestroyed: () => destroyed };
  }

  it('sends a valid event, name and payload, to our windows on the app page', () => {
    const ours = target('app://frontdesk/index.html#/inbox');
    const forward = createEventForwarder(() => [ours]);
    expect(forward('app:tick', { at: 5, seq: 1 })).toBe(true);
    expect(ours.send).toHaveBeenCalledExactlyOnceWith(eventChannel, { name: 'app:tick', payload: { at: 5, seq: 1 } });
  });

  it('skips windows that navigated away and destroyed ones', () => {
    const away = target('https://evil.example/');
    const gone = target('app://frontdesk/index.html', true);
    const ours = target('app://frontdesk/index.html');
    createEventForwarder(() => [away, gone, ours])('app:tick', { at: 5, seq: 1 });
    expect(away.send).not.toHaveBeenCalled();
    expect(gone.send).not.toHaveBeenCalled();
    expect(ours.send).toHaveBeenCalledOnce();
  });

  it('drops events that are not in the contract or do not match it', () => {
    const ours = target('app://frontdesk/index.html');
    const forward = createEventForwarder(() => [ours]);
    expect(forward('app:unknown', {})).toBe(false);
    expect(forward('app:tick', { at: 'soon', seq: -1 })).toBe(false);
    expect(forward(undefined, undefined)).toBe(false);
    expect(ours.send).not.toHaveBeenCalled();
  });
});
