/**
 * Quick replies in the renderer (happy-dom, a fake frontdesk): the page (list, form with fields named as
 * staff type, core's "already used", reorder, delete with confirmation, import report) and the composer's
 * `/` picker (ranked, ↑/↓, Enter inserts with variables filled, Escape closes; an attachment is sent by core).
 */
import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { QuickReplyView } from '../../../shared/ipc/quick-replies';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { closedState, hoursView, profileView } from '../automation/automation-fakes';
import { detail, inboxHandlers, now, row } from '../inbox/inbox-fakes';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

function reply(id: number, overrides: Partial<QuickReplyView> = {}): QuickReplyView {
  return { id, shortcut: `reply${id}`, text: `Text ${id}`, keywords: [], attachment: null, usageCount: 0, lastUsedAt: null, createdAt: now, updatedAt: now, ...overrides };
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const fieldError = (wrapper: Wrapper, field: string) => wrapper.find(`[data-testid="field-error"][data-field="${field}"]`);

async function open(path: string, handlers: FakeHandlers = {}) {
  const frontdesk = createFakeFrontdesk({ ...inboxHandlers(), ...handlers });
  const mounted = await mountApp({ frontdesk, locale: 'en', path });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

describe('the quick replies page', () => {
  it('lists them with use, names wrong fields as staff type, and creates one', async () => {
    let items = [reply(1, { shortcut: 'hours', text: 'We open {{next_open}}', keywords: ['open'], usageCount: 3, lastUsedAt: now })];
    const { wrapper, frontdesk } = await open('/quick-replies', {
      'quick-replies:list': () => ok(items),
      'quick-replies:save': (request) => {
        const created = reply(2, { shortcut: request.shortcut, text: request.text, keywords: request.keywords ?? [] });
        items = [...items, created];
        return ok(created);
      },
    });
    const rows = wrapper.findAll('[data-testid="quick-reply-row"]');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text()).toContain('/hours');
    expect(byId(wrapper, 'quick-reply-usage').text()).toContain('Used 3 times');

    await byId(wrapper, 'quick-reply-new').trigger('click');
    await byId(wrapper, 'quick-reply-shortcut').setValue('HOURS');
    expect(fieldError(wrapper, 'shortcut').text()).toBe('This shortcut is already used.');
    await byId(wrapper, 'quick-reply-shortcut').setValue('two words');
    expect(fieldError(wrapper, 'shortcut').text()).toContain('Letters, digits');
    await byId(wrapper, 'quick-reply-text').setValue('Hi {{nmae}}');
    expect(fieldError(wrapper, 'text').text()).toContain('{{nmae}}');
    await byId(wrapper, 'quick-reply-save').trigger('submit');
    await flushPromises();
    expect(frontdesk.callsTo('quick-replies:save')).toBe(0);

    await byId(wrapper, 'quick-reply-shortcut').setValue('thanks');
    await byId(wrapper, 'quick-reply-text').setValue('Thank you {{name}}!');
    await byId(wrapper, 'quick-reply-keywords').setValue('ty, 谢谢');
    await wrapper.get('[data-testid="quick-reply-form"]').trigger('submit');
    await flushPromises();
    expect(frontdesk.payloadsOf('quick-replies:save')).toEqual([{ shortcut: 'thanks', text: 'Thank you {{name}}!', keywords: ['ty', '谢谢'] }]);
    expect(wrapper.findAll('[data-testid="quick-reply-row"]')).toHaveLength(2);
    expect(wrapper.find('[data-testid="quick-reply-form"]').exists()).toBe(false);
  });

  it('shows core’s “already used” beside the shortcut', async () => {
    const { wrapper } = await open('/quick-replies', {
      'quick-replies:list': () => ok([]),
      'quick-replies:save': () => fail('invalid_request', 'taken', [{ path: 'shortcut', message: 'already used' }]),
    });
    await byId(wrapper, 'quick-reply-new').trigger('click');
    await byId(wrapper, 'quick-reply-shortcut').setValue('thanks');
    await byId(wrapper, 'quick-reply-text').setValue('Thanks');
    await wrapper.get('[data-testid="quick-reply-form"]').trigger('submit');
    await flushPromises();
    expect(fieldError(wrapper, 'shortcut').text()).toBe('This shortcut is already used.');
  });

  it('moves one down, deletes after confirming, and shows an import report', async () => {
    const { wrapper, frontdesk } = await open('/quick-replies', {
      'quick-replies:list': () => ok([reply(1), reply(2)]),
      'quick-replies:reorder': ({ ids }) => ok(ids.map((id) => reply(id))),
      'quick-replies:delete': () => ok(undefined),
      'quick-replies:import': () => ok({ added: 1, updated: 0, refused: [{ row: 2, shortcut: 'bad one', reason: 'shortcut: letters, digits, - and _ only', fields: [] }] }),
    });
    await wrapper.findAll('[data-testid="quick-reply-down"]')[0]!.trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('quick-replies:reorder')).toEqual([{ ids: [2, 1] }]);
    expect(wrapper.findAll('[data-testid="quick-reply-row"]').map((r) => r.attributes('data-shortcut'))).toEqual(['reply2', 'reply1']);

    await wrapper.findAll('[data-testid="quick-reply-delete"]')[0]!.trigger('click');
    expect(frontdesk.callsTo('quick-replies:delete')).toBe(0);
    await byId(wrapper, 'quick-reply-delete-confirm').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('quick-replies:delete')).toEqual([{ id: 2 }]);

    const input = byId(wrapper, 'quick-reply-import-input');
    Object.defineProperty(input.element, 'files', { value: [new File(['[]'], 'replies.json', { type: 'application/json' })], configurable: true });
    await input.trigger('change');
    await flushPromises();
    expect(byId(wrapper, 'quick-reply-import-report').text()).toContain('1 added, 0 updated, 1 refused');
    expect(byId(wrapper, 'quick-reply-import-refused').text()).toContain('Row 2 (bad one)');
  });
});

describe('the composer’s / picker', () => {
  const replies = [
    reply(1, { shortcut: 'thanks', text: 'Thank you {{name}}, from {{business}}!', usageCount: 1 }),
    reply(2, { shortcut: 'thx', text: 'Cheers', usageCount: 9 }),
    reply(3, { shortcut: 'hours', text: 'We open {{next_open}}', keywords: ['thursday'] }),
    reply(4, { shortcut: 'map', text: 'Here we are', attachment: { mediaId: 7, fileName: 'map.png', mime: 'image/png', size: 2048 } }),
  ];

  async function openComposer(handlers: FakeHandlers = {}) {
    const mounted = await open('/inbox?conversation=1', {
      'conversations:get': () => ok(detail(row(1))),
      'quick-replies:list': () => ok(replies),
      'quick-replies:used': () => ok(undefined),
      'quick-replies:send': () => ok({ messageId: 99 }),
      'profile:get': () => ok(profileView()),
      'hours:get': () => ok(hoursView({ state: closedState() })),
      ...handlers,
    });
    return { ...mounted, input: byId(mounted.wrapper, 'composer-input') };
  }

  const options = (wrapper: Wrapper) => wrapper.findAll('[data-testid="quick-reply-option"]').map((o) => o.attributes('data-shortcut'));
  const active = (wrapper: Wrapper) => wrapper.get('[data-testid="quick-reply-option"][aria-selected="true"]').attributes('data-shortcut');

  it('ranks the matches, moves with ↑/↓, and Enter inserts with the variables filled', async () => {
    const { wrapper, frontdesk, input } = await openComposer();
    await input.setValue('/th');
    await flushPromises();
    expect(options(wrapper)).toEqual(['thx', 'thanks', 'hours']);
    expect(active(wrapper)).toBe('thx');
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(active(wrapper)).toBe('thanks');
    await input.trigger('keydown', { key: 'ArrowUp' });
    await input.trigger('keydown', { key: 'ArrowUp' });
    expect(active(wrapper)).toBe('hours');
    await input.trigger('keydown', { key: 'ArrowDown' });
    await input.trigger('keydown', { key: 'ArrowDown' });
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect((input.element as HTMLTextAreaElement).value).toBe('Thank you Customer 1, from Lotus Dental!');
    expect(wrapper.find('[data-testid="quick-reply-picker"]').exists()).toBe(false);
    expect(frontdesk.payloadsOf('quick-replies:used')).toEqual([{ quickReplyId: 1 }]);
    expect(frontdesk.callsTo('messages:send')).toBe(0);
  });

  it('fills the next opening from the hours, and Escape closes', async () => {
    const { wrapper, input } = await openComposer();
    await input.setValue('/hou');
    await flushPromises();
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect((input.element as HTMLTextAreaElement).value).toBe('We open Monday 09:00');

    await input.setValue('/zz');
    expect(byId(wrapper, 'quick-replies-empty').text()).toBe('No quick reply matches.');
    await input.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[data-testid="quick-reply-picker"]').exists()).toBe(false);
  });

  it('a quick reply with an attachment is sent by core, the text as caption', async () => {
    const { wrapper, frontdesk, input } = await openComposer();
    await input.setValue('/map');
    await flushPromises();
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(byId(wrapper, 'composer-quick-attachment').text()).toContain('map.png');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(frontdesk.payloadsOf('quick-replies:send')).toEqual([{ conversationId: 1, quickReplyId: 4, text: 'Here we are' }]);
    expect(frontdesk.callsTo('messages:send')).toBe(0);
    expect(wrapper.find('[data-testid="composer-quick-attachment"]').exists()).toBe(false);
    expect((input.element as HTMLTextAreaElement).value).toBe('');
  });
});
