import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fail, ok } from '../../../shared/ipc/result';
import type { AppInfo } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import { useAppStore } from '../../../renderer/src/stores/app';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk, previewInfo } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';

cleanUpAfterEach();

describe('useAppStore', () => {
  it('asks core for app info once, however many places want it', async () => {
    const frontdesk = createFakeFrontdesk().install();
    setActivePinia(createPinia());
    const app = useAppStore();

    await Promise.all([app.load(), app.load()]);
    await app.load();

    expect(app.info).toEqual(previewInfo);
    expect(app.error).toBeNull();
    expect(frontdesk.callsTo('app:info')).toBe(1);
  });

  it('keeps the error of a failed Result and points at its translated sentence', async () => {
    createFakeFrontdesk({ 'app:info': () => fail('transport_unavailable', 'bridge reconnecting') }).install();
    setActivePinia(createPinia());
    const app = useAppStore();

    await app.load();

    expect(app.info).toBeNull();
    expect(app.error?.code).toBe('transport_unavailable');
    expect(app.errorKey).toBe('errors.transport_unavailable');
  });

  it('reads a code this build does not know as the generic failure', async () => {
    const unknown = { ok: false, error: { code: 'from_the_future', message: 'newer core' } } as unknown as Result<AppInfo>;
    createFakeFrontdesk({ 'app:info': () => unknown }).install();
    setActivePinia(createPinia());
    const app = useAppStore();

    await app.load();

    expect(app.errorKey).toBe('errors.internal');
  });
});

describe('app info in the window', () => {
  it('shows name, version, platform and transport in the status bar', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });

    expect(wrapper.get('[data-testid="app-info"]').text()).toBe('Frontdesk 0.1.0 · linux · preview');
  });

  it('shows a failure as a translated sentence, with the code only beside it', async () => {
    const frontdesk = createFakeFrontdesk({ 'app:info': () => fail('forbidden_sender', 'sender frame not allowed') });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    const text = wrapper.get('[data-testid="app-info"]').text();
    expect(text).toContain(en.errors.forbidden_sender);
    expect(text).toContain('Error code: forbidden_sender');
    expect(text).not.toContain('sender frame not allowed');
  });

  it('shows the same failure in Chinese when the UI is in Chinese', async () => {
    const frontdesk = createFakeFrontdesk({ 'app:info': () => fail('internal', 'stack trace here') });
    const { wrapper } = await mountApp({ frontdesk, locale: 'zh-CN' });

    const text = wrapper.get('[data-testid="app-info"]').text();
    expect(text).toContain(zhCN.errors.internal);
    expect(text).not.toContain(en.errors.internal);
  });

  it('treats a transport that throws as core being unreachable', async () => {
    const frontdesk = createFakeFrontdesk({ 'app:info': () => Promise.reject(new Error('socket closed')) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    expect(wrapper.get('[data-testid="app-info"]').text()).toContain(en.errors.transport_unavailable);
    expect(wrapper.get('[data-testid="core-status"]').text()).toBe(en.status.waiting);
  });

  it('asks again when core starts ticking after being unreachable', async () => {
    let attempts = 0;
    const frontdesk = createFakeFrontdesk({
      'app:info': () => (++attempts === 1 ? fail('transport_unavailable', 'not yet') : ok(previewInfo)),
    });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });
    expect(wrapper.get('[data-testid="app-info"]').text()).toContain(en.errors.transport_unavailable);

    frontdesk.emit('app:tick', { at: Date.now(), seq: 0 });
    await flushPromises();

    expect(wrapper.get('[data-testid="app-info"]').text()).toBe('Frontdesk 0.1.0 · linux · preview');
    expect(attempts).toBe(2);
  });

  it('lists the facts in Settings › About, translated', async () => {
    const { wrapper } = await mountApp({ locale: 'en', path: '/settings' });

    expect(wrapper.get('[data-testid="about-name"]').text()).toBe('Frontdesk');
    expect(wrapper.get('[data-testid="about-version"]').text()).toBe('0.1.0');
    expect(wrapper.get('[data-testid="about-platform"]').text()).toBe('Linux');
    expect(wrapper.get('[data-testid="about-transport"]').text()).toBe('Preview in a browser');
  });

  it('lets the user try again from Settings › About after a failure', async () => {
    let attempts = 0;
    const frontdesk = createFakeFrontdesk({
      'app:info': () => (++attempts === 1 ? fail('internal', 'boom') : ok({ ...previewInfo, platform: 'win32', transport: 'electron' })),
    });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en', path: '/settings' });
    expect(wrapper.get('[data-testid="about-error"]').text()).toContain(en.errors.internal);

    await wrapper.get('[data-testid="about-error"] button').trigger('click');
    await flushPromises();

    expect(wrapper.find('[data-testid="about-error"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="about-platform"]').text()).toBe('Windows');
    expect(wrapper.get('[data-testid="about-transport"]').text()).toBe('Desktop app');
    expect(wrapper.get('[data-testid="app-info"]').text()).toBe('Frontdesk 0.1.0 · win32 · electron');
  });
});
