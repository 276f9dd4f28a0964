/**
 * The Labels page and the label pickers (PRODUCT §8) over a fake core: the list with counts, create with a
 * name already used, rename, delete after a confirmation naming the count, the warning past 50, the messages
 * of a label, and the pickers in the conversation menu and the message menu.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { LabelInfo, LabelMessagesPage } from '../../../shared/ipc/labels';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { inboxHandlers, message, now, row, summary } from '../inbox/inbox-fakes';

cleanUpAfterEach();

// happy-dom lays nothing out: give the conversation list a size so the virtual list shows rows.
const sized = { clientHeight: 640, clientWidth: 360 };
const saved = Object.keys(sized).map((key) => [key, Object.getOwnPropertyDescriptor(HTMLElement.prototype, key)] as const);
beforeAll(() => {
  for (const [key, size] of Object.entries(sized)) {
    const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, key);
    Object.defineProperty(HTMLElement.prototype, key, {
      configurable: true,
      get(this: HTMLElement) {
        return this.dataset?.testid === 'conversation-list' ? size : (original?.get?.call(this) ?? 0);
      },
    });
  }
});
afterAll(() => {
  for (const [key, descriptor] of saved) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, key, descriptor);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[key];
  }
});

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

function info(id: number, name: string, extra: Partial<LabelInfo> = {}): LabelInfo {
  return { id, name, colour: id % 20, order: id, conversations: 0, messages: 0, ...extra };
}

const defaults = [info(1, 'New customer', { conversations: 12 }), info(2, 'Paid', { conversations: 4, messages: 2 })];

async function open(path: string, handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  let labels = [...defaults];
  const frontdesk = createFakeFrontdesk({
    ...inboxHandlers(),
    'inbox:summary': () => ok(summary),
    'labels:list': () => ok(labels),
    'labels:create': ({ name, colour }) => {
      if (labels.some((l) => l.name.toLowerCase() === name.trim().toLowerCase())) {
        return fail('invalid_request', 'taken', [{ path: 'name', message: 'taken' }]);
      }
      const created = info(labels.length + 1, name.trim(), { colour, order: labels.length });
      labels = [...labels, created];
      return ok(created);
    },
    'labels:update': ({ id, name, colour }) => {
      labels = labels.map((l) => (l.id === id ? { ...l, ...(name ? { name } : {}), ...(colour !== undefined ? { colour } : {}) } : l));
      return ok(labels.find((l) => l.id === id)!);
    },
    'labels:usage': () => ok({ conversations: 4, messages: 2, total: 6 }),
    'labels:delete': ({ id }) => {
      labels = labels.filter((l) => l.id !== id);
      return ok({ removed: 6 });
    },
    'labels:assign': () => ok({ changed: 1 }),
    'labels:unassign': () => ok({ changed: 1 }),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const rowsOf = (wrapper: Wrapper) => wrapper.findAll('[data-testid="label-row"]');

describe('the Labels page', () => {
  it('lists the labels in order with their counts', async () => {
    const { wrapper } = await open('/labels');
    const rows = rowsOf(wrapper);
    expect(rows.map((r) => r.get('[data-testid="label-name"]').text())).toEqual(['New customer', 'Paid']);
    expect(rows[1]!.get('[data-testid="label-counts"]').text()).toMatch(/4 conversations\s*·\s*2 messages/);
    expect(wrapper.find('[data-testid="labels-many-warning"]').exists()).toBe(false);
  });

  it('creates a label with a chosen colour, and says when the name is already used', async () => {
    const { wrapper, frontdesk } = await open('/labels');
    await byId(wrapper, 'label-new-name').setValue('Wholesale');
    await byId(wrapper, 'label-colour-7').get('input').setValue(true);
    await byId(wrapper, 'label-create').trigger('submit');
    await flushPromises();
    expect(frontdesk.payloadsOf('labels:create')).toEqual([{ name: 'Wholesale', colour: 7 }]);
    expect(rowsOf(wrapper).map((r) => r.get('[data-testid="label-name"]').text())).toEqual(['New customer', 'Paid', 'Wholesale']);
    expect((byId(wrapper, 'label-new-name').element as HTMLInputElement).value).toBe('');

    await byId(wrapper, 'label-new-name').setValue('PAID');
    await byId(wrapper, 'label-create').trigger('submit');
    await flushPromises();
    expect(byId(wrapper, 'label-new-name-error').text()).toContain('already used');
    expect(byId(wrapper, 'label-new-name').attributes('aria-invalid')).toBe('true');
  });

  it('renames a label', async () => {
    const { wrapper, frontdesk } = await open('/labels');
    await rowsOf(wrapper)[1]!.get('[data-testid="label-rename"]').trigger('click');
    await flushPromises();
    await byId(wrapper, 'label-rename-input').setValue('Paid in full');
    await byId(wrapper, 'label-rename-save').trigger('submit');
    await flushPromises();
    expect(frontdesk.payloadsOf('labels:update')).toEqual([{ id: 2, name: 'Paid in full' }]);
    expect(rowsOf(wrapper)[1]!.get('[data-testid="label-name"]').text()).toBe('Paid in full');
  });

  it('deletes only after a confirmation naming how many assignments go', async () => {
    const { wrapper, frontdesk } = await open('/labels');
    await rowsOf(wrapper)[1]!.get('[data-testid="label-delete"]').trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('labels:delete')).toBe(0);
    expect(byId(wrapper, 'label-delete-count').text()).toBe('It will be removed from 4 conversations and 2 messages.');
    await byId(wrapper, 'label-delete-confirm').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('labels:delete')).toEqual([{ id: 2, confirmCount: 6 }]);
    expect(rowsOf(wrapper)).toHaveLength(1);
  });

  it('warns past 50 labels', async () => {
    const many = Array.from({ length: 51 }, (_, i) => info(i + 1, `Label ${i + 1}`));
    const { wrapper } = await open('/labels', { 'labels:list': () => ok(many) });
    expect(byId(wrapper, 'labels-many-warning').text()).toContain('more than 50');
  });

  it('lists a label’s messages, each a link into the chat at that message', async () => {
    const page: LabelMessagesPage = {
      entries: [{ messageId: 41, conversationId: 7, contactId: 3, contactName: 'Mei', direction: 'in', type: 'text', text: 'Invoice please', timestamp: now, revoked: false }],
      nextBefore: null,
    };
    const { wrapper, frontdesk } = await open('/labels?label=2', { 'labels:messages': () => ok(page) });
    expect(frontdesk.payloadsOf('labels:messages')[0]).toMatchObject({ labelId: 2 });
    const entry = byId(wrapper, 'label-message');
    expect(entry.text()).toContain('From Mei');
    expect(entry.text()).toContain('Invoice please');
    expect(entry.attributes('href')).toBe('#/inbox?conversation=7&message=41');
  });

  it('reads in Chinese', async () => {
    const { wrapper } = await open('/labels', {}, 'zh-CN');
    expect(byId(wrapper, 'label-create').text()).toBe('创建标签');
    expect(rowsOf(wrapper)[1]!.get('[data-testid="label-counts"]').text()).toMatch(/4 个对话\s*·\s*2 条消息/);
  });
});

describe('the label pickers', () => {
  it('ticks the labels a conversation carries in its menu, and assigns or removes one', async () => {
    const rows = (index: number) => row(index + 1, index === 0 ? { labels: [{ id: 2, name: 'Paid', colour: 2 }] } : {});
    const { wrapper, frontdesk } = await open('/inbox', inboxHandlers({ rows }));
    await wrapper.findAll('[data-testid="conversation-row"]')[0]!.get('[data-testid="conversation-menu-button"]').trigger('click');
    await flushPromises();
    await byId(wrapper, 'conversation-action-labels').trigger('click');
    await flushPromises();
    const options = wrapper.findAll('[data-testid="label-option"]');
    expect(options.map((o) => o.attributes('data-label-name'))).toEqual(['New customer', 'Paid']);
    expect(options.map((o) => (o.element as HTMLInputElement).checked)).toEqual([false, true]);
    await options[0]!.setValue(true);
    await flushPromises();
    await options[1]!.setValue(false);
    await flushPromises();
    expect(frontdesk.payloadsOf('labels:assign')).toEqual([{ labelId: 1, conversationIds: [1] }]);
    expect(frontdesk.payloadsOf('labels:unassign')).toEqual([{ labelId: 2, conversationIds: [1] }]);
  });

  it('labels a single message from the message menu', async () => {
    const messages = [message(1, { labels: [{ id: 1, name: 'New customer', colour: 1 }] })];
    const { wrapper, frontdesk } = await open('/inbox?conversation=1', inboxHandlers({ messages }));
    await byId(wrapper, 'message-menu-button').trigger('click');
    await flushPromises();
    await byId(wrapper, 'message-action-labels').trigger('click');
    await flushPromises();
    const options = wrapper.findAll('[data-testid="label-option"]');
    expect(options.map((o) => (o.element as HTMLInputElement).checked)).toEqual([true, false]);
    await options[1]!.setValue(true);
    await flushPromises();
    expect(frontdesk.payloadsOf('labels:assign')).toEqual([{ labelId: 2, messageIds: [1] }]);
  });

  it('shows mixed when only some selected conversations carry a label (the bulk bar)', async () => {
    const rows = (index: number) => row(index + 1, index === 0 ? { labels: [{ id: 2, name: 'Paid', colour: 2 }] } : {});
    const { wrapper, frontdesk } = await open('/inbox', inboxHandlers({ rows }));
    const items = wrapper.findAll('[data-testid="conversation-row"]');
    await items[0]!.get('[data-testid="conversation-select"]').trigger('click');
    await items[1]!.get('[data-testid="conversation-select"]').trigger('click');
    await flushPromises();
    await byId(wrapper, 'bulk-labels').get('summary').trigger('click');
    (byId(wrapper, 'bulk-labels').element as HTMLDetailsElement).open = true;
    await flushPromises();
    const paid = wrapper.get('[data-testid="bulk-labels"] [data-testid="label-option"][data-label-name="Paid"]');
    expect((paid.element as HTMLInputElement).indeterminate).toBe(true);
    await paid.setValue(true);
    await flushPromises();
    expect(frontdesk.payloadsOf('labels:assign')).toEqual([{ labelId: 2, conversationIds: [1, 2] }]);
  });
});
