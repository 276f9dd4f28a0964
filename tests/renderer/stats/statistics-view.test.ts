/**
 * The Statistics page (PRODUCT §10) over a fake core: the figures as cards and tables, the period and the
 * filters sent to core, the list behind a card or a table cell (and its rows opening the chat at the message),
 * the business-hours switch, CSV export with the page's own column titles, and the page in Chinese. happy-dom
 * has no canvas: each chart shows its description in words instead (what screen readers read in the app).
 */
import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { StatsDrillPage, StatsReport } from '../../../shared/ipc/stats';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { inboxHandlers, summary } from '../inbox/inbox-fakes';
import { drillRow, report } from './stats-fakes';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

async function open(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en', answer: StatsReport = report()) {
  const frontdesk = createFakeFrontdesk({
    ...inboxHandlers(),
    'inbox:summary': () => ok(summary),
    'stats:compute': () => ok(answer),
    'stats:drill-down': ({ offset = 0 }) => ok<StatsDrillPage>({ kind: 'messages', total: 2, offset, rows: [drillRow(offset + 1)] }),
    'stats:export-csv': () => ok({ saved: true, rows: 3 }),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path: '/statistics' });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const cardValue = (wrapper: Wrapper, key: string) => byId(wrapper, `stats-card-${key}`).get('[data-testid="stats-card-value"]').text();
const tableRows = (wrapper: Wrapper, table: string) => byId(wrapper, `stats-table-${table}`).findAll('[data-testid="stats-table-row"]');

describe('the Statistics page', () => {
  it('computes the last 7 days on opening and shows every count, rate and reason', async () => {
    const { wrapper, frontdesk } = await open();
    expect(frontdesk.payloadsOf('stats:compute')).toEqual([{ range: { preset: '7d' } }]);
    // Intl puts thin spaces around the range's dash.
    expect(byId(wrapper, 'stats-summary').text().replace(/\s+/g, ' ')).toBe('Feb 24 – Mar 2, 2026 · times in Asia/Hong_Kong');
    expect(cardValue(wrapper, 'sent')).toBe('1,234');
    expect(cardValue(wrapper, 'delivered')).toBe('1,100');
    expect(byId(wrapper, 'stats-card-delivered').text()).toContain('89.1% of sent');
    expect(cardValue(wrapper, 'read')).toBe('880');
    expect(byId(wrapper, 'stats-card-read').text()).toContain('At least');
    expect(cardValue(wrapper, 'failed')).toBe('12');
    expect(cardValue(wrapper, 'received')).toBe('1,500');
    expect(cardValue(wrapper, 'unread')).toBe('3');
    expect(cardValue(wrapper, 'delivery-rate')).toBe('89.1%');
    expect(cardValue(wrapper, 'read-rate')).toBe('80%');
    // Failed by reason: Meta's reason in words, and a failure without a code said so.
    const reasons = tableRows(wrapper, 'failedByCode').map((r) => r.text());
    expect(reasons[0]).toContain('131026');
    expect(reasons[0]).toContain('the message could not be delivered');
    expect(reasons[2]).toContain('No error code given');
    // Response times: medians, means and 90% within, as waits in words.
    expect(byId(wrapper, 'stats-response-firstResponse').get('[data-testid="stats-response-median"]').text()).toBe('32 min');
    expect(byId(wrapper, 'stats-response-firstResponse').get('[data-testid="stats-response-p90"]').text()).toBe('90% within 1 h 4 min');
    expect(byId(wrapper, 'stats-response-unanswered').text()).toContain('3');
    expect(byId(wrapper, 'stats-busiest').text()).toContain('Monday 09:00–10:00');
  });

  it('describes each chart in words (what screen readers read; shown here, where there is no canvas)', async () => {
    const { wrapper } = await open();
    expect(byId(wrapper, 'stats-chart-funnel').text()).toBe('Funnel: 1,234 sent, 1,100 delivered, 880 read.');
    expect(byId(wrapper, 'stats-chart-per-day').text()).toContain('7 days: 1,234 sent and 1,500 received');
    expect(byId(wrapper, 'stats-chart-heatmap').text()).toContain('Busiest: Monday 09:00–10:00 (4 messages)');
    expect(byId(wrapper, 'stats-chart-responses').text()).toContain('First response: Under 1 min 1, 1–5 min 3');
  });

  it('asks core again for another period, a custom range, a label or a staff member', async () => {
    const { wrapper, frontdesk } = await open();
    await byId(wrapper, 'stats-range-today').get('input').setValue(true);
    await flushPromises();
    await byId(wrapper, 'stats-range-custom').get('input').setValue(true);
    await flushPromises();
    // The custom fields start from the period shown.
    expect((byId(wrapper, 'stats-from').element as HTMLInputElement).value).toBe('2026-02-24');
    await byId(wrapper, 'stats-from').setValue('2026-03-05');
    await byId(wrapper, 'stats-to').setValue('2026-03-01');
    await byId(wrapper, 'stats-custom-range').trigger('submit');
    await flushPromises();
    expect(byId(wrapper, 'stats-range-error').text()).toBe('The end date is before the start date.');
    expect(byId(wrapper, 'stats-from').attributes('aria-invalid')).toBe('true');
    await byId(wrapper, 'stats-from').setValue('2026-02-01');
    await byId(wrapper, 'stats-custom-range').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="stats-range-error"]').exists()).toBe(false);
    await byId(wrapper, 'stats-label-filter').setValue('2');
    await flushPromises();
    await byId(wrapper, 'stats-staff-filter').setValue('bob');
    await flushPromises();
    expect(frontdesk.payloadsOf('stats:compute').slice(1)).toEqual([
      { range: { preset: 'today' } },
      { range: { preset: 'custom', fromDate: '2026-02-01', toDate: '2026-03-01' } },
      { range: { preset: 'custom', fromDate: '2026-02-01', toDate: '2026-03-01' }, labelId: 2 },
      { range: { preset: 'custom', fromDate: '2026-02-01', toDate: '2026-03-01' }, labelId: 2, staffId: 'bob' },
    ]);
  });

  it('lists the failed messages behind the card, each opening the chat at that message, a page at a time', async () => {
    const { wrapper, frontdesk, router } = await open();
    await byId(wrapper, 'stats-card-failed').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'stats-drill-title').text()).toBe('Failed');
    expect(byId(wrapper, 'stats-drill-total').text()).toBe('2 messages');
    expect(frontdesk.payloadsOf('stats:drill-down')).toEqual([{ range: { preset: '7d' }, figure: { metric: 'failed' }, offset: 0, limit: 50 }]);
    const rows = () => wrapper.findAll('[data-testid="stats-drill-row"]');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.text()).toContain('Customer 1');
    expect(rows()[0]!.get('[data-testid="stats-drill-reason"]').text()).toBe('131026: the message could not be delivered — the number may not be on WhatsApp or the app is too old');
    // Times in the business timezone: 09:24 in Hong Kong.
    expect(rows()[0]!.get('time').text()).toBe('Mar 2, 2026, 9:24 AM');
    expect(rows()[0]!.attributes('href')).toBe('#/inbox?conversation=41&message=1');

    await byId(wrapper, 'stats-drill-more').trigger('click');
    await flushPromises();
    expect(rows()).toHaveLength(2);
    expect(frontdesk.payloadsOf('stats:drill-down')[1]).toMatchObject({ offset: 1 });
    expect(wrapper.find('[data-testid="stats-drill-more"]').exists()).toBe(false);

    await rows()[1]!.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/inbox?conversation=42&message=2');
  });

  it('opens a table cell for its label (focus back on it after), a staff member, and the messages no staff member sent', async () => {
    const { wrapper, frontdesk } = await open();
    const newCustomer = tableRows(wrapper, 'perLabel')[0]!;
    expect(newCustomer.findAll('td').map((td) => td.text())).toEqual(['30', '28', '20', '1', '40', '93.3%', '71.4%', '5', '1', '20 min', '10 min']);
    const received = newCustomer.get('td[data-column="received"] button');
    (received.element as HTMLElement).focus();
    await received.trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('stats:drill-down')[0]).toMatchObject({ labelId: 1, figure: { metric: 'received' } });
    expect(byId(wrapper, 'stats-drill-title').text()).toBe('Received — label “New customer”');
    await byId(wrapper, 'stats-drill-close').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="stats-drill"]').exists()).toBe(false);
    // Back where the list was opened from.
    expect(document.activeElement).toBe(received.element);

    const [ann, unattributed] = tableRows(wrapper, 'perStaff');
    await ann!.get('td[data-column="firstResponseMedian"] button').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('stats:drill-down')[1]).toMatchObject({ staffId: 'ann', figure: { metric: 'answered', measure: 'firstResponse', businessHours: false } });
    expect(unattributed!.text()).toContain('Automatic replies and other apps');
    await byId(wrapper, 'stats-drill-close').trigger('click');
    await unattributed!.get('td[data-column="sent"] button').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('stats:drill-down')[2]).toMatchObject({ staffId: null, figure: { metric: 'sent' } });
  });

  it('counts open hours only when the switch is on, in the cards, the tables and the lists', async () => {
    const { wrapper, frontdesk } = await open();
    await byId(wrapper, 'stats-business-hours').setValue(true);
    await flushPromises();
    expect(byId(wrapper, 'stats-response-firstResponse').get('[data-testid="stats-response-median"]').text()).toBe('12 min');
    expect(tableRows(wrapper, 'perLabel')[0]!.get('td[data-column="firstResponseMedian"]').text()).toBe('5 min');
    await byId(wrapper, 'stats-response-firstResponse').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('stats:drill-down')[0]).toMatchObject({ figure: { metric: 'answered', measure: 'firstResponse', businessHours: true } });
    expect(frontdesk.callsTo('stats:compute')).toBe(1);
  });

  it('exports a table with the column titles it shows, and says how many rows went (or that it was cancelled)', async () => {
    let saved = true;
    const { wrapper, frontdesk } = await open({ 'stats:export-csv': () => ok({ saved, rows: saved ? 2 : 0 }) });
    await byId(wrapper, 'stats-export-perLabel').trigger('click');
    await flushPromises();
    const shownTitles = byId(wrapper, 'stats-table-perLabel').findAll('thead th').map((th) => th.text());
    expect(frontdesk.payloadsOf('stats:export-csv')).toEqual([
      { kind: 'table', table: 'perLabel', businessHours: false, headers: shownTitles, unattributed: 'Automatic replies and other apps', range: { preset: '7d' } },
    ]);
    expect(byId(wrapper, 'stats-toast').text()).toBe('2 rows exported to CSV');
    saved = false;
    await byId(wrapper, 'stats-card-failed').trigger('click');
    await flushPromises();
    await byId(wrapper, 'stats-drill-export').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('stats:export-csv')[1]).toMatchObject({ kind: 'drill-down', figure: { metric: 'failed' }, headers: expect.arrayContaining(['Time', 'Chat', 'Reason']) });
    expect(byId(wrapper, 'stats-toast').text()).toBe('Export cancelled.');
  });

  it('says when core could not compute, with the reason', async () => {
    const { wrapper } = await open({ 'stats:compute': () => fail('locked', 'Locked') });
    expect(byId(wrapper, 'stats-error').text()).toContain('The statistics could not be computed.');
    expect(byId(wrapper, 'stats-error').text()).toContain('Frontdesk is locked.');
    expect(wrapper.find('[data-testid="stats-page"]').exists()).toBe(false);
  });

  it('is all in Chinese in Chinese', async () => {
    const { wrapper } = await open({}, 'zh-CN');
    expect(byId(wrapper, 'page-title').text()).toBe('统计');
    expect(byId(wrapper, 'stats-card-failed').text()).toContain('发送失败');
    expect(byId(wrapper, 'stats-card-delivered').text()).toContain('占已发送的 89.1%');
    expect(byId(wrapper, 'stats-response-firstResponse').get('[data-testid="stats-response-median"]').text()).toBe('32 分钟');
    expect(byId(wrapper, 'stats-range-30d').text()).toBe('最近 30 天');
    expect(byId(wrapper, 'stats-busiest').text()).toContain('星期一 09:00–10:00');
    expect(byId(wrapper, 'stats-definitions').text()).toContain('已读 ÷ 已送达');
    expect(byId(wrapper, 'stats-table-perStaff').text()).toContain('自动回复和其他应用');
  });
});
