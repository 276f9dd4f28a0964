import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../../shared/ipc/result';
import type { WorkspaceState } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../../support/cleanup';
import { businessWorkspace, createFakeFrontdesk, demoWorkspace, lockedState, unlockedState } from '../../support/fake-frontdesk';
import type { FakeHandlers } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();
afterEach(() => {
  vi.useRealTimers();
});

/** 64 digits as people type them: groups, spaces, a dash. */
const typedRecoveryKey = '1234 5678 9012 3456 7890 1234 5678 9012-3456 7890 1234 5678 9012 3456 7890 1234';

function lockedFrontdesk(handlers: FakeHandlers = {}, workspace = businessWorkspace) {
  return createFakeFrontdesk({ 'workspace:state': () => ok(lockedState(workspace)), ...handlers });
}

describe('locking and unlocking', () => {
  it('the unlock screen replaces the whole app when core says locked, and the app comes back when unlocked', async () => {
    const { wrapper, frontdesk } = await mountApp({ locale: 'en', path: '/settings' });
    expect(wrapper.find('nav').exists()).toBe(true);
    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('Settings');

    frontdesk.emit('workspace:state', lockedState());
    await flushPromises();

    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.find('[data-testid="page-title"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="security-section"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="workspace-name"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="lock-button"]').exists()).toBe(false);
    expect(wrapper.get('h1').text()).toBe('Unlock Lotus Dental');
    expect(document.title).toBe(`${en.workspace.gate.unlockTitle} · Frontdesk`);
    const field = wrapper.get('[data-testid="unlock-passphrase"]');
    expect(field.attributes('type')).toBe('password');
    expect(document.activeElement).toBe(field.element);

    frontdesk.emit('workspace:state', unlockedState());
    await flushPromises();

    expect(wrapper.find('nav').exists()).toBe(true);
    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('Settings');
    expect(window.location.hash).toBe('#/settings');
  });

  it('the Lock button and Ctrl+L ask core to lock', async () => {
    let state: WorkspaceState = unlockedState();
    const frontdesk = createFakeFrontdesk({
      'workspace:state': () => ok(state),
      'vault:lock': () => {
        state = lockedState();
        return ok(state);
      },
    });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });
    expect(wrapper.get('[data-testid="lock-button"]').attributes('aria-keyshortcuts')).toBe('Control+L');

    await click(wrapper, 'lock-button');
    expect(frontdesk.callsTo('vault:lock')).toBe(1);
    expect(wrapper.find('nav').exists()).toBe(false);

    state = unlockedState();
    frontdesk.emit('workspace:state', state);
    await flushPromises();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'l', code: 'KeyL', ctrlKey: true, bubbles: true }));
    await flushPromises();
    expect(frontdesk.callsTo('vault:lock')).toBe(2);
    expect(wrapper.find('nav').exists()).toBe(false);
  });

  it('unlocks with the passphrase', async () => {
    const frontdesk = lockedFrontdesk({ 'vault:unlock': () => ok(unlockedState()) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await wrapper.get('[data-testid="unlock-passphrase"]').setValue('correct horse battery');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(frontdesk.payloadsOf('vault:unlock')).toEqual([{ workspaceId: businessWorkspace.id, method: 'passphrase', passphrase: 'correct horse battery' }]);
    expect(wrapper.find('nav').exists()).toBe(true);
  });

  it('an empty passphrase is named under the field and not sent', async () => {
    const frontdesk = lockedFrontdesk();
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await click(wrapper, 'unlock-submit');

    expect(wrapper.get('[data-testid="unlock-passphrase-error"]').text()).toBe(en.workspace.unlock.passphraseRequired);
    expect(wrapper.get('[data-testid="unlock-passphrase"]').attributes('aria-invalid')).toBe('true');
    expect(frontdesk.callsTo('vault:unlock')).toBe(0);
  });

  it('a wrong passphrase is refused in words, in the UI language', async () => {
    const frontdesk = lockedFrontdesk({ 'vault:unlock': () => fail('wrong_passphrase', 'The passphrase is not right') });
    const { wrapper } = await mountApp({ frontdesk, locale: 'zh-CN' });

    await wrapper.get('[data-testid="unlock-passphrase"]').setValue('wrong one');
    await click(wrapper, 'unlock-submit');

    const error = wrapper.get('[data-testid="unlock-error"]');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain(zhCN.errors.wrong_passphrase);
    expect(error.text()).not.toContain('The passphrase is not right');
    expect(wrapper.find('nav').exists()).toBe(false);
  });

  it('unlock_throttled disables the button and counts down the wait core gave', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const frontdesk = lockedFrontdesk({ 'vault:unlock': () => fail('unlock_throttled', 'wait', undefined, 3_000) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });
    const button = () => wrapper.get('[data-testid="unlock-submit"]');

    await wrapper.get('[data-testid="unlock-passphrase"]').setValue('anything at all');
    await click(wrapper, 'unlock-submit');

    expect(wrapper.get('[data-testid="unlock-error"]').text()).toContain(en.errors.unlock_throttled);
    expect(button().attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="unlock-countdown"]').text()).toBe('You can try again in 3 s.');

    vi.advanceTimersByTime(1_000);
    await flushPromises();
    expect(wrapper.get('[data-testid="unlock-countdown"]').text()).toBe('You can try again in 2 s.');
    // Enter does nothing meanwhile either.
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(frontdesk.callsTo('vault:unlock')).toBe(1);

    vi.advanceTimersByTime(2_000);
    await flushPromises();
    expect(wrapper.find('[data-testid="unlock-countdown"]').exists()).toBe(false);
    expect(button().attributes('disabled')).toBeUndefined();
  });

  it('a wrong passphrase that carries a wait starts the countdown too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const frontdesk = lockedFrontdesk({ 'vault:unlock': () => fail('wrong_passphrase', 'no', undefined, 2_000) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await wrapper.get('[data-testid="unlock-passphrase"]').setValue('wrong one');
    await click(wrapper, 'unlock-submit');

    expect(wrapper.get('[data-testid="unlock-error"]').text()).toContain(en.errors.wrong_passphrase);
    expect(wrapper.get('[data-testid="unlock-countdown"]').text()).toBe('You can try again in 2 s.');
    expect(wrapper.get('[data-testid="unlock-submit"]').attributes('disabled')).toBeDefined();
  });

  it('unlocks with the recovery key, typed with spaces and dashes', async () => {
    const frontdesk = lockedFrontdesk({ 'vault:unlock': () => ok(unlockedState()) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await click(wrapper, 'unlock-use-recovery');
    expect(wrapper.find('[data-testid="unlock-passphrase"]').exists()).toBe(false);
    const field = wrapper.get('[data-testid="unlock-recovery-key"]');
    expect(document.activeElement).toBe(field.element);

    await field.setValue('1234 5678');
    await click(wrapper, 'unlock-submit');
    expect(wrapper.get('[data-testid="unlock-recovery-key-error"]').text()).toBe('A recovery key has 64 digits; this has 8.');
    expect(frontdesk.callsTo('vault:unlock')).toBe(0);

    await field.setValue(typedRecoveryKey);
    await click(wrapper, 'unlock-submit');
    expect(frontdesk.payloadsOf('vault:unlock')).toEqual([{ workspaceId: businessWorkspace.id, method: 'recovery', recoveryKey: typedRecoveryKey }]);
    expect(wrapper.find('nav').exists()).toBe(true);
  });

  it('offers the keychain when the workspace has it, and never uses it on its own while locked', async () => {
    const keychainShop = { ...businessWorkspace, keychainUnlock: true };
    const frontdesk = lockedFrontdesk({ 'vault:unlock': () => ok(unlockedState(keychainShop)) }, keychainShop);
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });
    expect(frontdesk.callsTo('vault:unlock')).toBe(0);

    await click(wrapper, 'unlock-keychain');

    expect(frontdesk.payloadsOf('vault:unlock')).toEqual([{ workspaceId: keychainShop.id, method: 'keychain' }]);
    expect(wrapper.find('nav').exists()).toBe(true);
  });

  it('has no keychain button when the workspace does not unlock that way', async () => {
    const { wrapper } = await mountApp({ frontdesk: lockedFrontdesk(), locale: 'en' });

    expect(wrapper.find('[data-testid="unlock-keychain"]').exists()).toBe(false);
  });

  it('a locked demo unlocks with the keychain only: it has no passphrase', async () => {
    const frontdesk = lockedFrontdesk({ 'vault:unlock': () => ok(unlockedState(demoWorkspace)) }, demoWorkspace);
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    expect(wrapper.find('[data-testid="unlock-passphrase"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="unlock-use-recovery"]').exists()).toBe(false);
    await click(wrapper, 'unlock-keychain');
    expect(frontdesk.payloadsOf('vault:unlock')).toEqual([{ workspaceId: demoWorkspace.id, method: 'keychain' }]);
  });
});

describe('forgot the passphrase', () => {
  async function openReset(handlers: FakeHandlers = {}) {
    const frontdesk = lockedFrontdesk(handlers);
    const mounted = await mountApp({ frontdesk, locale: 'en' });
    await click(mounted.wrapper, 'unlock-forgot');
    return mounted;
  }

  it('checks the recovery key and the new passphrase before sending, naming each field', async () => {
    const { wrapper, frontdesk } = await openReset();

    await wrapper.get('[data-testid="reset-recovery-key"]').setValue('1234');
    await wrapper.get('[data-testid="reset-passphrase"]').setValue('short');
    await wrapper.get('[data-testid="reset-passphrase-repeat"]').setValue('shorter');
    await click(wrapper, 'reset-submit');

    expect(wrapper.get('[data-testid="reset-recovery-key-error"]').text()).toBe('A recovery key has 64 digits; this has 4.');
    expect(wrapper.get('[data-testid="reset-passphrase-error"]').text()).toBe('Use at least 10 characters.');
    expect(wrapper.get('[data-testid="reset-passphrase-repeat-error"]').text()).toBe(en.workspace.passphrase.mismatch);
    expect(frontdesk.callsTo('vault:reset-passphrase')).toBe(0);
  });

  it('sends vault:reset-passphrase, and the workspace opens', async () => {
    const { wrapper, frontdesk } = await openReset({ 'vault:reset-passphrase': () => ok(unlockedState()) });

    await wrapper.get('[data-testid="reset-recovery-key"]').setValue(typedRecoveryKey);
    await wrapper.get('[data-testid="reset-passphrase"]').setValue('a brand new passphrase');
    await wrapper.get('[data-testid="reset-passphrase-repeat"]').setValue('a brand new passphrase');
    await click(wrapper, 'reset-submit');

    expect(frontdesk.payloadsOf('vault:reset-passphrase')).toEqual([
      { workspaceId: businessWorkspace.id, recoveryKey: typedRecoveryKey, next: 'a brand new passphrase' },
    ]);
    expect(wrapper.find('nav').exists()).toBe(true);
  });

  it('a wrong recovery key is named under its field; Back returns to the passphrase', async () => {
    const { wrapper } = await openReset({ 'vault:reset-passphrase': () => fail('wrong_recovery_key', 'no') });

    await wrapper.get('[data-testid="reset-recovery-key"]').setValue(typedRecoveryKey);
    await wrapper.get('[data-testid="reset-passphrase"]').setValue('a brand new passphrase');
    await wrapper.get('[data-testid="reset-passphrase-repeat"]').setValue('a brand new passphrase');
    await click(wrapper, 'reset-submit');
    expect(wrapper.get('[data-testid="reset-recovery-key-error"]').text()).toBe(en.errors.wrong_recovery_key);

    await click(wrapper, 'reset-cancel');
    expect(wrapper.find('[data-testid="unlock-passphrase"]').exists()).toBe(true);
  });
});
