import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { AutomationLogEntry } from '../../../shared/ipc/automation';
import type { RequestOf } from '../../../shared/ipc/contract';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { inboxHandlers } from '../inbox/inbox-fakes';
import { hoursView, logEntry, now } from './automation-fakes';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

/** 120 entries, newest first, served 50 at a time before the `before` entry's time. */
const all: AutomationLogEntry[] = Array.from({ length: 120 }, (_, index) =>
  logEntry(index + 1, index % 2 === 0 ? { kind: 'greeting', period: null, text: `Hello Customer ${index + 1}!` } : {}),
);

function pageOf(entries: AutomationLogEntry[]) {
  return (request: RequestOf<'automation:log'>) => {
    const older = request.before === undefined ? entries : entries.filter((entry) => entry.at < request.before!);
    const page = older.slice(0, request.limit ?? 50);
    const more = older.length > page.length;
    return ok({ entries: page, nextBefore: more ? page.at(-1)!.at : null });
  };
}

async function openLog(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({ ...inboxHandlers(), 'hours:get': () => ok(hoursView()), 'automation:log': pageOf(all), ...handlers });
  const mounted = await mountApp({ frontdesk, locale, path: '/automation?tab=log' });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const entries = (wrapper: Wrapper) => wrapper.findAll('[data-testid="automation-log-entry"]');

describe('the automation log', () => {
  it('lists automatic messages newest first, with what triggered each and the away period in words', async () => {
    const { wrapper, frontdesk } = await openLog();
    expect(frontdesk.payloadsOf('automation:log')).toEqual([{ limit: 50 }]);
    const shown = entries(wrapper);
    expect(shown).toHaveLength(50);
    const [first, second] = shown;
    expect(first!.attributes('data-kind')).toBe('greeting');
    expect(first!.get('[data-testid="automation-log-contact"]').text()).toBe('Customer 1');
    expect(first!.get('[data-testid="automation-log-inbound"]').text()).toBe('Are you open? (1)');
    expect(first!.get('[data-testid="automation-log-text"]').text()).toBe('Hello Customer 1!');
    expect(first!.get('[data-testid="automation-log-status"]').text()).toBe('Delivered');
    expect(first!.text()).toContain('Greeting');
    expect(first!.find('[data-testid="automation-log-period"]').exists()).toBe(false);
    expect(second!.text()).toContain('Away');
    expect(second!.get('[data-testid="automation-log-period"]').text()).toBe('Outside business hours, closed since Mar 13, 2025, 17:00');
  });

  it('loads older entries with nextBefore until there are no more', async () => {
    const { wrapper, frontdesk } = await openLog();
    await byId(wrapper, 'automation-log-more').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('automation:log')[1]).toEqual({ before: all[49]!.at, limit: 50 });
    expect(entries(wrapper)).toHaveLength(100);
    await byId(wrapper, 'automation-log-more').trigger('click');
    await flushPromises();
    expect(entries(wrapper)).toHaveLength(120);
    expect(entries(wrapper).at(-1)!.get('[data-testid="automation-log-contact"]').text()).toBe('Customer 120');
    expect(wrapper.find('[data-testid="automation-log-more"]').exists()).toBe(false);
  });

  it('links each entry to its chat', async () => {
    const { wrapper } = await openLog();
    await entries(wrapper)[2]!.get('[data-testid="automation-log-open-chat"]').trigger('click');
    await flushPromises();
    expect(window.location.hash).toBe('#/inbox?conversation=3');
  });

  it('shows what was erased, the other away periods, and a failed message', async () => {
    const { wrapper } = await openLog({
      'automation:log': pageOf([
        logEntry(1, { inboundText: null, text: null, status: 'failed', period: { mode: 'always', day: '2025-03-14' } }),
        logEntry(2, { conversationId: null, period: { mode: 'custom', from: '2025-04-18T18:00', to: '2025-04-22T09:00' } }),
      ]),
    });
    const [first, second] = entries(wrapper);
    expect(first!.get('[data-testid="automation-log-inbound"]').text()).toBe('Erased');
    expect(first!.get('[data-testid="automation-log-status"]').text()).toBe('Not delivered');
    expect(first!.get('[data-testid="automation-log-period"]').text()).toBe('All day, Mar 14, 2025');
    expect(second!.get('[data-testid="automation-log-period"]').text()).toBe('From Apr 18, 2025 18:00 to Apr 22, 2025 09:00');
    expect(second!.find('[data-testid="automation-log-open-chat"]').exists()).toBe(false);
  });

  it('says when nothing was sent yet, and shows a new automatic message as it goes out', async () => {
    let log: AutomationLogEntry[] = [];
    const { wrapper, frontdesk } = await openLog({ 'automation:log': (request) => pageOf(log)(request) });
    expect(byId(wrapper, 'automation-log-empty').text()).toBe('No greeting or away message has been sent yet.');
    log = [logEntry(9, { at: now })];
    frontdesk.emit('automation:sent', { kind: 'away', conversationId: 9, messageId: 309, at: now });
    await flushPromises();
    expect(entries(wrapper)).toHaveLength(1);
    expect(wrapper.find('[data-testid="automation-log-empty"]').exists()).toBe(false);
  });

  it('says why the log could not be read', async () => {
    const { wrapper } = await openLog({ 'automation:log': () => fail('locked', 'locked') });
    expect(byId(wrapper, 'automation-log-error').text()).toContain('Frontdesk is locked.');
  });

  it('speaks Chinese', async () => {
    const { wrapper } = await openLog({}, 'zh-CN');
    expect(entries(wrapper)[1]!.text()).toContain('离开');
    expect(byId(wrapper, 'automation-log-more').text()).toBe('加载更多');
  });
});
