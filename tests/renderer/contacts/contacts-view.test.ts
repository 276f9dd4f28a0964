import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../shared/ipc/result';
import type { RequestOf } from '../../../shared/ipc/contract';
import type { ContactsImportReport } from '../../../shared/ipc/inbox';
import { contactsSearchDebounceMs } from '../../../renderer/src/composables/use-contact-pages';
import { importFormatOf } from '../../../renderer/src/stores/contacts';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { click, mountApp } from '../support/mount-app';
import { contact } from './contact-fixtures';

cleanUpAfterEach();
afterEach(() => {
  vi.useRealTimers();
});

// happy-dom lays nothing out: give the table's scroller a screenful and every row a height, as a browser would.
const layout = { clientHeight: 600, clientWidth: 800, offsetHeight: 40 } as const;
const originals = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  for (const [name, value] of Object.entries(layout)) {
    originals.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
});
afterAll(() => {
  for (const [name, descriptor] of originals) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
  }
});

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

/** 250 contacts in all; each request answers its slice. */
function listOf(total: number): NonNullable<FakeHandlers['contacts:list']> {
  return (request) => {
    const rows = [];
    for (let index = request.offset; index < Math.min(total, request.offset + request.limit); index += 1) rows.push(contact(index + 1));
    return ok({ rows, total, offset: request.offset });
  };
}

async function openContacts(handlers: FakeHandlers = {}) {
  const frontdesk = createFakeFrontdesk({
    'contacts:list': listOf(250),
    'contacts:get': (request) => ok(contact(request.contactId)),
    'inbox:summary': () =>
      ok({ unreadConversations: 0, unreadMessages: 0, labels: [{ id: 3, name: 'VIP', colour: 4, order: 1, conversations: 2 }] }),
    ...handlers,
  });
  return mountApp({ frontdesk, locale: 'en', path: '/contacts' });
}

/** Chooses a file in the hidden file input, as the browser's dialog would. */
async function chooseFile(wrapper: Wrapper, file: File) {
  const input = wrapper.get('[data-testid="contacts-import-file"]');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
  await vi.waitFor(async () => {
    await flushPromises();
    expect(wrapper.find('[data-testid="contacts-import"]').attributes('disabled')).toBeUndefined();
  });
  await flushPromises();
}

describe('the contacts page', () => {
  it('lists contacts a page at a time, names and numbers marked private', async () => {
    const { wrapper, frontdesk } = await openContacts();

    const rows = wrapper.findAll('[data-testid="contact-row"]');
    expect(rows.length).toBeGreaterThan(5);
    // A virtual table: far fewer rows in the DOM than contacts.
    expect(rows.length).toBeLessThan(250);
    expect(rows[0]!.get('[data-testid="contact-name"]').text()).toBe('Customer 1');
    expect(rows[0]!.find('[data-testid="contact-name"] [data-private]').exists()).toBe(true);
    expect(rows[0]!.get('[data-testid="contact-number"]').attributes()).toHaveProperty('data-private');
    expect(wrapper.get('[data-testid="contacts-count"]').text()).toBe('250 contacts');
    expect(frontdesk.payloadsOf('contacts:list')[0]).toEqual({ offset: 0, limit: 100 });
    expect(wrapper.get('table').attributes('aria-rowcount')).toBe('251');
  });

  it('searches as you type (debounced) and filters by label', async () => {
    const { wrapper, frontdesk } = await openContacts();
    vi.useFakeTimers();

    await wrapper.get('[data-testid="contacts-search"]').setValue('mei');
    await wrapper.get('[data-testid="contacts-search"]').setValue('mei lin');
    expect(frontdesk.payloadsOf('contacts:list').some((request) => request.query)).toBe(false);
    await vi.advanceTimersByTimeAsync(contactsSearchDebounceMs);
    await flushPromises();
    const searched = frontdesk.payloadsOf('contacts:list').filter((request) => request.query);
    expect(searched).toEqual([{ offset: 0, limit: 100, query: 'mei lin' }]);

    await wrapper.get('[data-testid="contacts-label-filter"]').setValue('3');
    await flushPromises();
    expect(frontdesk.payloadsOf('contacts:list').at(-1)).toEqual({ offset: 0, limit: 100, query: 'mei lin', labelId: 3 });
  });

  it('says so when nothing matches, and shows a failure with a retry', async () => {
    let answer: 'empty' | 'fail' = 'fail';
    const { wrapper } = await openContacts({
      'contacts:list': (request) => (answer === 'fail' ? fail('locked', 'locked') : ok({ rows: [], total: 0, offset: request.offset })),
    });
    expect(wrapper.get('[data-testid="contacts-error"]').text()).toContain('Frontdesk is locked');

    answer = 'empty';
    await click(wrapper, 'contacts-retry');
    expect(wrapper.get('[data-testid="contacts-empty"]').text()).toContain('No contacts yet');
  });

  it('imports a CSV file as bytes and shows the report: added, updated and each refused row', async () => {
    const report: ContactsImportReport = {
      added: 2,
      updated: 1,
      rejected: [
        { row: 4, reason: 'Not a phone number', value: '12ab' },
        { row: 7, reason: 'No phone number', value: 'Zhang <b>Wei</b>' },
      ],
    };
    const imported: RequestOf<'contacts:import'>[] = [];
    const { wrapper, frontdesk } = await openContacts({
      'contacts:import': (request) => {
        imported.push(request);
        return ok(report);
      },
    });
    const listedBefore = frontdesk.callsTo('contacts:list');

    await chooseFile(wrapper, new File(['name,phone\nMei,+8613800000001\n'], 'clinic.csv', { type: 'text/csv' }));

    expect(imported).toHaveLength(1);
    expect(imported[0]!.format).toBe('csv');
    expect(imported[0]!.bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(imported[0]!.bytes)).toBe('name,phone\nMei,+8613800000001\n');

    const shown = wrapper.get('[data-testid="import-report"]');
    expect(shown.text()).toContain('clinic.csv');
    expect(shown.get('[data-testid="import-added"]').text()).toBe('2 contacts added');
    expect(shown.get('[data-testid="import-updated"]').text()).toBe('one updated');
    expect(shown.get('[data-testid="import-rejected-count"]').text()).toBe('2 rows refused');
    const rejected = shown.findAll('[data-testid="import-rejected-row"]');
    expect(rejected.map((row) => row.findAll('td').map((cell) => cell.text()))).toEqual([
      ['4', 'Not a phone number', '12ab'],
      ['7', 'No phone number', 'Zhang <b>Wei</b>'],
    ]);
    // A value is text, never markup, and private.
    expect(shown.find('b').exists()).toBe(false);
    expect(rejected[1]!.get('[data-testid="import-rejected-value"]').attributes()).toHaveProperty('data-private');
    // The list reads again.
    expect(frontdesk.callsTo('contacts:list')).toBeGreaterThan(listedBefore);

    await click(wrapper, 'import-report-dismiss');
    expect(wrapper.find('[data-testid="import-report"]').exists()).toBe(false);
  });

  it('sends a vCard as vcard, and refuses another kind of file without asking core', async () => {
    const formats: string[] = [];
    const { wrapper, frontdesk } = await openContacts({
      'contacts:import': (request) => {
        formats.push(request.format);
        return ok({ added: 1, updated: 0, rejected: [] });
      },
    });

    await chooseFile(wrapper, new File(['BEGIN:VCARD\nEND:VCARD\n'], 'phone.VCF', { type: '' }));
    expect(formats).toEqual(['vcard']);
    expect(wrapper.find('[data-testid="import-rejected"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="import-rejected-count"]').text()).toBe('no rows refused');

    await chooseFile(wrapper, new File(['x'], 'photo.png', { type: 'image/png' }));
    expect(frontdesk.callsTo('contacts:import')).toBe(1);
    expect(wrapper.get('[data-testid="contacts-import-error"]').text()).toContain('“photo.png” is not a CSV');
  });

  it('shows a refused import in words', async () => {
    const { wrapper } = await openContacts({ 'contacts:import': () => fail('invalid_request', 'bad') });
    await chooseFile(wrapper, new File(['a'], 'a.csv', { type: 'text/csv' }));
    expect(wrapper.get('[data-testid="contacts-import-error"]').text()).toContain('Some of the information sent was not valid.');
  });

  it('exports CSV and says how many contacts were written', async () => {
    let saved = true;
    const { wrapper } = await openContacts({ 'contacts:export': () => ok({ saved, count: saved ? 250 : 0 }) });

    await click(wrapper, 'contacts-export');
    expect(wrapper.get('[data-testid="contacts-toast"]').text()).toBe('250 contacts exported to CSV');

    saved = false;
    await click(wrapper, 'contacts-export');
    expect(wrapper.get('[data-testid="contacts-toast"]').text()).toContain('cancelled');
  });

  it('opens the contact panel when a contact is clicked', async () => {
    const { wrapper } = await openContacts();

    await wrapper.findAll('[data-testid="contact-row"]')[2]!.trigger('click');
    await flushPromises();

    const panel = wrapper.get('[data-testid="contact-panel"]');
    expect(panel.attributes('data-contact-id')).toBe('3');
    expect(panel.get('[data-testid="contact-panel-name"]').text()).toBe('Customer 3');
    expect(wrapper.findAll('[data-testid="contact-row"]')[2]!.attributes('aria-current')).toBe('true');

    await click(wrapper, 'contact-panel-close');
    expect(wrapper.find('[data-testid="contact-panel"]').exists()).toBe(false);
  });
});

describe('importFormatOf', () => {
  it('goes by the extension first, then the type', () => {
    expect(importFormatOf({ name: 'a.CSV', type: '' })).toBe('csv');
    expect(importFormatOf({ name: 'a.vcf', type: 'text/csv' })).toBe('vcard');
    expect(importFormatOf({ name: 'a.vcard', type: '' })).toBe('vcard');
    expect(importFormatOf({ name: 'contacts', type: 'text/x-vcard' })).toBe('vcard');
    expect(importFormatOf({ name: 'contacts', type: 'text/csv' })).toBe('csv');
    expect(importFormatOf({ name: 'contacts.xlsx', type: 'application/vnd.ms-excel' })).toBeNull();
  });
});
