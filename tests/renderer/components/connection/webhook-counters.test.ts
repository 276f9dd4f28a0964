import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { ok } from '../../../../shared/ipc/result';
import type { CloudStatus } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../../support/cleanup';
import { createFakeFrontdesk } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

function statusWith(accepted: number, processed: number): CloudStatus {
  return {
    receiver: { localUrl: 'http://127.0.0.1:8443/webhooks/whatsapp', received: accepted + 1, accepted, rejected: 1 },
    relay: null,
    inbox: { received: accepted, processed, failed: 0, pending: accepted - processed },
    outbox: { offline: true, paused: false, throttledUntil: null },
  };
}

type Relay = NonNullable<CloudStatus['relay']>;

/** Relay mode: no local receiver, the relay's line as core reports it, changed by `overrides`. */
function relayStatus(overrides: Partial<Relay> = {}): CloudStatus {
  return {
    receiver: null,
    relay: {
      url: 'https://relay.example.com',
      reachable: true,
      backlog: 0,
      primary: true,
      lastContactAt: Date.UTC(2025, 4, 6, 9, 30, 15),
      lastError: null,
      rejected: 0,
      missed: 0,
      ...overrides,
    },
    inbox: { received: 5, processed: 5, failed: 0, pending: 0 },
    outbox: { offline: false, paused: false, throttledUntil: null },
  };
}

async function openWebhooks(current: () => CloudStatus, locale: 'en' | 'zh-CN' = 'en') {
  const mounted = await mountApp({ frontdesk: createFakeFrontdesk({ 'cloud:status': () => ok(current()) }), locale });
  await click(mounted.wrapper, 'nav-settings');
  await flushPromises();
  const find = (id: string) => mounted.wrapper.find(`[data-testid="${id}"]`);
  return { ...mounted, find, text: (id: string) => find(id).text() };
}

describe('Settings › Webhooks', () => {
  it('shows the receiver’s address and counters, and refreshes when a message arrives', async () => {
    let current = statusWith(3, 2);
    const { frontdesk, text, find } = await openWebhooks(() => current);
    expect(text('webhook-local-url')).toBe('http://127.0.0.1:8443/webhooks/whatsapp');
    expect([text('webhook-accepted'), text('webhook-rejected'), text('webhook-processed'), text('webhook-pending')]).toEqual(['3', '1', '2', '1']);
    expect(text('webhook-counters')).toContain('Offline');
    expect(find('relay-line').exists()).toBe(false);

    current = statusWith(4, 4);
    frontdesk.emit('messages:received', { conversationId: 1, messageId: 9, contactId: 1, groupId: null, type: 'text', timestamp: 1 });
    await flushPromises();
    expect(text('webhook-processed')).toBe('4');
  });
});

describe('Settings › Webhooks › relay', () => {
  it('shows the relay reachable, its address, the backlog, the last contact and that this desk sends automatic replies', async () => {
    const { text, find } = await openWebhooks(() => relayStatus({ backlog: 3 }));

    expect(text('relay-url')).toBe('https://relay.example.com');
    const reachable = find('relay-reachable');
    expect(reachable.text()).toBe(en.settings.webhooks.relay.reachable);
    expect(reachable.attributes('data-reachable')).toBe('true');
    expect(reachable.attributes('data-state')).toBe('reachable');
    expect(reachable.attributes('role')).toBe('status');
    expect(text('relay-backlog')).toBe('3');
    expect(text('relay-last-contact')).toMatch(/2025/);
    expect(text('relay-primary')).toBe(en.settings.webhooks.relay.primary);
    // Nothing dropped or missed: those lines are not there at all.
    expect(find('relay-rejected').exists()).toBe(false);
    expect(find('relay-missed').exists()).toBe(false);
    expect(find('webhook-local-url').exists()).toBe(false);
    expect(text('webhook-counters')).not.toContain(en.settings.webhooks.noReceiver);
    expect(text('webhook-processed')).toBe('5');
  });

  it('says the relay cannot be reached, and why in words, with the counts of dropped and missed events', async () => {
    const { text, find } = await openWebhooks(() => relayStatus({ reachable: false, lastError: 'relay_unauthorized', primary: false, lastContactAt: null, rejected: 2, missed: 7 }));

    const reachable = find('relay-reachable');
    expect(reachable.attributes('data-reachable')).toBe('false');
    expect(reachable.attributes('data-state')).toBe('unreachable');
    expect(reachable.text()).toContain(en.settings.webhooks.relay.unreachable);
    expect(text('relay-last-error')).toContain(en.errors.relay_unauthorized);
    expect(text('relay-last-error')).toContain('relay_unauthorized');
    expect(text('relay-primary')).toBe(en.settings.webhooks.relay.notPrimary);
    expect(text('relay-last-contact')).toBe(en.settings.webhooks.relay.never);
    expect(text('relay-rejected')).toBe('2');
    expect(text('relay-missed')).toBe('7');
  });

  it('says it is connecting, not unreachable, before the relay has first answered', async () => {
    const { find, text } = await openWebhooks(() => relayStatus({ reachable: false, lastContactAt: null, lastError: null }));

    const reachable = find('relay-reachable');
    expect(reachable.attributes('data-state')).toBe('connecting');
    expect(reachable.text()).toBe(en.settings.webhooks.relay.connecting);
    expect(find('relay-last-error').exists()).toBe(false);
    expect(text('relay-last-contact')).toBe(en.settings.webhooks.relay.never);
  });

  it('follows the relay when it comes back, and says it in Chinese', async () => {
    let current = relayStatus({ reachable: false, lastError: 'relay_unreachable', backlog: 4 });
    const { frontdesk, text, find } = await openWebhooks(() => current, 'zh-CN');
    expect(text('relay-last-error')).toContain(zhCN.errors.relay_unreachable);

    current = relayStatus({ backlog: 0 });
    frontdesk.emit('messages:received', { conversationId: 1, messageId: 9, contactId: 1, groupId: null, type: 'text', timestamp: 1 });
    await flushPromises();

    expect(find('relay-reachable').text()).toBe(zhCN.settings.webhooks.relay.reachable);
    expect(find('relay-last-error').exists()).toBe(false);
    expect(text('relay-backlog')).toBe('0');
    expect(text('relay-primary')).toBe(zhCN.settings.webhooks.relay.primary);
  });

  it('reads an error code this build does not know as the generic failure, keeping the code', async () => {
    const { text } = await openWebhooks(() => relayStatus({ reachable: false, lastError: 'relay_from_the_future' }));

    expect(text('relay-last-error')).toContain(en.errors.internal);
    expect(text('relay-last-error')).toContain('relay_from_the_future');
  });
});
