import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../../shared/ipc/result';
import type { Result } from '../../../../shared/ipc/result';
import type { ConnectionView, RequestOf } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import type { AppLocale } from '../../../../renderer/src/i18n/locales';
import { cleanUpAfterEach } from '../../support/cleanup';
import { connectionView, createFakeFrontdesk, demoWorkspace, lockedState, unlockedState } from '../../support/fake-frontdesk';
import type { FakeHandlers } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

const token = 'EAAGm0PX4ZCpsBAKZCZBzYx7example0token0value';
const secret = '0123456789abcdef0123456789ABCDEF';

/** A number connected and saved, with both secrets stored, not tested yet. */
const savedView = connectionView({
  configured: true,
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  appId: '',
  relayUrl: 'https://relay.example.com/frontdesk',
  hasAccessToken: true,
  hasAppSecret: true,
});

const harbourPhone = { displayPhoneNumber: '+1 555-0100', verifiedName: 'Harbour Clinic', qualityRating: 'GREEN', checkedAt: Date.UTC(2025, 4, 6, 9, 30) };

/** Core's side of save: keeps the settings, marks the secrets set, never sends them back. */
function saveLike(previous: ConnectionView) {
  return (request: RequestOf<'connection:save'>): Result<ConnectionView> =>
    ok({
      ...previous,
      configured: true,
      phoneNumberId: request.phoneNumberId,
      wabaId: request.wabaId,
      appId: request.appId,
      graphVersion: request.graphVersion,
      webhookMode: request.webhookMode,
      directPort: request.directPort,
      relayUrl: request.relayUrl,
      hasAccessToken: previous.hasAccessToken || request.accessToken !== undefined,
      hasAppSecret: previous.hasAppSecret || request.appSecret !== undefined,
      phone: null,
    });
}

async function openSettings(handlers: FakeHandlers = {}, locale: AppLocale = 'en') {
  const frontdesk = createFakeFrontdesk(handlers);
  return mountApp({ frontdesk, locale, path: '/settings' });
}

const field = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const errorOf = (wrapper: Wrapper, testId: string) => wrapper.find(`[data-testid="${testId}-error"]`);
const valueOf = (wrapper: Wrapper, testId: string) => (field(wrapper, testId).element as HTMLInputElement).value;

async function fill(wrapper: Wrapper, values: Record<string, string>) {
  for (const [testId, value] of Object.entries(values)) await field(wrapper, testId).setValue(value);
}

describe('Settings › WhatsApp connection', () => {
  it('comes first in Settings, with the stored values and v25.0 by default', async () => {
    const { wrapper, frontdesk } = await openSettings({ 'connection:get': () => ok(savedView) });

    const sections = wrapper.findAll('section.panel');
    expect(sections[0]!.attributes('data-testid')).toBe('connection-section');
    expect(sections[0]!.get('h2').text()).toBe(en.settings.connection.title);
    expect(frontdesk.callsTo('connection:get')).toBe(1);

    expect(valueOf(wrapper, 'connection-phone-number-id')).toBe('106540352242922');
    expect(valueOf(wrapper, 'connection-waba-id')).toBe('102290129340398');
    expect(valueOf(wrapper, 'connection-graph-version')).toBe('v25.0');
    expect((field(wrapper, 'connection-webhook-mode').element as HTMLSelectElement).value).toBe('relay');
    expect(field(wrapper, 'connection-webhook-mode').findAll('option').map((option) => option.text())).toEqual([
      en.settings.connection.modes.relay,
      en.settings.connection.modes.direct,
    ]);
    expect(valueOf(wrapper, 'connection-relay-url')).toBe('https://relay.example.com/frontdesk');
    expect(field(wrapper, 'connection-status').text()).toBe(en.settings.connection.notTested);
  });

  it('shows whether the token and app secret are set, never their values', async () => {
    const { wrapper } = await openSettings({ 'connection:get': () => ok({ ...savedView, hasAppSecret: false }) });

    const tokenInput = field(wrapper, 'connection-access-token');
    expect(tokenInput.attributes('type')).toBe('password');
    expect(valueOf(wrapper, 'connection-access-token')).toBe('');
    expect(tokenInput.attributes('placeholder')).toBe(en.settings.connection.placeholderSet);
    expect(wrapper.text()).toContain(en.settings.connection.accessTokenSet);

    const secretInput = field(wrapper, 'connection-app-secret');
    expect(secretInput.attributes('type')).toBe('password');
    expect(secretInput.attributes('placeholder')).toBe(en.settings.connection.placeholderNotSet);
    expect(wrapper.text()).toContain(en.settings.connection.appSecretNotSet);
  });

  it('names every wrong field under it and sends nothing', async () => {
    const { wrapper, frontdesk } = await openSettings();
    const problems = en.settings.connection.problems;

    await fill(wrapper, {
      'connection-phone-number-id': '+1 555 0100',
      'connection-app-id': 'my-app',
      'connection-graph-version': '25',
      'connection-access-token': 'short',
      'connection-app-secret': 'not-hex-at-all',
      'connection-relay-url': 'http://relay.example.com',
    });
    await click(wrapper, 'connection-save');

    expect(errorOf(wrapper, 'connection-phone-number-id').text()).toBe(problems.digits);
    expect(errorOf(wrapper, 'connection-waba-id').text()).toBe(problems.idRequired);
    expect(errorOf(wrapper, 'connection-app-id').text()).toBe(problems.digits);
    expect(errorOf(wrapper, 'connection-graph-version').text()).toBe(problems.version);
    expect(errorOf(wrapper, 'connection-access-token').text()).toBe(problems.tokenShort);
    expect(errorOf(wrapper, 'connection-app-secret').text()).toBe(problems.hex32);
    expect(errorOf(wrapper, 'connection-relay-url').text()).toBe(problems.https);
    expect(field(wrapper, 'connection-phone-number-id').attributes('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field(wrapper, 'connection-phone-number-id').element);

    // Fixing a field hides its problem only.
    await fill(wrapper, { 'connection-phone-number-id': '106540352242922' });
    expect(errorOf(wrapper, 'connection-phone-number-id').exists()).toBe(false);
    expect(errorOf(wrapper, 'connection-waba-id').exists()).toBe(true);

    // Direct mode: the port must be in range.
    await field(wrapper, 'connection-webhook-mode').setValue('direct');
    await fill(wrapper, { 'connection-direct-port': '80' });
    await click(wrapper, 'connection-save');
    expect(errorOf(wrapper, 'connection-direct-port').text()).toBe(problems.port);

    // "Test connection" on a changed form saves first, so it checks first too.
    await click(wrapper, 'connection-test');

    expect(frontdesk.callsTo('connection:save')).toBe(0);
    expect(frontdesk.callsTo('connection:test')).toBe(0);
  });

  it('asks for the token and app secret when none is stored', async () => {
    const { wrapper, frontdesk } = await openSettings();

    await fill(wrapper, {
      'connection-phone-number-id': '106540352242922',
      'connection-waba-id': '102290129340398',
      'connection-relay-url': 'https://relay.example.com/frontdesk',
    });
    await click(wrapper, 'connection-save');

    expect(errorOf(wrapper, 'connection-access-token').text()).toBe(en.settings.connection.problems.tokenRequired);
    expect(errorOf(wrapper, 'connection-app-secret').text()).toBe(en.settings.connection.problems.secretRequired);
    expect(frontdesk.callsTo('connection:save')).toBe(0);
  });

  it('sends only the secrets that were typed, then empties their fields', async () => {
    const { wrapper, frontdesk } = await openSettings({ 'connection:get': () => ok(savedView), 'connection:save': saveLike(savedView) });

    await fill(wrapper, { 'connection-waba-id': ' 102290129340399 ', 'connection-app-secret': secret });
    await click(wrapper, 'connection-save');

    expect(frontdesk.payloadsOf('connection:save')).toEqual([
      {
        phoneNumberId: '106540352242922',
        wabaId: '102290129340399',
        appId: '',
        graphVersion: 'v25.0',
        webhookMode: 'relay',
        directPort: null,
        relayUrl: 'https://relay.example.com/frontdesk',
        appSecret: secret,
      },
    ]);
    expect(valueOf(wrapper, 'connection-app-secret')).toBe('');
    expect(valueOf(wrapper, 'connection-waba-id')).toBe('102290129340399');
    expect(field(wrapper, 'connection-saved').text()).toBe(en.settings.connection.saved);

    // Both typed this time, with the relay's pairing code — which offers a name for this desk.
    expect(wrapper.find('[data-testid="connection-relay-desk-name"]').exists()).toBe(false);
    await fill(wrapper, { 'connection-access-token': ` ${token} `, 'connection-app-secret': secret, 'connection-relay-code': 'PAIR-7421' });
    await fill(wrapper, { 'connection-relay-desk-name': ' Reception ' });
    expect(field(wrapper, 'connection-saved').text()).toBe('');
    await click(wrapper, 'connection-save');

    const second = frontdesk.payloadsOf('connection:save')[1]!;
    expect(second.accessToken).toBe(token);
    expect(second.appSecret).toBe(secret);
    expect(second.relayPairingCode).toBe('PAIR-7421');
    expect(second.relayDeskName).toBe('Reception');
  });

  it('puts core’s refusal of a field under that field', async () => {
    const { wrapper } = await openSettings({
      'connection:get': () => ok(savedView),
      'connection:save': () => fail('invalid_request', 'Invalid request', [{ path: 'appId', message: 'digits only' }]),
    });

    await fill(wrapper, { 'connection-app-id': '1234567890' });
    await click(wrapper, 'connection-save');

    expect(errorOf(wrapper, 'connection-app-id').text()).toBe(en.settings.connection.problems.digits);
    expect(wrapper.find('[data-testid="connection-error"]').exists()).toBe(false);
    expect(document.activeElement).toBe(field(wrapper, 'connection-app-id').element);
  });

  it('is disabled while core answers', async () => {
    let answer: (result: Result<ConnectionView>) => void = () => {};
    const { wrapper } = await openSettings({
      'connection:get': () => ok(savedView),
      'connection:save': () => new Promise((resolve) => (answer = resolve)),
    });

    await fill(wrapper, { 'connection-waba-id': '102290129340399' });
    await click(wrapper, 'connection-save');

    expect(field(wrapper, 'connection-save').text()).toBe(en.settings.connection.saving);
    for (const testId of ['connection-save', 'connection-test', 'connection-waba-id', 'connection-access-token', 'connection-webhook-mode']) {
      expect(field(wrapper, testId).attributes('disabled'), testId).toBeDefined();
    }

    answer(ok({ ...savedView, wabaId: '102290129340399' }));
    await flushPromises();

    expect(field(wrapper, 'connection-save').attributes('disabled')).toBeUndefined();
    expect(field(wrapper, 'connection-save').text()).toBe(en.settings.connection.save);
  });
});

describe('Settings › WhatsApp connection › Test connection', () => {
  it('shows the verified name, number and quality after a successful test', async () => {
    const { wrapper, frontdesk } = await openSettings({
      'connection:get': () => ok(savedView),
      'connection:test': () => ok({ ...savedView, phone: harbourPhone }),
    });

    await click(wrapper, 'connection-test');

    expect(frontdesk.callsTo('connection:save')).toBe(0);
    expect(frontdesk.callsTo('connection:test')).toBe(1);
    const status = field(wrapper, 'connection-status');
    expect(status.text()).toContain('Connected: Harbour Clinic · +1 555-0100 · quality GREEN');
    expect(status.attributes('role')).toBe('status');
    expect(wrapper.find('[data-testid="connection-error"]').exists()).toBe(false);
  });

  it('saves a changed form first, then tests', async () => {
    const { wrapper, frontdesk } = await openSettings({
      'connection:get': () => ok(savedView),
      'connection:save': saveLike(savedView),
      'connection:test': () => ok({ ...savedView, appId: '987654321012345', phone: harbourPhone }),
    });

    await fill(wrapper, { 'connection-app-id': '987654321012345' });
    await click(wrapper, 'connection-test');

    expect(frontdesk.calls.map((call) => call.channel).filter((channel) => channel.startsWith('connection:'))).toEqual([
      'connection:get',
      'connection:save',
      'connection:test',
    ]);
    expect(frontdesk.payloadsOf('connection:save')[0]!.appId).toBe('987654321012345');
    expect(field(wrapper, 'connection-status').text()).toContain('Harbour Clinic');
  });

  it('says in words that Meta refused the token, with Meta’s code and reason', async () => {
    const reason = 'Error validating access token: Session has expired on Tuesday, 06-May-25 09:00:00 PDT.';
    const { wrapper } = await openSettings({
      'connection:get': () => ok(savedView),
      'connection:test': () => fail('meta_auth_failed', reason, undefined, undefined, 190),
    });

    await click(wrapper, 'connection-test');

    const error = field(wrapper, 'connection-error');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain(en.errors.meta_auth_failed);
    expect(error.text()).toContain(`(190: ${reason})`);
    expect(error.text().indexOf(en.errors.meta_auth_failed)).toBeLessThan(error.text().indexOf('(190:'));
    expect(field(wrapper, 'connection-status').text()).toBe(en.settings.connection.notTested);
  });

  it('does not repeat Meta’s number when the reason already starts with it', async () => {
    const { wrapper } = await openSettings({
      'connection:get': () => ok(savedView),
      'connection:test': () => fail('meta_auth_failed', '190: the access token has expired', undefined, undefined, 190),
    });

    await click(wrapper, 'connection-test');

    expect(field(wrapper, 'meta-reason').text()).toBe('(190: the access token has expired)');
  });

  it('says it in Chinese too', async () => {
    const { wrapper } = await openSettings(
      {
        'connection:get': () => ok(savedView),
        'connection:test': () => fail('meta_not_found', 'Unsupported get request. Object with ID does not exist', undefined, undefined, 100),
      },
      'zh-CN',
    );

    await click(wrapper, 'connection-test');

    const text = field(wrapper, 'connection-error').text();
    expect(text).toContain(zhCN.errors.meta_not_found);
    expect(text).toContain('（100：Unsupported get request. Object with ID does not exist）');
    expect(field(wrapper, 'connection-test').text()).toBe(zhCN.settings.connection.test);
  });

  it('shows no Meta reason for an error that is not Meta’s', async () => {
    const { wrapper } = await openSettings({ 'connection:test': () => fail('not_connected', 'No number is connected') });

    await click(wrapper, 'connection-test');

    expect(field(wrapper, 'connection-error').text()).toContain(en.errors.not_connected);
    expect(wrapper.find('[data-testid="meta-reason"]').exists()).toBe(false);
  });

  it('waits as long as Meta asks before testing again', async () => {
    const { wrapper } = await openSettings({
      'connection:get': () => ok(savedView),
      'connection:test': () => ({ ok: false, error: { code: 'meta_throttled', message: 'Too many calls', metaCode: 80007, retryAfterMs: 30_000 } }),
    });

    await click(wrapper, 'connection-test');

    expect(field(wrapper, 'connection-countdown').text()).toBe('Meta asks Frontdesk to wait: you can test again in 30 s.');
    expect(field(wrapper, 'connection-test').attributes('disabled')).toBeDefined();
  });
});

describe('Settings › WhatsApp connection › webhooks', () => {
  it('direct mode shows the callback path and the verify token to paste into Meta’s dashboard', async () => {
    const { wrapper } = await openSettings({
      'connection:get': () => ok({ ...savedView, webhookMode: 'direct', directPort: 8443, relayUrl: '' }),
    });

    expect(valueOf(wrapper, 'connection-direct-port')).toBe('8443');
    expect(wrapper.find('[data-testid="connection-relay-url"]').exists()).toBe(false);
    expect(field(wrapper, 'connection-callback-path').text()).toBe('/webhooks/meta');
    expect(field(wrapper, 'connection-verify-token').text()).toBe('fd-verify-3f9a1c7e52b04d68');
    const details = field(wrapper, 'connection-direct-details');
    expect(details.text()).toContain('App Dashboard › WhatsApp › Configuration');
    expect(details.text()).toContain('https://frontdesk.example.com/webhooks/meta');
    expect(wrapper.find('[data-testid="connection-copy-callback-path"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="connection-copy-verify-token"]').exists()).toBe(true);
  });

  it('switching to direct shows the port and the dashboard details, and sends the port', async () => {
    const { wrapper, frontdesk } = await openSettings({ 'connection:get': () => ok(savedView), 'connection:save': saveLike(savedView) });
    expect(wrapper.find('[data-testid="connection-verify-token"]').exists()).toBe(false);

    await field(wrapper, 'connection-webhook-mode').setValue('direct');
    expect(field(wrapper, 'connection-verify-token').text()).toBe('fd-verify-3f9a1c7e52b04d68');
    expect(wrapper.find('[data-testid="connection-relay-code"]').exists()).toBe(false);

    await fill(wrapper, { 'connection-direct-port': '8443' });
    await click(wrapper, 'connection-save');

    expect(frontdesk.payloadsOf('connection:save')).toMatchObject([{ webhookMode: 'direct', directPort: 8443, relayUrl: 'https://relay.example.com/frontdesk' }]);
  });

  it('copies the verify token', async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (text: string) => void copied.push(text) }, configurable: true });
    const { wrapper } = await openSettings({ 'connection:get': () => ok({ ...savedView, webhookMode: 'direct', directPort: 8443 }) });

    await click(wrapper, 'connection-copy-verify-token');

    expect(copied).toEqual(['fd-verify-3f9a1c7e52b04d68']);
    expect(field(wrapper, 'connection-copy-status').text()).toBe(en.settings.connection.copied);
  });
});

describe('Settings › WhatsApp connection › workspace', () => {
  it('notes that the demo’s number is simulated', async () => {
    const { wrapper } = await openSettings({ 'workspace:state': () => ok(unlockedState(demoWorkspace)) });

    expect(field(wrapper, 'connection-demo-note').text()).toBe(en.settings.connection.demoNote);
  });

  it('a failed load says why and tries again', async () => {
    let attempts = 0;
    const { wrapper } = await openSettings({
      'connection:get': () => (++attempts === 1 ? fail('internal', 'boom') : ok(savedView)),
    });
    expect(field(wrapper, 'connection-error').text()).toContain(en.errors.internal);

    await click(wrapper, 'connection-retry');

    expect(wrapper.find('[data-testid="connection-error"]').exists()).toBe(false);
    expect(valueOf(wrapper, 'connection-phone-number-id')).toBe('106540352242922');
  });

  it('forgets what core said when the window locks', async () => {
    const { wrapper, frontdesk, pinia } = await openSettings({ 'connection:get': () => ok(savedView) });
    const { useConnectionStore } = await import('../../../../renderer/src/stores/connection');
    const store = useConnectionStore(pinia);
    expect(store.view?.phoneNumberId).toBe('106540352242922');

    frontdesk.emit('workspace:state', lockedState());
    await flushPromises();

    expect(store.view).toBeNull();
    expect(wrapper.find('[data-testid="connection-section"]').exists()).toBe(false);
  });
});
