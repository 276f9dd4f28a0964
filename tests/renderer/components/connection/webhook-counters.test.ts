import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { ok } from '../../../../shared/ipc/result';
import type { CloudStatus } from '../../../../shared/ipc/contract';
import { cleanUpAfterEach } from '../../support/cleanup';
import { createFakeFrontdesk } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

function statusWith(accepted: number, processed: number): CloudStatus {
  return {
    receiver: { localUrl: 'http://127.0.0.1:8443/webhooks/whatsapp', received: accepted + 1, accepted, rejected: 1 },
    inbox: { received: accepted, processed, failed: 0, pending: accepted - processed },
    outbox: { offline: true, paused: false, throttledUntil: null },
  };
}

describe('Settings › Webhooks', () => {
  it('shows the receiver’s address and counters, and refreshes when a message arrives', async () => {
    let current = statusWith(3, 2);
    const { wrapper, frontdesk } = await mountApp({ frontdesk: createFakeFrontdesk({ 'cloud:status': () => ok(current) }) });
    await click(wrapper, 'nav-settings');
    await flushPromises();
    const text = (id: string) => wrapper.find(`[data-testid="${id}"]`).text();
    expect(text('webhook-local-url')).toBe('http://127.0.0.1:8443/webhooks/whatsapp');
    expect([text('webhook-accepted'), text('webhook-rejected'), text('webhook-processed'), text('webhook-pending')]).toEqual(['3', '1', '2', '1']);
    expect(text('webhook-counters')).toContain('Offline');

    current = statusWith(4, 4);
    frontdesk.emit('messages:received', { conversationId: 1, messageId: 9, contactId: 1, groupId: null, type: 'text', timestamp: 1 });
    await flushPromises();
    expect(text('webhook-processed')).toBe('4');
  });
});
