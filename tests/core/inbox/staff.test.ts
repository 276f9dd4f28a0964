/**
 * Staff at the desk (PRODUCT §2): "Front desk" exists from the first opening, so every message has a
 * sender; members with an optional 4-digit PIN; switching checks the PIN; the choice survives a restart.
 */
import { describe, expect, it } from 'vitest';
import type { StaffState } from '../../../shared/ipc';
import { call, openDemoInbox } from './inbox-support';

describe('staff profiles', () => {
  it('starts with "Front desk" at the desk', async () => {
    const inbox = await openDemoInbox();
    const state = await call<StaffState>(inbox.core, 'staff:state');
    expect(state.members).toEqual([{ id: state.currentId, name: 'Front desk', hasPin: false, active: true }]);
  });

  it('adds members with or without a PIN, switches only with the right PIN, and keeps the choice', async () => {
    const inbox = await openDemoInbox();
    await call(inbox.core, 'staff:create', { name: 'Ana' });
    const state = await call<StaffState>(inbox.core, 'staff:create', { name: '王伟', pin: '4821' });
    const ana = state.members.find((m) => m.name === 'Ana')!;
    const wang = state.members.find((m) => m.name === '王伟')!;
    expect([ana.hasPin, wang.hasPin]).toEqual([false, true]);
    // Creating someone does not hand them the desk.
    expect(state.currentId).toBe(state.members[0]!.id);
    // The PIN is stored only as a hash.
    const stored = inbox.archive().staff.get(wang.id)!.pinHash!;
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain('4821');

    expect(await inbox.core.invoke('staff:switch', { staffId: wang.id })).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect(await inbox.core.invoke('staff:switch', { staffId: wang.id, pin: '1234' })).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    expect((await call<StaffState>(inbox.core, 'staff:switch', { staffId: wang.id, pin: '4821' })).currentId).toBe(wang.id);
    expect((await call<StaffState>(inbox.core, 'staff:switch', { staffId: ana.id })).currentId).toBe(ana.id);
    expect(await inbox.core.invoke('staff:switch', { staffId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Closing and opening the workspace again: Ana is still at the desk.
    await call(inbox.core, 'workspace:close');
    await call(inbox.core, 'workspace:open-demo');
    expect((await call<StaffState>(inbox.core, 'staff:state')).currentId).toBe(ana.id);
  });

  it('refuses a name already taken (any case), and a PIN that is not 4 digits', async () => {
    const inbox = await openDemoInbox();
    expect(await inbox.core.invoke('staff:create', { name: 'front DESK' })).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ path: 'name' }] } });
    expect(await inbox.core.invoke('staff:create', { name: 'Bo', pin: '12a4' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
