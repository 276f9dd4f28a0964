import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/ipc';
import { startTestCore } from './helpers';

describe('createCore', () => {
  it('answers app:info with the host facts', async () => {
    const { core } = startTestCore();
    const result = await core.invoke('app:info', undefined);
    expect(result).toEqual({
      ok: true,
      value: { name: 'Frontdesk', version: '9.9.9-test', platform: process.platform === 'win32' || process.platform === 'darwin' || process.platform === 'linux' ? process.platform : 'other', transport: 'preview' },
    });
  });

  it('answers app:ping with the message and core clock time', async () => {
    const { core, clock } = startTestCore();
    clock.advance(1234);
    expect(await core.invoke('app:ping', { message: '你好 hello' })).toEqual({ ok: true, value: { message: '你好 hello', at: clock.now() } });
  });

  it('refuses an unknown channel with a stable code', async () => {
    const { core } = startTestCore();
    const result = await core.invoke('app:shutdown', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unknown_channel');
  });

  it('refuses a bad payload and names the field', async () => {
    const { core } = startTestCore();
    const wrongType = await core.invoke('app:ping', { message: 42 });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ path: 'message' }] } });
    const extraKey = await core.invoke('app:ping', { message: 'hi', admin: true });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const tooLong = await core.invoke('app:ping', { message: 'x'.repeat(1001) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ path: 'message' }] } });
    const payloadForNoArgChannel = await core.invoke('app:info', { anything: 1 });
    expect(payloadForNoArgChannel).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('pushes app:tick every second of its clock, in order, and stops when closed', async () => {
    const { core, ports, clock } = startTestCore();
    const seen: Array<{ event: EventName; payload: unknown }> = [];
    ports.events.subscribe((event, payload) => seen.push({ event, payload }));
    const start = clock.now();
    clock.advance(3000);
    expect(seen).toEqual([
      { event: 'app:tick', payload: { at: start + 1000, seq: 0 } },
      { event: 'app:tick', payload: { at: start + 2000, seq: 1 } },
      { event: 'app:tick', payload: { at: start + 3000, seq: 2 } },
    ]);
    await core.close();
    clock.advance(5000);
    expect(seen).toHaveLength(3);
  });
});
