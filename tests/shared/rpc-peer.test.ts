import { describe, expect, it } from 'vitest';
import { RpcError, createRpcPeer } from '../../shared/rpc/peer';
import type { MessageEndpoint } from '../../shared/rpc/peer';

/** Two endpoints wired to each other, delivering asynchronously like a real port. */
function pair(): [MessageEndpoint, MessageEndpoint] {
  const listeners: Array<((m: unknown) => void) | null> = [null, null];
  const make = (self: 0 | 1): MessageEndpoint => ({
    post: (message) => queueMicrotask(() => listeners[1 - self]?.(structuredClone(message))),
    listen(handler) {
      listeners[self] = handler;
      return () => (listeners[self] = null);
    },
  });
  return [make(0), make(1)];
}

describe('rpc peer', () => {
  it('calls across and returns values, in both directions', async () => {
    const [a, b] = pair();
    const left = createRpcPeer(a, { double: (n) => (n as number) * 2 });
    const right = createRpcPeer(b, { greet: async (name) => `hello ${String(name)}` });
    expect(await left.call('greet', '世界')).toBe('hello 世界');
    expect(await right.call('double', 21)).toBe(42);
  });

  it('carries a handler failure back with its code', async () => {
    const [a, b] = pair();
    createRpcPeer(b, {
      fail: () => {
        throw new RpcError('keychain_unavailable', 'No keychain');
      },
    });
    const left = createRpcPeer(a, {});
    await expect(left.call('fail')).rejects.toMatchObject({ code: 'keychain_unavailable', message: 'No keychain' });
    await expect(left.call('missing')).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(left.call('toString')).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('delivers notifications and rejects pending calls on close', async () => {
    const [a, b] = pair();
    const notes: unknown[] = [];
    createRpcPeer(b, { slow: () => new Promise(() => {}) }, (topic, payload) => notes.push([topic, payload]));
    const left = createRpcPeer(a, {});
    left.notify('event', { n: 1 });
    const pending = left.call('slow');
    await new Promise((r) => setTimeout(r, 5));
    left.close('core stopped');
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    await expect(left.call('slow')).rejects.toMatchObject({ code: 'closed' });
    expect(notes).toEqual([['event', { n: 1 }]]);
  });
});
