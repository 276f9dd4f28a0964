import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createRpcPeer } from '../../shared/rpc/peer';
import type { MessageEndpoint } from '../../shared/rpc/peer';
import { coreMethods, mainMethods, notifications, startCoreOverEndpoint } from '../../electron/core/remote-ports';
import { tempDir } from './helpers';

function endpoint(port: MessagePort): MessageEndpoint {
  return {
    post: (message) => port.postMessage(message),
    listen(handler) {
      port.on('message', handler);
      return () => port.off('message', handler);
    },
  };
}

/** Core on one end of a real MessagePort (as in the utility process), a stand-in for main on the other. */
function startOverPort() {
  const { port1, port2 } = new MessageChannel();
  onTestFinished(() => {
    port1.close();
    port2.close();
  });
  const notes: Array<{ topic: string; payload: unknown }> = [];
  const settings = new Map<string, unknown>();
  const main = createRpcPeer(
    endpoint(port1),
    {
      [mainMethods.settingsGet]: (args) => settings.get((args as { key: string }).key),
      [mainMethods.settingsSet]: (args) => void settings.set((args as { key: string }).key, (args as { value: unknown }).value),
    },
    (topic, payload) => notes.push({ topic, payload }),
  );
  const core = startCoreOverEndpoint(endpoint(port2), {
    dataDir: tempDir(),
    host: { appVersion: '1.2.3', platform: 'darwin', transport: 'electron' },
  });
  onTestFinished(() => core.close());
  return { main, notes };
}

describe('core over a MessagePort (the app’s utility process protocol)', () => {
  it('answers invoke with the same Result envelope as in-process', async () => {
    const { main } = startOverPort();
    expect(await main.call(coreMethods.invoke, { channel: 'app:info' })).toEqual({
      ok: true,
      value: { name: 'Frontdesk', version: '1.2.3', platform: 'darwin', transport: 'electron' },
    });
    expect(await main.call(coreMethods.invoke, { channel: 'app:ping', payload: { message: 7 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('sends its log lines and events to main as notifications', async () => {
    const { notes } = startOverPort();
    await expect.poll(() => notes.some((n) => n.topic === notifications.log), { timeout: 2000 }).toBe(true);
    await expect.poll(() => notes.find((n) => n.topic === notifications.event)?.payload, { timeout: 3000 }).toMatchObject({
      name: 'app:tick',
      payload: { seq: 0 },
    });
  });
});
