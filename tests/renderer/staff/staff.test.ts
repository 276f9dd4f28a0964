import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../shared/ipc/result';
import type { InboxPreferences, StaffState } from '../../../shared/ipc/inbox';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { click, mountApp } from '../support/mount-app';
import { staffState } from '../contacts/contact-fixtures';

cleanUpAfterEach();

/** Text as read: runs of white space as one space. */
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A core with Ana (no PIN, at the desk) and Wei (PIN 2468). */
function staffCore(handlers: FakeHandlers = {}, start: StaffState = staffState()) {
  let state: StaffState = start;
  return createFakeFrontdesk({
    'staff:state': () => ok(state),
    'staff:switch': (request) => {
      const member = state.members.find((entry) => entry.id === request.staffId);
      if (!member) return fail('not_found', 'no such member');
      if (member.hasPin && request.pin !== '2468') return fail('wrong_pin', 'wrong PIN');
      state = { ...state, currentId: member.id };
      return ok(state);
    },
    'staff:create': (request) => {
      state = { ...state, members: [...state.members, { id: `st-${request.name.toLowerCase()}`, name: request.name, hasPin: request.pin !== undefined, active: true }] };
      return ok(state);
    },
    ...handlers,
  });
}

describe('the staff switcher', () => {
  it('shows who is at the desk in the status bar', async () => {
    const { wrapper } = await mountApp({ frontdesk: staffCore(), locale: 'en' });
    expect(wrapper.get('footer [data-testid="staff-current"]').text()).toBe('Ana');
  });

  it('hands the desk to a member without a PIN at once', async () => {
    const withLi = staffState({ members: [...staffState().members, { id: 'st-li', name: 'Li', hasPin: false, active: true }] });
    const { wrapper, frontdesk } = await mountApp({ frontdesk: staffCore({}, withLi), locale: 'en' });

    await click(wrapper, 'staff-switcher');
    expect(wrapper.get('[data-testid="staff-switcher"]').attributes('aria-expanded')).toBe('true');
    const li = wrapper.findAll('[data-testid="staff-member"]').find((button) => button.attributes('data-staff-id') === 'st-li')!;
    await li.trigger('click');
    await flushPromises();

    expect(frontdesk.payloadsOf('staff:switch')).toEqual([{ staffId: 'st-li' }]);
    expect(wrapper.find('[data-testid="staff-panel"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="staff-current"]').text()).toBe('Li');
  });

  it('asks the PIN of a member who has one; a wrong PIN is said and nothing changes, the right one switches', async () => {
    const { wrapper, frontdesk } = await mountApp({ frontdesk: staffCore(), locale: 'en' });

    await click(wrapper, 'staff-switcher');
    const wei = wrapper.findAll('[data-testid="staff-member"]').find((button) => button.attributes('data-staff-id') === 'st-wei')!;
    await wei.trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('staff:switch')).toBe(0);
    const pin = wrapper.get('[data-testid="staff-pin"]');
    expect(pin.attributes('type')).toBe('password');
    expect(wrapper.get('[data-testid="staff-pin-form"] label').text()).toBe('PIN of Wei');

    // Not 4 digits: refused here.
    await pin.setValue('12');
    await wrapper.get('[data-testid="staff-pin-form"]').trigger('submit');
    await flushPromises();
    expect(frontdesk.callsTo('staff:switch')).toBe(0);
    expect(wrapper.get('[data-testid="staff-pin-error"]').text()).toBe('The PIN is 4 digits.');

    await pin.setValue('1111');
    await wrapper.get('[data-testid="staff-pin-form"]').trigger('submit');
    await flushPromises();
    expect(frontdesk.payloadsOf('staff:switch')).toEqual([{ staffId: 'st-wei', pin: '1111' }]);
    expect(wrapper.get('[data-testid="staff-pin-error"]').text()).toBe('That PIN is not right.');
    expect(wrapper.get('[data-testid="staff-pin"]').attributes('aria-invalid')).toBe('true');
    expect((wrapper.get('[data-testid="staff-pin"]').element as HTMLInputElement).value).toBe('');
    expect(wrapper.get('[data-testid="staff-current"]').text()).toBe('Ana');

    await wrapper.get('[data-testid="staff-pin"]').setValue('2468');
    await wrapper.get('[data-testid="staff-pin-form"]').trigger('submit');
    await flushPromises();
    expect(frontdesk.payloadsOf('staff:switch')[1]).toEqual({ staffId: 'st-wei', pin: '2468' });
    expect(wrapper.get('[data-testid="staff-current"]').text()).toBe('Wei');
    expect(wrapper.find('[data-testid="staff-panel"]').exists()).toBe(false);
  });

  it('adds a member, checking the name and the PIN first', async () => {
    const { wrapper, frontdesk } = await mountApp({ frontdesk: staffCore(), locale: 'en' });

    await click(wrapper, 'staff-switcher');
    await click(wrapper, 'staff-add');
    await wrapper.get('[data-testid="staff-add-pin"]').setValue('12a4');
    await wrapper.get('[data-testid="staff-add-form"]').trigger('submit');
    await flushPromises();
    expect(frontdesk.callsTo('staff:create')).toBe(0);
    expect(wrapper.get('[data-testid="staff-add-name-error"]').text()).toBe('Enter a name.');
    expect(wrapper.get('[data-testid="staff-add-pin-error"]').text()).toContain('exactly 4 digits');

    await wrapper.get('[data-testid="staff-add-name"]').setValue(' 李娜 ');
    await wrapper.get('[data-testid="staff-add-pin"]').setValue('');
    await wrapper.get('[data-testid="staff-add-form"]').trigger('submit');
    await flushPromises();
    expect(frontdesk.payloadsOf('staff:create')).toEqual([{ name: '李娜' }]);
    expect(wrapper.findAll('[data-testid="staff-member"]').map((button) => words(button.text()))).toEqual(['Ana At the desk', 'Wei PIN', '李娜']);
  });

  it('closes with Escape', async () => {
    const { wrapper } = await mountApp({ frontdesk: staffCore(), locale: 'en' });
    await click(wrapper, 'staff-switcher');
    await wrapper.get('[data-testid="staff-panel"]').trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[data-testid="staff-panel"]').exists()).toBe(false);
  });
});

describe('Settings › Staff and inbox preferences', () => {
  function preferencesCore() {
    let preferences: InboxPreferences = { readReceipts: true, notificationSound: false };
    return staffCore({
      'inbox:preferences': () => ok(preferences),
      'inbox:set-preferences': (request) => {
        preferences = { ...preferences, ...request };
        return ok(preferences);
      },
    });
  }

  it('lists the staff with their PIN state and who is at the desk', async () => {
    const { wrapper } = await mountApp({ frontdesk: preferencesCore(), locale: 'en', path: '/settings' });

    const items = wrapper.findAll('[data-testid="staff-list-item"]');
    expect(items.map((item) => words(item.text()))).toEqual(['Ana No PIN At the desk', 'Wei PIN set']);

    await wrapper.get('[data-testid="settings-staff-add-name"]').setValue('Li');
    await wrapper.get('[data-testid="settings-staff-add-pin"]').setValue('1357');
    await wrapper.get('[data-testid="settings-staff-add-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.findAll('[data-testid="staff-list-item"]').map((item) => words(item.text()))).toContain('Li PIN set');
  });

  it('turns read receipts and the notification sound on and off', async () => {
    const { wrapper, frontdesk } = await mountApp({ frontdesk: preferencesCore(), locale: 'en', path: '/settings' });

    const receipts = wrapper.get('[data-testid="pref-read-receipts"]');
    const sound = wrapper.get('[data-testid="pref-notification-sound"]');
    expect((receipts.element as HTMLInputElement).checked).toBe(true);
    expect((sound.element as HTMLInputElement).checked).toBe(false);

    await receipts.setValue(false);
    await flushPromises();
    await sound.setValue(true);
    await flushPromises();
    expect(frontdesk.payloadsOf('inbox:set-preferences')).toEqual([{ readReceipts: false }, { notificationSound: true }]);
    expect(wrapper.get('[data-testid="inbox-preferences-status"]').text()).toBe('Saved.');
  });
});
