import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory } from 'vue-router';
import { createPinia } from 'pinia';
import { fail, ok } from '../../../shared/ipc/result';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { ContactView } from '../../../shared/ipc/inbox';
import ContactPanel from '../../../renderer/src/components/contacts/ContactPanel.vue';
import { createAppI18n } from '../../../renderer/src/i18n';
import { createAppRouter } from '../../../renderer/src/router';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeFrontdesk, FakeHandlers } from '../support/fake-frontdesk';
import { contact } from './contact-fixtures';

cleanUpAfterEach();

const meiLin = contact(7, {
  profileName: 'Mei Lin',
  savedName: null,
  displayName: 'Mei Lin',
  phone: '+86 138 0000 0007',
  username: 'meilin',
  userId: 'US.5511',
  notes: 'Prefers mornings',
  labels: [{ id: 3, name: 'VIP', colour: 4 }],
  marketingOptOut: true,
  conversationId: 42,
});

/** A core that keeps one contact and applies updates to it. */
function contactCore(start: ContactView = meiLin, handlers: FakeHandlers = {}) {
  let current = { ...start };
  const frontdesk = createFakeFrontdesk({
    'contacts:get': () => ok({ ...current }),
    'contacts:update': (request) => {
      const { contactId: _id, ...changes } = request;
      current = { ...current, ...changes } as ContactView;
      if ('savedName' in changes) current.displayName = current.savedName ?? current.profileName ?? '';
      return ok({ ...current });
    },
    ...handlers,
  }).install();
  return frontdesk;
}

async function mountPanel(frontdesk: FakeFrontdesk, props: { contactId: number; showOpenChat?: boolean } = { contactId: 7 }) {
  const router = createAppRouter(createMemoryHistory());
  await router.push('/contacts');
  const wrapper = mount(ContactPanel, { props, global: { plugins: [createPinia(), createAppI18n('en'), router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

describe('the contact panel', () => {
  it('shows the profile, saved name, number, username, BSUID, labels, opt-out and dates — personal data marked private', async () => {
    const frontdesk = contactCore();
    const { wrapper } = await mountPanel(frontdesk);

    expect(frontdesk.payloadsOf('contacts:get')).toEqual([{ contactId: 7 }]);
    expect(wrapper.get('[data-testid="contact-panel-name"]').text()).toBe('Mei Lin');
    expect(wrapper.get('[data-testid="contact-profile-name"]').text()).toBe('Mei Lin');
    expect(wrapper.get('[data-testid="contact-phone"]').text()).toBe('+86 138 0000 0007');
    expect(wrapper.get('[data-testid="contact-username"]').text()).toBe('@meilin');
    expect(wrapper.get('[data-testid="contact-bsuid"]').text()).toBe('US.5511');
    expect(wrapper.get('[data-testid="label-chip"]').text()).toBe('VIP');
    expect(wrapper.get('[data-testid="contact-marketing"]').text()).toContain('Opted out');
    expect(wrapper.get('[data-testid="contact-first"]').text()).toContain('2025');
    expect((wrapper.get('[data-testid="contact-notes"]').element as HTMLTextAreaElement).value).toBe('Prefers mornings');
    for (const testId of ['contact-panel-name', 'contact-phone', 'contact-username', 'contact-bsuid', 'contact-saved-name', 'contact-notes']) {
      expect(wrapper.get(`[data-testid="${testId}"]`).attributes(), testId).toHaveProperty('data-private');
    }
  });

  it('saves the saved name when the field is left, and a cleared one as null', async () => {
    const frontdesk = contactCore();
    const { wrapper } = await mountPanel(frontdesk);

    const field = wrapper.get('[data-testid="contact-saved-name"]');
    await field.setValue('  Ms Lin (dentist referral) ');
    await field.trigger('blur');
    await flushPromises();

    expect(frontdesk.payloadsOf('contacts:update')).toEqual([{ contactId: 7, savedName: 'Ms Lin (dentist referral)' }]);
    expect(wrapper.get('[data-testid="contact-panel-name"]').text()).toBe('Ms Lin (dentist referral)');
    expect(wrapper.get('[data-testid="contact-panel-status"]').text()).toBe('Saved.');
    expect(wrapper.emitted('updated')?.[0]?.[0]).toMatchObject({ id: 7, savedName: 'Ms Lin (dentist referral)' });

    // Leaving it again unchanged sends nothing.
    await field.trigger('blur');
    await flushPromises();
    expect(frontdesk.callsTo('contacts:update')).toBe(1);

    await field.setValue('');
    await field.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(frontdesk.payloadsOf('contacts:update')[1]).toEqual({ contactId: 7, savedName: null });
  });

  it('saves notes on blur only when they changed', async () => {
    const frontdesk = contactCore();
    const { wrapper } = await mountPanel(frontdesk);

    const notes = wrapper.get('[data-testid="contact-notes"]');
    await notes.trigger('blur');
    await flushPromises();
    expect(frontdesk.callsTo('contacts:update')).toBe(0);

    await notes.setValue('Prefers mornings\n对青霉素过敏');
    await notes.trigger('blur');
    await flushPromises();
    expect(frontdesk.payloadsOf('contacts:update')).toEqual([{ contactId: 7, notes: 'Prefers mornings\n对青霉素过敏' }]);
  });

  it('blocks and unblocks at once; a refusal is shown and the box shows what core has', async () => {
    const frontdesk = contactCore();
    const { wrapper } = await mountPanel(frontdesk);

    const box = wrapper.get('[data-testid="contact-blocked"]');
    await box.setValue(true);
    await flushPromises();
    expect(frontdesk.payloadsOf('contacts:update')).toEqual([{ contactId: 7, blocked: true }]);
    expect((box.element as HTMLInputElement).checked).toBe(true);
    wrapper.unmount();

    const refusing = contactCore({ ...meiLin, blocked: true }, { 'contacts:update': () => fail('not_found', 'gone') });
    const second = await mountPanel(refusing);
    const secondBox = second.wrapper.get('[data-testid="contact-blocked"]');
    await secondBox.setValue(false);
    await flushPromises();
    expect(refusing.payloadsOf('contacts:update')).toEqual([{ contactId: 7, blocked: false }]);
    expect(second.wrapper.get('[data-testid="contact-panel-save-error"]').text()).toContain('no longer exists');
    expect((secondBox.element as HTMLInputElement).checked).toBe(true);
  });

  it('links to the chat and to this contact’s history, emitting open-chat and search-history', async () => {
    const frontdesk = contactCore();
    const { wrapper, router } = await mountPanel(frontdesk);

    await wrapper.get('[data-testid="contact-open-chat"]').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('open-chat')).toEqual([[42]]);
    expect(router.currentRoute.value.fullPath).toBe('/inbox?conversation=42');

    await wrapper.get('[data-testid="contact-search-history"]').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('search-history')).toEqual([[7]]);
    expect(router.currentRoute.value.fullPath).toBe('/search?contact=7');
  });

  it('hides "Open chat" beside a chat, and when the contact has no conversation', async () => {
    const frontdesk = contactCore();
    const beside = await mountPanel(frontdesk, { contactId: 7, showOpenChat: false });
    expect(beside.wrapper.find('[data-testid="contact-open-chat"]').exists()).toBe(false);

    const none = await mountPanel(contactCore({ ...meiLin, conversationId: null }));
    expect(none.wrapper.find('[data-testid="contact-open-chat"]').exists()).toBe(false);
    expect(none.wrapper.find('[data-testid="contact-search-history"]').exists()).toBe(true);
  });

  it('follows a merge to the contact that remains', async () => {
    const frontdesk = contactCore(meiLin, { 'contacts:get': (request: RequestOf<'contacts:get'>) => ok(contact(request.contactId)) });
    const { wrapper } = await mountPanel(frontdesk);

    frontdesk.emit('contacts:changed', { contactId: 9, mergedIds: [7], reason: 'merged' });
    await flushPromises();

    expect(frontdesk.payloadsOf('contacts:get').at(-1)).toEqual({ contactId: 9 });
    expect(wrapper.get('[data-testid="contact-panel"]').attributes('data-contact-id')).toBe('9');
    expect(wrapper.get('[data-testid="contact-panel-name"]').text()).toBe('Customer 9');
  });
});

describe('searching a contact’s history', () => {
  it('sends the contact filter with the search, names the contact, and can drop the filter', async () => {
    const { mountApp } = await import('../support/mount-app');
    const searches: RequestOf<'search:messages'>[] = [];
    const frontdesk = createFakeFrontdesk({
      'contacts:get': () => ok(meiLin),
      'search:messages': (request) => {
        searches.push(request);
        return ok({ hits: [], nextCursor: null });
      },
    });
    const { wrapper, router } = await mountApp({ frontdesk, locale: 'en', path: '/search?contact=7' });

    expect(wrapper.get('[data-testid="search-contact-name"]').text()).toBe('Mei Lin');
    expect(wrapper.get('[data-testid="search-hint"]').text()).toContain('this contact’s messages');

    const input = wrapper.get('[data-testid="search-input"]');
    await input.setValue('cleaning');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(searches.at(-1)).toEqual({ query: 'cleaning', limit: 50, filters: { contactId: 7 } });

    await wrapper.get('[data-testid="search-contact-clear"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/search');
    expect(wrapper.find('[data-testid="search-contact-filter"]').exists()).toBe(false);
    expect(searches.at(-1)).toEqual({ query: 'cleaning', limit: 50 });
  });
});
