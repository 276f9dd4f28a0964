import { describe, expect, it } from 'vitest';
import { useFrontdesk } from '../../../renderer/src/composables/use-frontdesk';
import { en } from '../../../renderer/src/i18n/en';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';

cleanUpAfterEach();

describe('useFrontdesk', () => {
  it('returns the bridge installed on window.frontdesk', () => {
    const frontdesk = createFakeFrontdesk().install();

    expect(useFrontdesk()).toBe(frontdesk.api);
  });

  it('without a bridge, answers every call with transport_unavailable instead of throwing', async () => {
    const api = useFrontdesk();

    const result = await api.app.info();

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('transport_unavailable');
    expect(() => api.on('app:tick', () => {})()).not.toThrow();
  });

  it('without a bridge, the window still opens and says it is waiting for core', async () => {
    const { wrapper } = await mountApp({ locale: 'en', bridge: false });

    // No workspace state without core: the waiting screen, not the app (and not a blank page).
    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.get('[data-testid="gate-connecting"]').text()).toContain(en.workspace.gate.connecting);
    expect(wrapper.get('[data-testid="gate-error"]').text()).toContain(en.errors.transport_unavailable);
    expect(wrapper.get('[data-testid="core-status"]').text()).toBe(en.status.waiting);
    expect(wrapper.get('[data-testid="app-info"]').text()).toContain(en.errors.transport_unavailable);
  });
});
