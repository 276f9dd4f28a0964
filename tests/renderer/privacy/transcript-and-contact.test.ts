/**
 * The transcript export in the chat and a contact's data rights in the contact panel (PRODUCT §11, §13) over a
 * fake core: what each asks core for, the results and failures in words (English and Chinese), the typed word
 * the erasure waits for, a stale confirmation counted again, and the chat closing once its contact is erased.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { ConversationDetail } from '../../../shared/ipc/inbox';
import type { ErasurePreview, TranscriptExportResult } from '../../../shared/ipc/privacy';
import type { Result } from '../../../shared/ipc/result';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { contact } from '../contacts/contact-fixtures';
import { inboxHandlers, now, row } from '../inbox/inbox-fakes';

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

const meiLin = contact(1, { displayName: 'Mei Lin', profileName: 'Mei Lin', conversationId: 1 });
const chatWithMei = (): ConversationDetail => ({ row: row(1, { title: 'Mei Lin' }), contact: { id: 1, phone: '+86 138 0000 0001', username: null } as never, draft: '' });

async function openChat(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({
    ...inboxHandlers(),
    'conversations:get': ({ conversationId }) => (conversationId === 1 ? ok(chatWithMei()) : ok({ row: row(conversationId), contact: null, draft: '' })),
    'contacts:get': () => ok({ ...meiLin }),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path: '/inbox?conversation=1' });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const find = (testId: string) => document.body.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

async function clickId(wrapper: Wrapper, testId: string) {
  await byId(wrapper, testId).trigger('click');
  await flushPromises();
}

describe('the transcript export in the chat', () => {
  it('saves the whole chat through core, in the UI’s language, and says where in a toast', async () => {
    const { wrapper, frontdesk } = await openChat({
      'transcript:export': () => ok({ saved: true, fileName: 'Transcript - Mei Lin - 2025-03-14.html', messages: 12, mediaEmbedded: 2, bytes: 4096 }),
    });
    await clickId(wrapper, 'chat-export-transcript');
    expect(byId(wrapper, 'transcript-title').text()).toBe('Transcript of Mei Lin');
    expect(byId(wrapper, 'transcript-title').attributes()).toHaveProperty('data-private');
    await clickId(wrapper, 'transcript-save');
    expect(frontdesk.payloadsOf('transcript:export')).toEqual([{ conversationId: 1, locale: 'en' }]);
    expect(wrapper.find('[data-testid="transcript-dialog"]').exists()).toBe(false);
    expect(byId(wrapper, 'privacy-toast-text').text()).toBe('Saved Transcript - Mei Lin - 2025-03-14.html: 12 messages.');
    // It names the customer: privacy mode blurs it.
    expect(byId(wrapper, 'privacy-toast-text').attributes()).toHaveProperty('data-private');
  });

  it('sends a date range, refuses one that ends before it starts, and prints through core', async () => {
    const { wrapper, frontdesk } = await openChat({ 'transcript:print': () => ok({ printed: true, messages: 3 }) });
    await clickId(wrapper, 'chat-export-transcript');
    await byId(wrapper, 'transcript-from').setValue('2025-03-10');
    await byId(wrapper, 'transcript-to').setValue('2025-03-01');
    expect(byId(wrapper, 'transcript-range-error').text()).toContain('before the start date');
    expect(byId(wrapper, 'transcript-print').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'transcript-to').setValue('2025-03-12');
    expect(wrapper.find('[data-testid="transcript-range-error"]').exists()).toBe(false);
    await clickId(wrapper, 'transcript-print');
    expect(frontdesk.payloadsOf('transcript:print')).toEqual([{ conversationId: 1, locale: 'en', from: '2025-03-10', to: '2025-03-12' }]);
    expect(byId(wrapper, 'privacy-toast-text').text()).toBe('Sent to the printer: 3 messages.');
  });

  it('keeps the dialog open with the failure in words, and says so when nothing was saved (Chinese)', async () => {
    let answer: Result<TranscriptExportResult> = fail('export_failed', 'EACCES');
    const { wrapper } = await openChat({ 'transcript:export': () => answer }, 'zh-CN');
    await clickId(wrapper, 'chat-export-transcript');
    await clickId(wrapper, 'transcript-save');
    expect(byId(wrapper, 'transcript-error').text()).toContain('无法在该位置写入导出文件');
    expect(byId(wrapper, 'transcript-error').text()).toContain('export_failed');
    answer = ok({ saved: false, fileName: null, messages: 0, mediaEmbedded: 0, bytes: 0 });
    await clickId(wrapper, 'transcript-save');
    expect(byId(wrapper, 'privacy-toast-text').text()).toBe('未保存任何内容。');
  });
});

const preview = (messages: number): ErasurePreview => ({ contactId: 1, messages, conversations: 1, mediaFiles: 2, labelAssignments: 1 });

describe('a contact’s data rights in the contact panel', () => {
  it('exports everything about the contact through core, and says into which folder', async () => {
    const { wrapper, frontdesk } = await openChat({
      'privacy:export-contact': () => ok({ saved: true, folderName: 'frontdesk-contact-1-2025-03-14', messages: 12, mediaFiles: 1, bytes: 9000 }),
    });
    await clickId(wrapper, 'chat-contact-toggle');
    await clickId(wrapper, 'contact-export-all');
    expect(frontdesk.payloadsOf('privacy:export-contact')).toEqual([{ contactId: 1, locale: 'en' }]);
    expect(byId(wrapper, 'privacy-toast-text').text()).toBe('Exported to the folder frontdesk-contact-1-2025-03-14: 12 messages and one file.');
  });

  it('erases only after the word is typed, with the counts core found; a stale count is read again; the chat closes', async () => {
    let messages = 4;
    let announce = () => {};
    const { wrapper, frontdesk, router } = await openChat({
      'privacy:erase-preview': () => ok(preview(messages)),
      'privacy:erase': async ({ confirmMessages }) => {
        if (confirmMessages !== messages) return fail('confirmation_stale', 'changed', [{ path: 'confirmMessages', message: 'changed' }]);
        // As core does: the lists hear of it before the answer arrives (the panel, and this dialog, go first).
        announce();
        await flushPromises();
        return ok({ contactId: 1, messages, conversations: 1, mediaFiles: 2, labelAssignments: 1, webhookBodies: 5 });
      },
    });
    announce = () => frontdesk.emit('contacts:changed', { contactId: 1, mergedIds: [], reason: 'erased' });
    await clickId(wrapper, 'chat-contact-toggle');
    await clickId(wrapper, 'contact-erase');
    expect(byId(wrapper, 'erase-count-messages').text()).toBe('their messages: 4 messages, in one conversation');
    expect(byId(wrapper, 'erase-count-files').text()).toContain('2 files');
    // The button waits for the word.
    expect(byId(wrapper, 'erase-confirm').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'erase-word').setValue('erase it');
    expect(byId(wrapper, 'erase-confirm').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'erase-word').setValue('erase');
    expect(byId(wrapper, 'erase-confirm').attributes('disabled')).toBeUndefined();

    // The customer wrote meanwhile: refused, counted again, typed again.
    messages = 5;
    await clickId(wrapper, 'erase-confirm');
    expect(byId(wrapper, 'erase-error').text()).toContain('Something changed since you confirmed');
    expect(byId(wrapper, 'erase-count-messages').text()).toContain('5 messages');
    expect(byId(wrapper, 'erase-confirm').attributes()).toHaveProperty('disabled');
    await byId(wrapper, 'erase-word').setValue('ERASE');
    await clickId(wrapper, 'erase-confirm');

    expect(frontdesk.payloadsOf('privacy:erase')).toEqual([
      { contactId: 1, confirmMessages: 4 },
      { contactId: 1, confirmMessages: 5 },
    ]);
    expect(byId(wrapper, 'privacy-toast-text').text()).toBe('The contact was erased: 5 messages and 2 files deleted.');
    // Their chat was open: it closes.
    expect(router.currentRoute.value.fullPath).toBe('/inbox');
    expect(wrapper.find('[data-testid="chat-header"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="erase-dialog"]').exists()).toBe(false);
  });

  it('cancels without erasing, and in Chinese asks for the Chinese word', async () => {
    const { wrapper, frontdesk } = await openChat({ 'privacy:erase-preview': () => ok(preview(2)), 'privacy:erase': () => fail('internal', 'no') }, 'zh-CN');
    await clickId(wrapper, 'chat-contact-toggle');
    await clickId(wrapper, 'contact-erase');
    expect(find('erase-dialog')?.textContent).toContain('请输入 删除 以确认');
    expect(byId(wrapper, 'erase-count-messages').text()).toBe('其消息：2 条消息，共 1 个对话');
    await byId(wrapper, 'erase-word').setValue('ERASE');
    expect(byId(wrapper, 'erase-confirm').attributes()).toHaveProperty('disabled');
    await clickId(wrapper, 'erase-cancel');
    expect(wrapper.find('[data-testid="erase-dialog"]').exists()).toBe(false);
    expect(frontdesk.callsTo('privacy:erase')).toBe(0);
  });

  it('shows the contact as erased when core says so (another window or desk erased them)', async () => {
    const { wrapper, frontdesk } = await openChat();
    await clickId(wrapper, 'chat-contact-toggle');
    expect(byId(wrapper, 'contact-panel-name').text()).toBe('Mei Lin');
    frontdesk.emit('contacts:changed', { contactId: 1, mergedIds: [], reason: 'erased' });
    await flushPromises();
    expect(byId(wrapper, 'contact-panel-erased').text()).toBe('This contact was erased.');
    expect(wrapper.find('[data-testid="contact-panel-name"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="contact-data-rights"]').exists()).toBe(false);
  });
});
