import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../../shared/ipc/result';
import type { WorkspaceState } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { cleanUpAfterEach } from '../../support/cleanup';
import { businessWorkspace, closedState, createFakeFrontdesk, demoWorkspace, unlockedState } from '../../support/fake-frontdesk';
import type { FakeHandlers } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

async function openSettings(handlers: FakeHandlers = {}) {
  const frontdesk = createFakeFrontdesk({ 'vault:change-passphrase': () => ok(undefined), ...handlers });
  return mountApp({ frontdesk, locale: 'en', path: '/settings' });
}

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

async function fillChange(wrapper: Wrapper, values: { current: string; next: string; repeat: string }) {
  await wrapper.get('[data-testid="change-passphrase-current"]').setValue(values.current);
  await wrapper.get('[data-testid="change-passphrase-new"]').setValue(values.next);
  await wrapper.get('[data-testid="change-passphrase-repeat"]').setValue(values.repeat);
}

const errorOf = (wrapper: Wrapper, testId: string) => wrapper.find(`[data-testid="${testId}-error"]`);

describe('Settings › Security › change the passphrase', () => {
  it('names every wrong field and sends nothing', async () => {
    const { wrapper, frontdesk } = await openSettings();

    await click(wrapper, 'change-passphrase-submit');
    expect(errorOf(wrapper, 'change-passphrase-current').text()).toBe(en.settings.security.currentRequired);
    expect(errorOf(wrapper, 'change-passphrase-new').text()).toBe('Use at least 10 characters.');
    expect(document.activeElement).toBe(wrapper.get('[data-testid="change-passphrase-current"]').element);

    await fillChange(wrapper, { current: 'old passphrase', next: 'new passphrase!', repeat: 'new passphrase?' });
    await click(wrapper, 'change-passphrase-submit');
    expect(errorOf(wrapper, 'change-passphrase-current').exists()).toBe(false);
    expect(errorOf(wrapper, 'change-passphrase-new').exists()).toBe(false);
    expect(errorOf(wrapper, 'change-passphrase-repeat').text()).toBe(en.workspace.passphrase.mismatch);

    await fillChange(wrapper, { current: 'old passphrase', next: 'old passphrase', repeat: 'old passphrase' });
    await click(wrapper, 'change-passphrase-submit');
    expect(errorOf(wrapper, 'change-passphrase-new').text()).toBe(en.settings.security.sameAsCurrent);

    expect(frontdesk.callsTo('vault:change-passphrase')).toBe(0);
  });

  it('sends current and new, then says it worked and clears the fields', async () => {
    const { wrapper, frontdesk } = await openSettings();

    await fillChange(wrapper, { current: 'old passphrase', next: 'plum tiger window seven', repeat: 'plum tiger window seven' });
    await click(wrapper, 'change-passphrase-submit');

    expect(frontdesk.payloadsOf('vault:change-passphrase')).toEqual([{ current: 'old passphrase', next: 'plum tiger window seven' }]);
    expect(wrapper.get('[data-testid="change-passphrase-success"]').text()).toBe(en.settings.security.changed);
    for (const testId of ['change-passphrase-current', 'change-passphrase-new', 'change-passphrase-repeat']) {
      expect((wrapper.get(`[data-testid="${testId}"]`).element as HTMLInputElement).value).toBe('');
    }
  });

  it('a wrong current passphrase is named under that field', async () => {
    const { wrapper } = await openSettings({
      'vault:change-passphrase': () => fail('wrong_passphrase', 'no', [{ path: 'current', message: 'not right' }]),
    });

    await fillChange(wrapper, { current: 'not the old one', next: 'plum tiger window seven', repeat: 'plum tiger window seven' });
    await click(wrapper, 'change-passphrase-submit');

    expect(errorOf(wrapper, 'change-passphrase-current').text()).toBe(en.errors.wrong_passphrase);
    expect(wrapper.get('[data-testid="change-passphrase-success"]').text()).toBe('');
  });
});

describe('Settings › Security › auto-lock and keychain', () => {
  it('offers off and the usual minutes, shows core’s value, and sends the choice', async () => {
    let state: WorkspaceState = unlockedState(businessWorkspace, 10);
    const { wrapper, frontdesk } = await openSettings({
      'workspace:state': () => ok(state),
      'vault:set-auto-lock': ({ minutes }) => {
        state = { ...state, autoLockMinutes: minutes };
        return ok(state);
      },
    });
    const select = wrapper.get('[data-testid="auto-lock-minutes"]');
    expect(select.findAll('option').map((option) => [option.attributes('value'), option.text()])).toEqual([
      ['0', 'Never'],
      ['1', '1 minute'],
      ['5', '5 minutes'],
      ['10', '10 minutes'],
      ['15', '15 minutes'],
      ['30', '30 minutes'],
      ['60', '60 minutes'],
    ]);
    expect((select.element as HTMLSelectElement).value).toBe('10');

    await select.setValue('0');
    await flushPromises();

    expect(frontdesk.payloadsOf('vault:set-auto-lock')).toEqual([{ minutes: 0 }]);
    expect(wrapper.get('[data-testid="auto-lock-status"]').text()).toBe(en.settings.security.autoLockSaved);
  });

  it('turns "unlock automatically" on, and shows core’s refusal in words', async () => {
    const { wrapper, frontdesk } = await openSettings({
      'vault:set-keychain-unlock': () => fail('keychain_unavailable', 'basic_text'),
    });
    const toggle = wrapper.get('[data-testid="keychain-unlock"]');
    expect((toggle.element as HTMLInputElement).checked).toBe(false);

    await toggle.setValue(true);
    await flushPromises();

    expect(frontdesk.payloadsOf('vault:set-keychain-unlock')).toEqual([{ enabled: true }]);
    expect(wrapper.get('[data-testid="keychain-unlock-error"]').text()).toContain(en.errors.keychain_unavailable);
    // The box shows what core has: still off.
    expect((toggle.element as HTMLInputElement).checked).toBe(false);
  });

  it('the demo has no passphrase to change or keychain to turn off', async () => {
    const { wrapper } = await openSettings({ 'workspace:state': () => ok(unlockedState(demoWorkspace)) });

    expect(wrapper.find('[data-testid="change-passphrase-current"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="keychain-unlock"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="security-demo-note"]').text()).toBe(en.settings.security.demoNoPassphrase);
    expect(wrapper.find('[data-testid="auto-lock-minutes"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="demo-banner"]').isVisible()).toBe(true);
  });
});

describe('Settings › Workspaces', () => {
  it('lists the workspaces, and Switch closes this one and shows the picker', async () => {
    const { wrapper, frontdesk } = await openSettings({
      'workspace:list': () => ok([{ ...demoWorkspace }, { ...businessWorkspace }]),
      'workspace:close': () => ok(closedState),
    });
    const items = wrapper.findAll('[data-testid="settings-workspace-item"]');
    expect(items.map((item) => item.text().replace(/\s+/g, ' '))).toEqual(['Demo Demo', `Lotus Dental Business ${en.settings.workspaces.current}`]);
    expect(items[1]!.attributes('aria-current')).toBe('true');

    await click(wrapper, 'switch-workspace');

    expect(frontdesk.callsTo('workspace:close')).toBe(1);
    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="workspace-item"]')).toHaveLength(2);
  });
});
