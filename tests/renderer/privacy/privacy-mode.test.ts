import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { privacyRootClass, privacyStorageKey } from '../../../renderer/src/stores/privacy';
import { cleanUpAfterEach } from '../support/cleanup';
import { click, mountApp } from '../support/mount-app';

cleanUpAfterEach();

function press(init: KeyboardEventInit) {
  window.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
}

const root = () => document.documentElement.classList;

describe('privacy mode', () => {
  it('is off at first', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });
    expect(root().contains(privacyRootClass)).toBe(false);
    expect(wrapper.get('[data-testid="privacy-toggle"]').attributes('aria-pressed')).toBe('false');
  });

  it('turns on and off with Ctrl+Shift+P (⌘⇧P on a Mac), anywhere in the window', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });

    press({ key: 'P', code: 'KeyP', ctrlKey: true, shiftKey: true });
    await flushPromises();
    expect(root().contains(privacyRootClass)).toBe(true);
    expect(wrapper.get('[data-testid="privacy-toggle"]').attributes('aria-pressed')).toBe('true');
    expect(window.localStorage.getItem(privacyStorageKey)).toBe('on');

    press({ key: 'P', code: 'KeyP', metaKey: true, shiftKey: true });
    await flushPromises();
    expect(root().contains(privacyRootClass)).toBe(false);
    expect(window.localStorage.getItem(privacyStorageKey)).toBeNull();
  });

  it('ignores other keys: Ctrl+P, Ctrl+Alt+Shift+P, Shift+P, a held-down repeat', async () => {
    await mountApp({ locale: 'en' });

    press({ key: 'p', code: 'KeyP', ctrlKey: true });
    press({ key: 'P', code: 'KeyP', ctrlKey: true, shiftKey: true, altKey: true });
    press({ key: 'P', code: 'KeyP', shiftKey: true });
    press({ key: 'P', code: 'KeyP', ctrlKey: true, shiftKey: true, repeat: true });
    await flushPromises();
    expect(root().contains(privacyRootClass)).toBe(false);
  });

  it('does not lock: Ctrl+L stays the lock, and Ctrl+Shift+P is not taken for it', async () => {
    const { frontdesk } = await mountApp({ locale: 'en' });
    press({ key: 'P', code: 'KeyP', ctrlKey: true, shiftKey: true });
    await flushPromises();
    expect(frontdesk.callsTo('vault:lock')).toBe(0);
  });

  it('has a button in the status bar that names the shortcut', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });
    const button = wrapper.get('footer [data-testid="privacy-toggle"]');
    expect(button.attributes('title')).toContain('Ctrl+Shift+P');
    expect(button.attributes('aria-keyshortcuts')).toBe('Control+Shift+P');

    await click(wrapper, 'privacy-toggle');
    expect(root().contains(privacyRootClass)).toBe(true);
    await click(wrapper, 'privacy-toggle');
    expect(root().contains(privacyRootClass)).toBe(false);
  });

  it('is remembered across reloads (a boolean only)', async () => {
    window.localStorage.setItem(privacyStorageKey, 'on');
    const { wrapper } = await mountApp({ locale: 'en' });
    expect(root().contains(privacyRootClass)).toBe(true);
    expect(wrapper.get('[data-testid="privacy-toggle"]').attributes('aria-pressed')).toBe('true');
    wrapper.unmount();
    expect(root().contains(privacyRootClass)).toBe(false);
  });
});
