import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../../shared/ipc/result';
import type { DesktopState } from '../../../../shared/ipc/desktop';
import { cleanUpAfterEach } from '../../support/cleanup';
import { createFakeFrontdesk, desktopState } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

const installed = (overrides: Partial<DesktopState> = {}) =>
  desktopState({ launchAtLogin: { supported: true, enabled: false }, update: { status: 'idle', checkedAt: null }, ...overrides });

describe('Settings › This computer', () => {
  it('in a development build: updates are off and launch at login is not offered', async () => {
    const { wrapper } = await mountApp({ locale: 'en', path: '/settings' });
    expect(wrapper.get('[data-testid="update-status"]').text()).toBe('Updates are off in this development build.');
    expect(wrapper.find('[data-testid="check-for-updates"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="launch-at-login"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="desktop-section"]').text()).toContain('Available in the installed app.');
  });

  it('turns launch at login on, showing what the system reports', async () => {
    let enabled = false;
    const frontdesk = createFakeFrontdesk({
      'desktop:state': () => ok(installed()),
      'desktop:set-launch-at-login': (request) => ((enabled = request.enabled), ok(installed({ launchAtLogin: { supported: true, enabled } }))),
    });
    const { wrapper } = await mountApp({ locale: 'en', path: '/settings', frontdesk });
    await wrapper.get('[data-testid="launch-at-login"]').setValue(true);
    await flushPromises();
    expect(frontdesk.payloadsOf('desktop:set-launch-at-login')).toEqual([{ enabled: true }]);
    expect((wrapper.get('[data-testid="launch-at-login"]').element as HTMLInputElement).checked).toBe(true);
  });

  it('follows a download to "Restart to update", with a banner over every page, held back while a message is being sent', async () => {
    const frontdesk = createFakeFrontdesk({ 'desktop:state': () => ok(installed()), 'desktop:restart-to-update': () => ok(undefined) });
    const { wrapper } = await mountApp({ locale: 'en', path: '/settings', frontdesk });
    expect(wrapper.get('[data-testid="update-status"]').text()).toBe('Frontdesk checks for updates when it starts and once a day.');
    expect(wrapper.find('[data-testid="update-banner"]').exists()).toBe(false);

    frontdesk.emit('desktop:state', installed({ update: { status: 'downloading', version: '1.5.0', percent: 40 } }));
    await flushPromises();
    expect(wrapper.get('[data-testid="update-status"]').text()).toBe('Downloading Frontdesk 1.5.0… 40%');

    frontdesk.emit('desktop:state', installed({ update: { status: 'ready', version: '1.5.0', waitingForSends: true } }));
    await flushPromises();
    expect(wrapper.get('[data-testid="update-banner"]').text()).toContain('Frontdesk 1.5.0 is ready to install once the message being sent has gone.');
    expect(wrapper.get('[data-testid="update-banner-restart"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="restart-to-update"]').attributes('disabled')).toBeDefined();

    frontdesk.emit('desktop:state', installed({ update: { status: 'ready', version: '1.5.0', waitingForSends: false } }));
    await flushPromises();
    await click(wrapper, 'update-banner-restart');
    expect(frontdesk.callsTo('desktop:restart-to-update')).toBe(1);
  });

  it('says in words why the restart did not happen', async () => {
    const frontdesk = createFakeFrontdesk({
      'desktop:state': () => ok(installed({ update: { status: 'ready', version: '1.5.0', waitingForSends: false } })),
      'desktop:restart-to-update': () => fail('update_waiting_for_sends', 'A message is being sent'),
    });
    const { wrapper } = await mountApp({ locale: 'en', path: '/settings', frontdesk });
    await click(wrapper, 'restart-to-update');
    expect(wrapper.get('[data-testid="desktop-error"]').text()).toContain('A message is still on its way to WhatsApp. Restart to update once it has gone.');
  });

  it('saves the diagnostics file and names it', async () => {
    const frontdesk = createFakeFrontdesk({ 'desktop:export-diagnostics': () => ok({ fileName: 'frontdesk-diagnostics-2026-11-26.zip' }) });
    const { wrapper } = await mountApp({ locale: 'zh-CN', path: '/settings', frontdesk });
    await click(wrapper, 'export-diagnostics');
    expect(wrapper.get('[data-testid="diagnostics-status"]').text()).toBe('已保存 frontdesk-diagnostics-2026-11-26.zip。');
  });
});

describe('privacy mode from the tray', () => {
  it('the tray menu toggles it, and main hears every change so its tick matches', async () => {
    const frontdesk = createFakeFrontdesk();
    await mountApp({ locale: 'en', frontdesk });
    expect(frontdesk.payloadsOf('desktop:privacy-mode')).toEqual([{ enabled: false }]);
    frontdesk.emit('desktop:command', { command: 'toggle-privacy-mode' });
    await flushPromises();
    expect(document.documentElement.classList.contains('privacy-mode')).toBe(true);
    expect(frontdesk.payloadsOf('desktop:privacy-mode')).toEqual([{ enabled: false }, { enabled: true }]);
  });
});
