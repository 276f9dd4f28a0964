import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import type { ConversationPreview, OutboundStatus, OutboxState } from '../../../shared/ipc/inbox';
import DeliveryTicks from '../../../renderer/src/components/inbox/DeliveryTicks.vue';
import MessagePreview from '../../../renderer/src/components/inbox/MessagePreview.vue';
import { createAppI18n } from '../../../renderer/src/i18n';
import { deliveryState, previewKind } from '../../../renderer/src/utils/message-types';
import { cleanUpAfterEach } from '../support/cleanup';

cleanUpAfterEach();

function ticks(status: OutboundStatus | null, outboxState: OutboxState | null = null, locale: 'en' | 'zh-CN' = 'en') {
  return mount(DeliveryTicks, { props: { status, outboxState }, global: { plugins: [createAppI18n(locale)] } }).get('[data-testid="ticks"]');
}

function preview(value: ConversationPreview | null) {
  return mount(MessagePreview, { props: { preview: value }, global: { plugins: [createAppI18n('en')] } });
}

const base: ConversationPreview = { type: 'text', direction: 'in', text: 'Hi', status: null, automatic: false, revoked: false };

describe('delivery ticks', () => {
  it.each([
    [null, 'queued', 'pending', 'Waiting to send'],
    ['pending', null, 'pending', 'Waiting to send'],
    ['sent', null, 'sent', 'Sent'],
    ['delivered', null, 'delivered', 'Delivered'],
    ['read', null, 'read', 'Read'],
    ['played', null, 'read', 'Read'],
    ['failed', null, 'failed', 'Not delivered'],
    [null, 'failed', 'failed', 'Not delivered'],
    ['not_confirmed', null, 'notConfirmed', 'Not confirmed'],
    ['unknown', 'unknown', 'pending', 'Waiting to send'],
    [null, 'cancelled', 'cancelled', 'Cancelled'],
  ] as const)('status %s with outbox %s shows %s', (status, outbox, state, label) => {
    const element = ticks(status, outbox);
    expect(element.attributes('data-state')).toBe(state);
    expect(element.attributes('role')).toBe('img');
    expect(element.attributes('aria-label')).toBe(label);
    expect(element.findAll('path').length).toBeGreaterThan(0);
  });

  it('draws two ticks for delivered and read, one for sent', () => {
    expect(ticks('sent').findAll('path')).toHaveLength(1);
    expect(ticks('delivered').findAll('path')).toHaveLength(3);
    expect(ticks('read').classes()).toContain('ticks-read');
  });

  it('a later status beats an outbox state that lagged behind', () => {
    expect(deliveryState('delivered', 'sending')).toBe('delivered');
    expect(deliveryState('read', 'sent')).toBe('read');
    expect(deliveryState('sent', 'failed')).toBe('failed');
  });

  it('speak Chinese', () => {
    expect(ticks('read', null, 'zh-CN').attributes('aria-label')).toBe('已读');
  });
});

describe('the last-message preview', () => {
  it('shows the text, with no icon for text', () => {
    const wrapper = preview(base);
    expect(wrapper.text()).toBe('Hi');
    expect(wrapper.find('svg').exists()).toBe(false);
  });

  it.each([
    ['image', 'Photo'],
    ['video', 'Video'],
    ['audio', 'Audio'],
    ['document', 'Document'],
    ['sticker', 'Sticker'],
    ['location', 'Location'],
    ['contacts', 'Contact card'],
    ['template', 'Template'],
    ['interactive', 'Reply'],
    ['unsupported', 'Unsupported message'],
    ['poll_creation', 'Unsupported message'],
  ])('names a %s with no text, with an icon', (type, name) => {
    const wrapper = preview({ ...base, type, text: null });
    expect(wrapper.text()).toBe(name);
    expect(wrapper.findAll('svg.inbox-icon')).toHaveLength(1);
    expect(wrapper.get('[data-testid="conversation-preview"]').attributes('data-type')).toBe(type);
  });

  it('puts the caption or file name beside the type icon', () => {
    const wrapper = preview({ ...base, type: 'document', text: 'invoice-0042.pdf' });
    expect(wrapper.text()).toBe('invoice-0042.pdf');
    expect(wrapper.find('svg.inbox-icon').exists()).toBe(true);
  });

  it('shows the ticks of our last message, and nothing of a deleted one', () => {
    expect(preview({ ...base, direction: 'out', status: 'delivered' }).get('[data-testid="ticks"]').attributes('data-state')).toBe('delivered');
    const revoked = preview({ ...base, revoked: true, text: 'secret' });
    expect(revoked.text()).toBe('This message was deleted');
    expect(revoked.find('[data-testid="ticks"]').exists()).toBe(false);
  });

  it('marks automatic messages for screen readers', () => {
    expect(preview({ ...base, direction: 'out', status: 'sent', automatic: true }).text()).toContain('Sent automatically:');
  });

  it('keeps markup as text', () => {
    const wrapper = preview({ ...base, text: '<img src=x onerror=alert(1)>' });
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.text()).toBe('<img src=x onerror=alert(1)>');
  });

  it('tells a voice note from other audio', () => {
    expect(previewKind('audio', { audio: { voice: true } })).toBe('voice');
    expect(previewKind('audio', { audio: {} })).toBe('audio');
    expect(previewKind('edit')).toBe('unsupported');
  });
});
