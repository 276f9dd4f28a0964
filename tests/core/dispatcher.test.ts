import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatcher';
import type { ChannelHandlers } from '../../electron/core/dispatcher';
import { AppError } from '../../electron/core/errors';
import { createLogger } from '../../electron/core/logger';
import { createMemoryLogger } from '../../electron/core/node-ports';

function dispatcherWith(ping: ChannelHandlers['app:ping'], guard?: () => void) {
  const memory = createMemoryLogger();
  // Only the channels these tests call; the type check of createCore proves every channel has a handler.
  const handlers = {
    'app:info': () => ({ name: 'Frontdesk', version: '1', platform: 'linux', transport: 'preview' }),
    'app:ping': ping,
    'vault:set-auto-lock': ({ minutes }: { minutes: number }) => ({ open: null, locked: false, autoLockMinutes: minutes }),
  } as unknown as ChannelHandlers;
  return { dispatch: createDispatcher(handlers, createLogger(memory), guard), memory };
}

describe('core dispatcher', () => {
  it('turns an AppError into its code, message and fields', async () => {
    const { dispatch } = dispatcherWith(() => {
      throw new AppError('invalid_request', 'The message is not allowed', [{ path: 'message', message: 'not allowed' }]);
    });
    expect(await dispatch('app:ping', { message: 'x' })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'The message is not allowed', fields: [{ path: 'message', message: 'not allowed' }] },
    });
  });

  it('turns an unexpected exception into `internal`, logs it, and leaks nothing of it to the caller', async () => {
    const { dispatch, memory } = dispatcherWith(() => {
      throw new TypeError('cannot read secret-token-123');
    });
    const result = await dispatch('app:ping', { message: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('secret-token-123');
    expect(memory.entries.at(-1)).toMatchObject({ level: 'error', fields: { channel: 'app:ping' } });
  });

  it('awaits async handlers', async () => {
    const { dispatch } = dispatcherWith(async ({ message }) => ({ message: message.toUpperCase(), at: 1 }));
    expect(await dispatch('app:ping', { message: 'abc' })).toEqual({ ok: true, value: { message: 'ABC', at: 1 } });
  });

  it('refuses channel names that are not own keys of the contract', async () => {
    const { dispatch } = dispatcherWith(() => ({ message: '', at: 0 }));
    for (const name of ['toString', '__proto__', 'constructor', 42, null]) {
      expect(await dispatch(name, undefined)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('refuses channels that need an unlocked workspace while the guard says locked, before validating', async () => {
    const guard = () => {
      throw new AppError('locked', 'The workspace is locked');
    };
    const { dispatch } = dispatcherWith(() => ({ message: '', at: 0 }), guard);
    expect(await dispatch('vault:set-auto-lock', { minutes: 5 })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await dispatch('vault:set-auto-lock', { minutes: 'x' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    // Channels open to everyone still answer.
    expect(await dispatch('app:ping', { message: 'hi' })).toMatchObject({ ok: true });
  });
});
