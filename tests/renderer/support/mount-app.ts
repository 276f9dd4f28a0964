import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '../../../renderer/src/App.vue';
import { createAppI18n } from '../../../renderer/src/i18n';
import { loadSavedLocale } from '../../../renderer/src/i18n/locales';
import type { AppLocale } from '../../../renderer/src/i18n/locales';
import { createAppRouter } from '../../../renderer/src/router';
import { createFakeFrontdesk } from './fake-frontdesk';
import type { FakeFrontdesk } from './fake-frontdesk';

export interface MountAppOptions {
  frontdesk?: FakeFrontdesk;
  /** false: no `window.frontdesk` at all, as when the page is opened without the preload or bridge. */
  bridge?: boolean;
  /** Omit to start the way main.ts does: the remembered language, else the system's. */
  locale?: AppLocale;
  /** The hash path to open, e.g. `/settings`; the app starts at `/` otherwise. */
  path?: string;
}

/** The whole app as main.ts builds it (hash router, Pinia, i18n), over a fake `window.frontdesk`. */
export async function mountApp(options: MountAppOptions = {}) {
  const frontdesk = options.frontdesk ?? createFakeFrontdesk();
  if (options.bridge !== false) frontdesk.install();
  window.history.replaceState(null, '', `/#${options.path ?? '/'}`);

  const pinia = createPinia();
  const i18n = createAppI18n(options.locale ?? loadSavedLocale());
  const router = createAppRouter();
  await router.push(options.path ?? '/');
  await router.isReady();

  const wrapper = mount(App, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, frontdesk, router, pinia, i18n };
}

/** Clicks the way a user does, then lets the router and the stores settle. */
export async function click(wrapper: Awaited<ReturnType<typeof mountApp>>['wrapper'], testId: string) {
  // A page loaded on demand (statistics) finishes its navigation only once its module has loaded.
  const router = wrapper.vm.$router;
  let navigation: Promise<void> | null = null;
  const stopWatching = router.beforeEach(() => {
    navigation ??= new Promise((resolve) => {
      const stop = router.afterEach(() => {
        stop();
        resolve();
      });
    });
  });
  await wrapper.get(`[data-testid="${testId}"]`).trigger('click');
  await flushPromises();
  stopWatching();
  if (navigation) await navigation;
  await flushPromises();
}
