import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { DryRunResult } from '../../../shared/ipc/automation';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { summary } from '../inbox/inbox-fakes';
import { autoRepliesView, dryRunEntry, hour, hoursView, now } from './automation-fakes';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

function dryRun(overrides: Partial<DryRunResult> = {}): DryRunResult {
  return { from: now - 7 * 24 * hour, to: now, entries: [], considered: 0, truncated: false, ...overrides };
}

async function openReplies(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({
    'hours:get': () => ok(hoursView()),
    'inbox:summary': () => ok(summary),
    'automation:get': () => ok(autoRepliesView()),
    'automation:dry-run': () => ok(dryRun({ considered: 12, entries: [dryRunEntry(1), dryRunEntry(2, { kind: 'away', text: 'We are closed right now.' })] })),
    'automation:save': (settings) => ok(autoRepliesView({ settings: structuredClone(settings) as never })),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path: '/automation?tab=replies' });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const valueOf = (wrapper: Wrapper, testId: string) => (byId(wrapper, testId).element as HTMLInputElement).value;
const fieldError = (wrapper: Wrapper, field: string) => wrapper.find(`[data-testid="field-error"][data-field="${field}"]`);

async function clickSave(wrapper: Wrapper) {
  await byId(wrapper, 'automation-save').trigger('click');
  await flushPromises();
}

describe('the greeting and away tab', () => {
  it('shows the settings, with a preview of each message as a customer would get it', async () => {
    const { wrapper } = await openReplies();
    expect((byId(wrapper, 'greeting-enabled').element as HTMLInputElement).checked).toBe(false);
    expect(valueOf(wrapper, 'greeting-text')).toBe('Hello {{name}}, thank you for contacting {{business}}. How can we help?');
    expect(valueOf(wrapper, 'greeting-idle-days')).toBe('14');
    expect((byId(wrapper, 'away-mode').element as HTMLSelectElement).value).toBe('outsideHours');
    expect(byId(wrapper, 'reply-preview-greeting').text()).toContain('Hello Mei, thank you for contacting Lotus Dental. How can we help?');
    expect(byId(wrapper, 'reply-preview-away').text()).toContain('We are closed right now and will reply when we open (Monday 09:00).');
  });

  it('inserts a variable where the cursor is, and the preview follows the typing', async () => {
    const { wrapper } = await openReplies();
    const text = byId(wrapper, 'greeting-text');
    await text.setValue('Hi ! We open ');
    (text.element as HTMLTextAreaElement).setSelectionRange(3, 3);
    await byId(wrapper, 'greeting-text-insert-name').trigger('click');
    (text.element as HTMLTextAreaElement).setSelectionRange(21, 21);
    await byId(wrapper, 'greeting-text-insert-next_open').trigger('click');
    expect(valueOf(wrapper, 'greeting-text')).toBe('Hi {{name}}! We open {{next_open}}');
    expect(byId(wrapper, 'reply-preview-greeting').text()).toContain('Hi Mei! We open Monday 09:00');

    await byId(wrapper, 'automation-language').setValue('zh-CN');
    expect(byId(wrapper, 'reply-preview-greeting').text()).toContain('星期一');
  });

  it('first shows what would have been sent, and only “Confirm and save” saves', async () => {
    const { wrapper, frontdesk } = await openReplies();
    await byId(wrapper, 'greeting-enabled').setValue(true);
    await byId(wrapper, 'greeting-idle-days').setValue('7');
    await byId(wrapper, 'send-both').setValue(true);
    await clickSave(wrapper);

    expect(frontdesk.callsTo('automation:save')).toBe(0);
    const [request] = frontdesk.payloadsOf('automation:dry-run');
    expect(request?.settings.greeting).toMatchObject({ enabled: true, idleDays: 7 });
    expect(request?.settings.sendBoth).toBe(true);

    const list = byId(wrapper, 'dry-run-list');
    const entries = list.findAll('[data-testid="dry-run-entry"]');
    expect(entries).toHaveLength(2);
    expect(entries[0]!.text()).toContain('Customer 1');
    expect(entries[0]!.text()).toContain('Greeting');
    expect(entries[0]!.text()).toContain('Hello Customer 1, thank you for contacting Lotus Dental.');
    expect(entries[1]!.text()).toContain('Away');
    expect(list.text()).toContain('12 customer messages looked at.');
    expect(wrapper.find('[data-testid="dry-run-empty"]').exists()).toBe(false);
    // The form waits while the dry run is on screen.
    expect(byId(wrapper, 'automation-fields').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-testid="automation-save"]').exists()).toBe(false);

    await byId(wrapper, 'dry-run-confirm').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('automation:save')).toEqual([request!.settings]);
    expect(wrapper.find('[data-testid="dry-run-list"]').exists()).toBe(false);
    expect(byId(wrapper, 'automation-saved').text()).toBe('Saved. The new settings apply from the next message.');
  });

  it('says when nothing would have been sent, and Cancel goes back to editing without saving', async () => {
    const { wrapper, frontdesk } = await openReplies({ 'automation:dry-run': () => ok(dryRun({ considered: 3 })) });
    await byId(wrapper, 'away-enabled').setValue(true);
    await clickSave(wrapper);
    expect(byId(wrapper, 'dry-run-empty').text()).toBe('Nothing would have been sent in the last 7 days.');
    expect(wrapper.findAll('[data-testid="dry-run-entry"]')).toHaveLength(0);

    await byId(wrapper, 'dry-run-cancel').trigger('click');
    await flushPromises();
    expect(frontdesk.callsTo('automation:save')).toBe(0);
    expect(wrapper.find('[data-testid="dry-run-list"]').exists()).toBe(false);
    expect(byId(wrapper, 'automation-fields').attributes('disabled')).toBeUndefined();
    expect((byId(wrapper, 'away-enabled').element as HTMLInputElement).checked).toBe(true);
  });

  it('notes a dry run that was cut short', async () => {
    const { wrapper } = await openReplies({ 'automation:dry-run': () => ok(dryRun({ entries: [dryRunEntry(1)], considered: 900, truncated: true })) });
    await clickSave(wrapper);
    expect(byId(wrapper, 'dry-run-truncated').text()).toBe('Only the first 1 are listed; more would have been sent.');
  });

  it('names the wrong fields and asks core nothing', async () => {
    const { wrapper, frontdesk } = await openReplies();
    await byId(wrapper, 'greeting-enabled').setValue(true);
    await byId(wrapper, 'greeting-text').setValue('  ');
    await byId(wrapper, 'greeting-idle-days').setValue('45');
    await byId(wrapper, 'away-text').setValue('Back at {{opening_time}}');
    await byId(wrapper, 'away-mode').setValue('custom');
    await byId(wrapper, 'away-from').setValue('2025-04-18T18:00');
    await byId(wrapper, 'away-to').setValue('2025-04-18T09:00');
    await byId(wrapper, 'away-recipients').setValue('only');
    await clickSave(wrapper);

    expect(frontdesk.callsTo('automation:dry-run')).toBe(0);
    expect(frontdesk.callsTo('automation:save')).toBe(0);
    expect(fieldError(wrapper, 'greeting.text').text()).toBe('Write the message, or turn it off.');
    expect(fieldError(wrapper, 'greeting.idleDays').text()).toBe('A whole number of days from 1 to 30.');
    expect(fieldError(wrapper, 'away.text').text()).toContain('Frontdesk does not know {{opening_time}}');
    expect(fieldError(wrapper, 'away.custom.to').text()).toBe('The end must be after the start.');
    expect(fieldError(wrapper, 'away.recipients.labelIds').text()).toBe('Choose at least one label.');
  });

  it('sends a custom away period and the labels chosen', async () => {
    const { wrapper, frontdesk } = await openReplies();
    await byId(wrapper, 'away-enabled').setValue(true);
    await byId(wrapper, 'away-mode').setValue('custom');
    await byId(wrapper, 'away-from').setValue('2025-04-18T18:00');
    await byId(wrapper, 'away-to').setValue('2025-04-22T09:00');
    await byId(wrapper, 'greeting-recipients').setValue('except');
    await byId(wrapper, 'greeting-label-2').setValue(true);
    await clickSave(wrapper);

    const [request] = frontdesk.payloadsOf('automation:dry-run');
    expect(request?.settings.away).toMatchObject({ enabled: true, mode: 'custom', custom: { from: '2025-04-18T18:00', to: '2025-04-22T09:00' } });
    expect(request?.settings.greeting.recipients).toEqual({ kind: 'except', labelIds: [2] });
  });

  it('shows why core refused, keeping the form', async () => {
    const { wrapper } = await openReplies({ 'automation:save': () => fail('internal', 'boom') });
    await byId(wrapper, 'greeting-text').setValue('Welcome to {{business}}!');
    await clickSave(wrapper);
    await byId(wrapper, 'dry-run-confirm').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'automation-error').text()).toContain('Something went wrong inside Frontdesk.');
    expect(valueOf(wrapper, 'greeting-text')).toBe('Welcome to {{business}}!');
    expect(wrapper.find('[data-testid="automation-saved"]').exists()).toBe(false);
  });

  it('speaks Chinese', async () => {
    const { wrapper } = await openReplies({}, 'zh-CN');
    expect(byId(wrapper, 'automation-save').text()).toBe('检查并保存…');
    await byId(wrapper, 'automation-save').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'dry-run-confirm').text()).toBe('确认并保存');
  });
});
