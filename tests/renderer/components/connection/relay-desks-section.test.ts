import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../../shared/ipc/result';
import type { CloudStatus, ConnectionView, RelayDesksView, RequestOf } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../../support/cleanup';
import { connectionView, createFakeFrontdesk } from '../../support/fake-frontdesk';
import type { FakeHandlers } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

const relayView = connectionView({
  configured: true,
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  relayUrl: 'https://relay.example.com',
  hasAccessToken: true,
  hasAppSecret: true,
});

const seen = Date.UTC(2025, 4, 6, 9, 30);
const reception = { id: 'desk-reception-1', name: 'Reception', primary: true, pairedAt: seen - 86_400_000, lastSeenAt: seen };
const backOffice = { id: 'desk-back-office-2', name: 'Back office', primary: false, pairedAt: seen - 3_600_000, lastSeenAt: null };

/** This desk is the back office (not primary); the reception desk is. */
function desksView(desks = [reception, backOffice], thisDeskId = backOffice.id): RelayDesksView {
  return { thisDeskId, desks: desks.map((desk) => ({ ...desk })) };
}

function cloudStatus(relay: CloudStatus['relay']): CloudStatus {
  return { receiver: null, relay, inbox: { received: 0, processed: 0, failed: 0, pending: 0 }, outbox: { offline: false, paused: false, throttledUntil: null } };
}

const pairedRelay: NonNullable<CloudStatus['relay']> = {
  url: 'https://relay.example.com',
  reachable: true,
  backlog: 0,
  primary: false,
  lastContactAt: seen,
  lastError: null,
  rejected: 0,
  missed: 0,
};

async function openSettings(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({
    'connection:get': () => ok(relayView),
    'cloud:status': () => ok(cloudStatus(pairedRelay)),
    'relay:desks': () => ok(desksView()),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path: '/settings' });
  await flushPromises();
  return mounted;
}

const get = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const find = (wrapper: Wrapper, testId: string) => wrapper.find(`[data-testid="${testId}"]`);
const deskRow = (wrapper: Wrapper, id: string) => wrapper.get(`[data-testid="relay-desk"][data-desk-id="${id}"]`);

describe('Settings › Desks', () => {
  it('lists the workspace’s desks after the webhook counters: name, this desk, primary, last seen', async () => {
    const { wrapper, frontdesk } = await openSettings();

    const ids = wrapper.findAll('section.panel').map((section) => section.attributes('data-testid'));
    expect(ids.indexOf('relay-desks-section')).toBe(ids.indexOf('webhook-counters') + 1);
    const section = get(wrapper, 'relay-desks-section');
    expect(section.get('h2').text()).toBe(en.settings.desks.title);
    expect(frontdesk.callsTo('relay:desks')).toBe(1);

    const rows = wrapper.findAll('[data-testid="relay-desk"]');
    expect(rows.map((row) => row.get('[data-testid="relay-desk-name"]').text())).toEqual(['Reception', 'Back office']);
    const front = deskRow(wrapper, reception.id);
    expect(front.find('[data-testid="relay-desk-primary"]').text()).toBe(en.settings.desks.primary);
    expect(front.find('[data-testid="relay-desk-this"]').exists()).toBe(false);
    expect(front.get('[data-testid="relay-desk-last-seen"]').text()).toMatch(/^Last seen .*2025/);
    const mine = deskRow(wrapper, backOffice.id);
    expect(mine.get('[data-testid="relay-desk-this"]').text()).toBe(en.settings.desks.thisDesk);
    expect(mine.find('[data-testid="relay-desk-primary"]').exists()).toBe(false);
    expect(mine.get('[data-testid="relay-desk-last-seen"]').text()).toBe(en.settings.desks.neverSeen);
    expect(front.get('[data-testid="relay-desk-unpair"]').attributes('aria-label')).toBe('Unpair Reception');
    expect(get(wrapper, 'relay-desk-list').attributes('aria-label')).toBe(en.settings.desks.listLabel);

    // "Refresh" reads the list again (last seen changes as desks come and go).
    await click(wrapper, 'relay-desks-refresh');
    expect(frontdesk.callsTo('relay:desks')).toBe(2);
  });

  it('is not there in direct mode, nor in relay mode while this desk is not paired', async () => {
    const direct = await openSettings({ 'connection:get': () => ok({ ...relayView, webhookMode: 'direct', directPort: 8443 }) });
    expect(find(direct.wrapper, 'relay-desks-section').exists()).toBe(false);
    expect(direct.frontdesk.callsTo('relay:desks')).toBe(0);
    direct.wrapper.unmount();

    const unpaired = await openSettings({ 'relay:desks': () => fail('not_connected', 'not paired'), 'cloud:status': () => ok(cloudStatus(null)) });
    expect(unpaired.frontdesk.callsTo('relay:desks')).toBe(1);
    expect(find(unpaired.wrapper, 'relay-desks-section').exists()).toBe(false);
  });

  it('says why when the relay does not answer, and tries again', async () => {
    let attempts = 0;
    const { wrapper } = await openSettings({
      'relay:desks': () => (++attempts === 1 ? fail('relay_unreachable', 'ECONNREFUSED') : ok(desksView())),
    });

    const error = get(wrapper, 'relay-desks-error');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain(en.errors.relay_unreachable);

    await click(wrapper, 'relay-desks-retry');

    expect(find(wrapper, 'relay-desks-error').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="relay-desk"]')).toHaveLength(2);
  });

  it('appears once a save in relay mode has paired this desk, and the pairing code is cleared', async () => {
    let paired = false;
    const { wrapper, frontdesk } = await openSettings({
      'connection:get': () => ok(connectionView()),
      'connection:save': (request: RequestOf<'connection:save'>) => {
        paired = true;
        const saved: ConnectionView = { ...relayView, relayUrl: request.relayUrl };
        return ok(saved);
      },
      'relay:desks': () => (paired ? ok(desksView([{ ...reception, name: 'Front desk' }], reception.id)) : fail('not_connected', 'not paired')),
      'cloud:status': () => ok(cloudStatus(paired ? pairedRelay : null)),
    });
    expect(find(wrapper, 'relay-desks-section').exists()).toBe(false);

    await get(wrapper, 'connection-phone-number-id').setValue('106540352242922');
    await get(wrapper, 'connection-waba-id').setValue('102290129340398');
    await get(wrapper, 'connection-access-token').setValue('EAAGm0PX4ZCpsBAKZCZBzYx7example0token0value');
    await get(wrapper, 'connection-app-secret').setValue('0123456789abcdef0123456789abcdef');
    await get(wrapper, 'connection-relay-url').setValue('http://127.0.0.1:8787');
    await get(wrapper, 'connection-relay-code').setValue('ABCD-EFGH-JKMN-PQRS');
    await click(wrapper, 'connection-save');

    expect(frontdesk.payloadsOf('connection:save')).toMatchObject([{ webhookMode: 'relay', relayUrl: 'http://127.0.0.1:8787', relayPairingCode: 'ABCD-EFGH-JKMN-PQRS' }]);
    expect((get(wrapper, 'connection-relay-code').element as HTMLInputElement).value).toBe('');
    expect(get(wrapper, 'relay-desks-section').text()).toContain('Front desk');
    // This desk is the only one, and primary: no "make primary".
    expect(find(wrapper, 'relay-make-primary').exists()).toBe(false);
  });

  it('shows a refused pairing in words, keeps the code typed, and shows no desks', async () => {
    const { wrapper, frontdesk } = await openSettings({
      'connection:get': () => ok(connectionView()),
      'connection:save': () => fail('relay_pairing_code_invalid', 'The pairing code is not valid'),
      'relay:desks': () => fail('not_connected', 'not paired'),
      'cloud:status': () => ok(cloudStatus(null)),
    });

    await get(wrapper, 'connection-phone-number-id').setValue('106540352242922');
    await get(wrapper, 'connection-waba-id').setValue('102290129340398');
    await get(wrapper, 'connection-access-token').setValue('EAAGm0PX4ZCpsBAKZCZBzYx7example0token0value');
    await get(wrapper, 'connection-app-secret').setValue('0123456789abcdef0123456789abcdef');
    await get(wrapper, 'connection-relay-url').setValue('https://relay.example.com');
    await get(wrapper, 'connection-relay-code').setValue('ABCD-EFGH-JKMN-PQRZ');
    await click(wrapper, 'connection-save');

    expect(frontdesk.callsTo('connection:save')).toBe(1);
    expect(get(wrapper, 'connection-error').text()).toContain(en.errors.relay_pairing_code_invalid);
    expect((get(wrapper, 'connection-relay-code').element as HTMLInputElement).value).toBe('ABCD-EFGH-JKMN-PQRZ');
    expect(find(wrapper, 'relay-desks-section').exists()).toBe(false);
  });
});

describe('Settings › Desks › primary desk', () => {
  it('asks in words before making this desk primary, then shows it primary', async () => {
    const { wrapper, frontdesk } = await openSettings({
      'relay:become-primary': () => ok(desksView([{ ...reception, primary: false }, { ...backOffice, primary: true }])),
    });

    await click(wrapper, 'relay-make-primary');
    const dialog = get(wrapper, 'relay-primary-dialog');
    expect(dialog.attributes('role')).toBe('alertdialog');
    expect(dialog.text()).toContain(en.settings.desks.primaryQuestion);
    expect(get(wrapper, 'relay-primary-explain').text()).toContain('the other desk stops sending them');
    expect(document.activeElement).toBe(get(wrapper, 'relay-primary-confirm').element);
    expect(frontdesk.callsTo('relay:become-primary')).toBe(0);

    await click(wrapper, 'relay-primary-confirm');

    expect(frontdesk.callsTo('relay:become-primary')).toBe(1);
    expect(find(wrapper, 'relay-primary-dialog').exists()).toBe(false);
    expect(deskRow(wrapper, backOffice.id).find('[data-testid="relay-desk-primary"]').exists()).toBe(true);
    expect(deskRow(wrapper, reception.id).find('[data-testid="relay-desk-primary"]').exists()).toBe(false);
    expect(find(wrapper, 'relay-make-primary').exists()).toBe(false);
    expect(get(wrapper, 'relay-desks-notice').text()).toBe(en.settings.desks.primaryDone);
  });

  it('cancelling changes nothing and gives the focus back', async () => {
    const { wrapper, frontdesk } = await openSettings();

    await click(wrapper, 'relay-make-primary');
    await click(wrapper, 'relay-primary-cancel');

    expect(find(wrapper, 'relay-primary-dialog').exists()).toBe(false);
    expect(document.activeElement).toBe(get(wrapper, 'relay-make-primary').element);
    expect(frontdesk.callsTo('relay:become-primary')).toBe(0);
  });

  it('shows the relay’s refusal in words', async () => {
    const { wrapper } = await openSettings({ 'relay:become-primary': () => fail('relay_unreachable', 'timeout') }, 'zh-CN');

    await click(wrapper, 'relay-make-primary');
    await click(wrapper, 'relay-primary-confirm');

    const error = get(wrapper, 'relay-desks-action-error');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain(zhCN.errors.relay_unreachable);
    expect(find(wrapper, 'relay-primary-dialog').exists()).toBe(true);
  });
});

describe('Settings › Desks › unpairing', () => {
  it('unpairs another desk after a confirmation that says it stops receiving messages', async () => {
    let unpaired = false;
    const { wrapper, frontdesk } = await openSettings({
      'relay:unpair': () => {
        unpaired = true;
        return ok(undefined);
      },
      'relay:desks': () => ok(unpaired ? desksView([{ ...backOffice }]) : desksView()),
    });

    await deskRow(wrapper, reception.id).get('[data-testid="relay-desk-unpair"]').trigger('click');
    await flushPromises();
    const dialog = get(wrapper, 'relay-unpair-dialog');
    expect(dialog.attributes('role')).toBe('alertdialog');
    expect(dialog.text()).toContain('Unpair “Reception”?');
    expect(get(wrapper, 'relay-unpair-explain').text()).toBe(en.settings.desks.unpairExplain);
    expect(document.activeElement).toBe(get(wrapper, 'relay-unpair-confirm').element);

    await click(wrapper, 'relay-unpair-confirm');

    expect(frontdesk.payloadsOf('relay:unpair')).toEqual([{ deskId: reception.id }]);
    expect(wrapper.findAll('[data-testid="relay-desk-name"]').map((name) => name.text())).toEqual(['Back office']);
    expect(get(wrapper, 'relay-desks-notice').text()).toBe('“Reception” was unpaired.');
  });

  it('unpairing this desk says it stops receiving messages, and then that it did', async () => {
    const { wrapper, frontdesk } = await openSettings({ 'relay:unpair': () => ok(undefined) });

    await deskRow(wrapper, backOffice.id).get('[data-testid="relay-desk-unpair"]').trigger('click');
    await flushPromises();
    expect(get(wrapper, 'relay-unpair-dialog').text()).toContain(en.settings.desks.unpairSelfQuestion);
    expect(get(wrapper, 'relay-unpair-explain').text()).toBe(en.settings.desks.unpairSelfExplain);

    await click(wrapper, 'relay-unpair-confirm');

    expect(frontdesk.payloadsOf('relay:unpair')).toEqual([{ deskId: backOffice.id }]);
    expect(get(wrapper, 'relay-desks-self-unpaired').text()).toBe(en.settings.desks.selfUnpaired);
    expect(find(wrapper, 'relay-desk-list').exists()).toBe(false);
  });

  it('Escape closes the confirmation without unpairing', async () => {
    const { wrapper, frontdesk } = await openSettings();

    await deskRow(wrapper, reception.id).get('[data-testid="relay-desk-unpair"]').trigger('click');
    await flushPromises();
    await get(wrapper, 'relay-unpair-dialog').trigger('keydown', { key: 'Escape' });
    await flushPromises();

    expect(find(wrapper, 'relay-unpair-dialog').exists()).toBe(false);
    expect(document.activeElement).toBe(deskRow(wrapper, reception.id).get('[data-testid="relay-desk-unpair"]').element);
    expect(frontdesk.callsTo('relay:unpair')).toBe(0);
  });
});

describe('Settings › Desks › link another desk', () => {
  it('finds the desk waiting with the code, asks, and links it on approval', async () => {
    const { wrapper, frontdesk } = await openSettings({
      'relay:link-lookup': () => ok({ deskName: 'Reception 2' }),
      'relay:link-approve': () => ok({ deskName: 'Reception 2' }),
    });
    const input = get(wrapper, 'relay-link-code');
    expect(wrapper.get(`label[for="${input.attributes('id')}"]`).text()).toBe(en.settings.desks.link.code);

    await input.setValue(' 1234 5678 ');
    await click(wrapper, 'relay-link-find');

    expect(frontdesk.payloadsOf('relay:link-lookup')).toEqual([{ code: '12345678' }]);
    const dialog = get(wrapper, 'relay-link-dialog');
    expect(dialog.attributes('role')).toBe('alertdialog');
    expect(get(wrapper, 'relay-link-question').text()).toBe('Link ‘Reception 2’?');
    expect(document.activeElement).toBe(get(wrapper, 'relay-link-approve').element);
    expect(frontdesk.callsTo('relay:link-approve')).toBe(0);

    await click(wrapper, 'relay-link-approve');

    expect(frontdesk.payloadsOf('relay:link-approve')).toEqual([{ code: '12345678' }]);
    expect(find(wrapper, 'relay-link-dialog').exists()).toBe(false);
    const done = get(wrapper, 'relay-link-done');
    expect(done.attributes('role')).toBe('status');
    expect(done.text()).toBe('‘Reception 2’ is linked. On that desk, choose its passphrase to finish.');
    expect((get(wrapper, 'relay-link-code').element as HTMLInputElement).value).toBe('');
    // The list is read again (the new desk shows there).
    expect(frontdesk.callsTo('relay:desks')).toBe(2);
  });

  it('refuses a code that is not 8 digits, naming the field, and sends nothing', async () => {
    const { wrapper, frontdesk } = await openSettings();

    await get(wrapper, 'relay-link-code').setValue('1234');
    await click(wrapper, 'relay-link-find');

    expect(get(wrapper, 'relay-link-code-error').text()).toBe(en.settings.desks.link.codeInvalid);
    expect(get(wrapper, 'relay-link-code').attributes('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(get(wrapper, 'relay-link-code').element);
    expect(frontdesk.callsTo('relay:link-lookup')).toBe(0);
  });

  it('says in words that no desk waits with that code', async () => {
    const { wrapper, frontdesk } = await openSettings({ 'relay:link-lookup': () => fail('relay_link_not_found', 'no such link') });

    await get(wrapper, 'relay-link-code').setValue('1234-5678');
    await click(wrapper, 'relay-link-find');

    const error = get(wrapper, 'relay-link-error');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain(en.errors.relay_link_not_found);
    expect(find(wrapper, 'relay-link-dialog').exists()).toBe(false);
    expect(frontdesk.callsTo('relay:link-approve')).toBe(0);
  });

  it('Cancel drops the found desk without approving', async () => {
    const { wrapper, frontdesk } = await openSettings({ 'relay:link-lookup': () => ok({ deskName: 'Reception 2' }) });

    await get(wrapper, 'relay-link-code').setValue('12345678');
    await click(wrapper, 'relay-link-find');
    await click(wrapper, 'relay-link-cancel');

    expect(find(wrapper, 'relay-link-dialog').exists()).toBe(false);
    expect(document.activeElement).toBe(get(wrapper, 'relay-link-code').element);
    expect(frontdesk.callsTo('relay:link-approve')).toBe(0);
  });
});
