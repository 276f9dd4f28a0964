import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { HealthState } from '../../../../shared/ipc/contract';
import { ok } from '../../../../shared/ipc/result';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import { useHealthStore } from '../../../../renderer/src/stores/health';
import { cleanUpAfterEach } from '../../support/cleanup';
import { createFakeFrontdesk, demoWorkspace, healthState, unlockedState } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

const alert = { type: 'ACCOUNT_RESTRICTION', severity: 'CRITICAL', description: 'Your account is restricted from messaging.', at: 1_700_000_000_000 };

/** Each banner, the state that raises it, its role and the English text it must contain. */
const banners: [testId: string, problem: Partial<HealthState>, role: string, text: string][] = [
  ['health-offline', { offline: true }, 'status', 'Offline — messages wait in the outbox and go out when the connection is back'],
  [
    'health-token',
    { tokenRejected: true },
    'alert',
    'Meta refused the access token (190). Sending is paused: enter a new token in Settings › WhatsApp connection',
  ],
  ['health-webhooks', { webhooksSilent: true }, 'status', 'No webhook from Meta for 15 minutes although replies were sent — check the tunnel or relay'],
  ['health-relay', { relayUnreachable: true }, 'status', 'The relay has not answered for over a minute'],
  ['health-quality', { qualityRating: 'YELLOW' }, 'status', 'Meta rates this number’s quality YELLOW —'],
  ['health-quality', { qualityRating: 'RED' }, 'status', 'Meta rates this number’s quality RED —'],
  ['health-alert', { alerts: [alert] }, 'status', 'CRITICAL'],
];

const testIds = ['health-offline', 'health-token', 'health-webhooks', 'health-relay', 'health-quality', 'health-alert'];

function shown(wrapper: Awaited<ReturnType<typeof mountApp>>['wrapper']): string[] {
  return testIds.filter((testId) => wrapper.find(`[data-testid="${testId}"]`).exists());
}

describe('health banners', () => {
  it('shows nothing when all is clear, after asking core once', async () => {
    const { wrapper, frontdesk } = await mountApp({ locale: 'en' });

    expect(frontdesk.callsTo('health:get')).toBe(1);
    expect(shown(wrapper)).toEqual([]);
    expect(wrapper.find('[data-testid="health-banners"]').exists()).toBe(false);
  });

  it('shows nothing for a GREEN or unknown quality rating', async () => {
    const frontdesk = createFakeFrontdesk({ 'health:get': () => ok(healthState({ qualityRating: 'GREEN' })) });
    const { wrapper } = await mountApp({ locale: 'en', frontdesk });
    expect(shown(wrapper)).toEqual([]);

    frontdesk.emit('health:state', healthState({ qualityRating: 'UNKNOWN' }));
    await flushPromises();
    expect(shown(wrapper)).toEqual([]);
  });

  it.each(banners)('%s appears from the health:get answer (%o)', async (testId, problem, role, text) => {
    const frontdesk = createFakeFrontdesk({ 'health:get': () => ok(healthState(problem)) });
    const { wrapper } = await mountApp({ locale: 'en', frontdesk });

    expect(shown(wrapper)).toEqual([testId]);
    const banner = wrapper.get(`[data-testid="${testId}"]`);
    expect(banner.attributes('role')).toBe(role);
    expect(banner.text()).toContain(text);
    // Outside the page content, so it stays whatever the page.
    expect(wrapper.find(`main [data-testid="${testId}"]`).exists()).toBe(false);
  });

  it.each(banners)('%s appears from a pushed health:state and goes when it clears (%o)', async (testId, problem, role, text) => {
    const { wrapper, frontdesk } = await mountApp({ locale: 'en' });
    expect(shown(wrapper)).toEqual([]);

    frontdesk.emit('health:state', healthState(problem));
    await flushPromises();
    expect(shown(wrapper)).toEqual([testId]);
    expect(wrapper.get(`[data-testid="${testId}"]`).attributes('role')).toBe(role);
    expect(wrapper.get(`[data-testid="${testId}"]`).text()).toContain(text);

    frontdesk.emit('health:state', healthState());
    await flushPromises();
    expect(shown(wrapper)).toEqual([]);
  });

  it('shows one banner per problem and one per alert, with its severity and description', async () => {
    const second = { type: 'DISPLAY_NAME', severity: 'WARNING', description: null, at: 1_699_000_000_000 };
    const frontdesk = createFakeFrontdesk({
      'health:get': () => ok({ offline: true, tokenRejected: true, webhooksSilent: true, relayUnreachable: true, qualityRating: 'RED', alerts: [alert, second] }),
    });
    const { wrapper } = await mountApp({ locale: 'en', frontdesk });

    expect(shown(wrapper)).toEqual(testIds);
    const alerts = wrapper.findAll('[data-testid="health-alert"]');
    expect(alerts.map((banner) => banner.text())).toEqual([
      'Meta account alert (CRITICAL): Your account is restricted from messaging.',
      'Meta account alert (WARNING): DISPLAY_NAME',
    ]);
  });

  it('sits under the DEMO banner, outside main', async () => {
    const frontdesk = createFakeFrontdesk({
      'workspace:state': () => ok(unlockedState(demoWorkspace)),
      'health:get': () => ok(healthState({ offline: true })),
    });
    const { wrapper } = await mountApp({ locale: 'en', frontdesk });

    const demo = wrapper.get('[data-testid="demo-banner"]').element;
    const offline = wrapper.get('[data-testid="health-offline"]').element;
    expect(demo.compareDocumentPosition(offline) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('keeps a state pushed while health:get was in flight', async () => {
    let answer: (value: ReturnType<typeof ok<HealthState>>) => void = () => {};
    const frontdesk = createFakeFrontdesk({ 'health:get': () => new Promise((resolve) => (answer = resolve)) });
    const { wrapper } = await mountApp({ locale: 'en', frontdesk });

    frontdesk.emit('health:state', healthState({ offline: true }));
    answer(ok(healthState()));
    await flushPromises();

    expect(shown(wrapper)).toEqual(['health-offline']);
  });

  it('links the refused-token banner to the WhatsApp connection settings', async () => {
    const frontdesk = createFakeFrontdesk({ 'health:get': () => ok(healthState({ tokenRejected: true })) });
    const { wrapper } = await mountApp({ locale: 'en', frontdesk, path: '/inbox' });

    const link = wrapper.get('[data-testid="health-token"] a');
    expect(link.attributes('href')).toBe('#/settings');
    expect(link.text()).toBe(en.health.openSettings);

    await click(wrapper, 'health-token-settings');

    expect(window.location.hash).toBe('#/settings');
    expect(wrapper.get('main [data-testid="page-title"]').text()).toBe(en.nav.settings);
  });

  it('links the relay banner to Settings, where the Webhooks panel shows the relay', async () => {
    const frontdesk = createFakeFrontdesk({ 'health:get': () => ok(healthState({ relayUnreachable: true })) });
    const { wrapper } = await mountApp({ locale: 'en', frontdesk, path: '/inbox' });

    expect(wrapper.get('[data-testid="health-relay"]').text()).toContain(en.health.relayUnreachable);

    await click(wrapper, 'health-relay-settings');

    expect(window.location.hash).toBe('#/settings');
    expect(wrapper.find('main [data-testid="webhook-counters"]').exists()).toBe(true);
  });

  it('speaks Simplified Chinese when the locale is zh-CN', async () => {
    const frontdesk = createFakeFrontdesk({
      'health:get': () => ok({ offline: true, tokenRejected: true, webhooksSilent: true, relayUnreachable: true, qualityRating: 'YELLOW', alerts: [alert] }),
    });
    const { wrapper } = await mountApp({ locale: 'zh-CN', frontdesk });

    expect(wrapper.get('[data-testid="health-offline"]').text()).toBe(zhCN.health.offline);
    expect(wrapper.get('[data-testid="health-token"]').text()).toContain(zhCN.health.tokenRejected);
    expect(wrapper.get('[data-testid="health-token"] a').text()).toBe(zhCN.health.openSettings);
    expect(wrapper.get('[data-testid="health-webhooks"]').text()).toBe(zhCN.health.webhooksSilent);
    expect(wrapper.get('[data-testid="health-relay"]').text()).toContain(zhCN.health.relayUnreachable);
    expect(wrapper.get('[data-testid="health-quality"]').text()).toContain('Meta 将此号码的质量评为 YELLOW');
    expect(wrapper.get('[data-testid="health-alert"]').text()).toBe(`Meta 账户提醒（CRITICAL）：${alert.description}`);
  });

  it('unsubscribes from health:state when the store is disposed', async () => {
    const { frontdesk, pinia } = await mountApp({ locale: 'en' });
    expect(frontdesk.listenerCount('health:state')).toBe(1);

    useHealthStore(pinia).$dispose();

    expect(frontdesk.listenerCount('health:state')).toBe(0);
  });
});
