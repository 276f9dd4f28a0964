import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../shared/ipc/result';
import { defaultBusinessHours } from '../../../shared/rules/business-hours';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { closedState, hoursView, now, openState } from './automation-fakes';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

async function openHours(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({
    'hours:get': () => ok(hoursView()),
    'hours:save': (hours) => ok(hoursView({ hours: structuredClone({ exceptions: [], ...hours }) as never, effectiveFrom: now })),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path: '/automation' });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const valueOf = (wrapper: Wrapper, testId: string) => (byId(wrapper, testId).element as HTMLInputElement).value;
const fieldError = (wrapper: Wrapper, field: string) => wrapper.find(`[data-testid="field-error"][data-field="${field}"]`);

async function save(wrapper: Wrapper) {
  await byId(wrapper, 'hours-save').trigger('click');
  await flushPromises();
}

describe('the business hours tab', () => {
  it('opens first, with the hours in force, open now, and the versions', async () => {
    const { wrapper } = await openHours();
    expect(byId(wrapper, 'automation-tab-hours').attributes('aria-selected')).toBe('true');
    expect(valueOf(wrapper, 'hours-timezone')).toBe('UTC');
    expect((byId(wrapper, 'hours-mode-mon').element as HTMLSelectElement).value).toBe('open');
    expect(valueOf(wrapper, 'hours-start-mon-0')).toBe('09:00');
    expect(valueOf(wrapper, 'hours-end-mon-0')).toBe('17:00');
    expect((byId(wrapper, 'hours-mode-sun').element as HTMLSelectElement).value).toBe('closed');
    expect(wrapper.find('[data-testid="hours-start-sun-0"]').exists()).toBe(false);
    expect(byId(wrapper, 'hours-state').text()).toBe('Open now · closes 17:00');
    expect(byId(wrapper, 'hours-history').text()).toContain('(UTC)');
    expect(wrapper.findAll('[data-testid="hours-history-entry"]')).toHaveLength(1);
    // Five weekdays, one bar each.
    expect(byId(wrapper, 'hours-week-view').findAll('[data-testid="hours-week-bar"]')).toHaveLength(5);
  });

  it('says nothing in the status bar until hours are saved, then says open or closed', async () => {
    const { wrapper } = await openHours({ 'hours:get': () => ok(hoursView({ effectiveFrom: null, history: [] })) });
    expect(wrapper.find('[data-testid="hours-indicator"]').exists()).toBe(false);
    await byId(wrapper, 'hours-save').trigger('submit');
    await flushPromises();
    expect(byId(wrapper, 'hours-indicator').text()).toContain('Open now · closes 17:00');
  });

  it('follows core’s hours:state, here and in the status bar', async () => {
    const { wrapper, frontdesk } = await openHours();
    expect(byId(wrapper, 'hours-indicator').text()).toContain('Open now · closes 17:00');
    frontdesk.emit('hours:state', closedState());
    await flushPromises();
    expect(byId(wrapper, 'hours-state').text()).toBe('Closed · opens Monday 09:00');
    expect(byId(wrapper, 'hours-indicator').text()).toContain('Closed · opens Monday 09:00');
    frontdesk.emit('hours:state', closedState({ appointment: true, nextOpen: null, nextChange: null }));
    await flushPromises();
    expect(byId(wrapper, 'hours-state').text()).toBe('By appointment');
  });

  it('shows an overlap beside the interval and does not save', async () => {
    const { wrapper, frontdesk } = await openHours();
    await byId(wrapper, 'hours-add-interval-tue').trigger('click');
    await byId(wrapper, 'hours-start-tue-1').setValue('12:00');
    await byId(wrapper, 'hours-end-tue-1').setValue('19:00');
    await save(wrapper);

    expect(frontdesk.callsTo('hours:save')).toBe(0);
    expect(fieldError(wrapper, 'week.tue.intervals.1').text()).toBe('Overlaps Tuesday 09:00–17:00.');
    expect(fieldError(wrapper, 'week.tue.intervals.0').exists()).toBe(false);
    expect(byId(wrapper, 'hours-start-tue-1').attributes('aria-invalid')).toBe('true');
    expect(byId(wrapper, 'hours-problems').text()).toBe('Some hours need attention: see the messages beside them.');

    // Moving the second interval after the first clears it, as it is typed.
    await byId(wrapper, 'hours-start-tue-1').setValue('18:00');
    expect(fieldError(wrapper, 'week.tue.intervals.1').exists()).toBe(false);
    await save(wrapper);
    expect(frontdesk.payloadsOf('hours:save')[0]?.week.tue).toEqual({
      mode: 'open',
      intervals: [
        { start: '09:00', end: '17:00' },
        { start: '18:00', end: '19:00' },
      ],
    });
  });

  it('sees an overnight interval run into the next day, around the week', async () => {
    const { wrapper, frontdesk } = await openHours();
    await byId(wrapper, 'hours-mode-sun').setValue('open');
    await byId(wrapper, 'hours-start-sun-0').setValue('22:00');
    await byId(wrapper, 'hours-end-sun-0').setValue('10:00');
    await save(wrapper);
    expect(frontdesk.callsTo('hours:save')).toBe(0);
    expect(fieldError(wrapper, 'week.sun.intervals.0').text()).toBe('Overlaps Monday 09:00–17:00.');
  });

  it('takes an overnight interval like 21:00–02:00 and sends it as typed', async () => {
    const { wrapper, frontdesk } = await openHours();
    await byId(wrapper, 'hours-mode-sat').setValue('open');
    await byId(wrapper, 'hours-start-sat-0').setValue('21:00');
    const end = byId(wrapper, 'hours-end-sat-0');
    await end.setValue('2:00');
    await end.trigger('change');
    expect(valueOf(wrapper, 'hours-end-sat-0')).toBe('02:00');
    expect(byId(wrapper, 'hours-day-sat').find('[data-testid="hours-next-day"]').text()).toBe('next day');

    // Drawn to midnight on Saturday and on into Sunday.
    const bars = byId(wrapper, 'hours-week-view').findAll('[data-testid="hours-week-bar"]');
    expect(bars.filter((bar) => bar.attributes('data-day') === 'sat').map((bar) => [bar.attributes('data-start'), bar.attributes('data-end')])).toEqual([['21:00', '24:00']]);
    expect(bars.filter((bar) => bar.attributes('data-day') === 'sun').map((bar) => [bar.attributes('data-start'), bar.attributes('data-end')])).toEqual([['00:00', '02:00']]);

    await save(wrapper);
    const [sent] = frontdesk.payloadsOf('hours:save');
    expect(sent?.week.sat).toEqual({ mode: 'open', intervals: [{ start: '21:00', end: '02:00' }] });
    expect(sent?.timezone).toBe('UTC');
    expect(byId(wrapper, 'hours-saved').text()).toBe('Saved. The new hours are in force from now on.');
  });

  it('takes 24:00 as the end of the day', async () => {
    const { wrapper, frontdesk } = await openHours();
    await byId(wrapper, 'hours-end-fri-0').setValue('24:00');
    await save(wrapper);
    expect(frontdesk.payloadsOf('hours:save')[0]?.week.fri).toEqual({ mode: 'open', intervals: [{ start: '09:00', end: '24:00' }] });
  });

  it('names a time that is not a time, an unknown timezone and an empty interval', async () => {
    const { wrapper, frontdesk } = await openHours();
    await byId(wrapper, 'hours-end-mon-0').setValue('25:00');
    await byId(wrapper, 'hours-end-wed-0').setValue('09:00');
    await byId(wrapper, 'hours-timezone').setValue('Mars/Olympus');
    await save(wrapper);
    expect(frontdesk.callsTo('hours:save')).toBe(0);
    expect(fieldError(wrapper, 'week.mon.intervals.0').text()).toBe('A closing time as HH:MM (24:00 for midnight).');
    expect(fieldError(wrapper, 'week.wed.intervals.0').text()).toBe('Opens and closes at the same time.');
    expect(fieldError(wrapper, 'timezone').text()).toContain('Not a timezone Frontdesk knows.');
  });

  it('sets a day to 24 hours, by appointment or closed, and keeps special dates', async () => {
    const { wrapper, frontdesk } = await openHours();
    await byId(wrapper, 'hours-mode-mon').setValue('allDay');
    await byId(wrapper, 'hours-mode-tue').setValue('appointment');
    await byId(wrapper, 'hours-mode-wed').setValue('closed');
    await byId(wrapper, 'hours-exception-add').trigger('click');
    await byId(wrapper, 'hours-exception-date-0').setValue('2025-12-25');
    await byId(wrapper, 'hours-exception-note-0').setValue('Christmas');
    await byId(wrapper, 'hours-exception-add').trigger('click');
    await byId(wrapper, 'hours-exception-date-1').setValue('2025-12-24');
    await byId(wrapper, 'hours-exception-mode-1').setValue('open');
    await byId(wrapper, 'hours-exception-end-1-0').setValue('12:00');
    await save(wrapper);

    const [sent] = frontdesk.payloadsOf('hours:save');
    expect(sent?.week.mon).toEqual({ mode: 'allDay' });
    expect(sent?.week.tue).toEqual({ mode: 'appointment' });
    expect(sent?.week.wed).toEqual({ mode: 'closed' });
    expect(sent?.exceptions).toEqual([
      { date: '2025-12-25', hours: { mode: 'closed' }, note: 'Christmas' },
      { date: '2025-12-24', hours: { mode: 'open', intervals: [{ start: '09:00', end: '12:00' }] }, note: '' },
    ]);
  });

  it('names a special date given twice', async () => {
    const { wrapper, frontdesk } = await openHours();
    for (const index of [0, 1]) {
      await byId(wrapper, 'hours-exception-add').trigger('click');
      await byId(wrapper, `hours-exception-date-${index}`).setValue('2025-05-01');
    }
    await save(wrapper);
    expect(frontdesk.callsTo('hours:save')).toBe(0);
    expect(fieldError(wrapper, 'exceptions.1.date').text()).toBe('This date already has special hours.');
  });

  it('shows core’s refusal', async () => {
    const { wrapper } = await openHours({ 'hours:save': () => fail('locked', 'locked') });
    await byId(wrapper, 'hours-end-mon-0').setValue('18:00');
    await save(wrapper);
    expect(byId(wrapper, 'hours-error').text()).toContain('Frontdesk is locked.');
    expect(valueOf(wrapper, 'hours-end-mon-0')).toBe('18:00');
  });

  it('says when the hours are the defaults, not saved yet', async () => {
    const { wrapper } = await openHours({ 'hours:get': () => ok(hoursView({ effectiveFrom: null, history: [] }, defaultBusinessHours('UTC'))) });
    expect(byId(wrapper, 'hours-history').text()).toContain('Not saved yet');
  });

  it('speaks Chinese', async () => {
    const { wrapper } = await openHours({ 'hours:get': () => ok(hoursView({ state: openState() })) }, 'zh-CN');
    expect(byId(wrapper, 'hours-state').text()).toBe('营业中 · 17:00 打烊');
    expect(byId(wrapper, 'automation-tab-replies').text()).toBe('问候与离开消息');
  });
});

describe('the automation tabs', () => {
  it('switch by click and by arrow keys, and remember the tab in the address', async () => {
    const { wrapper } = await openHours({ 'automation:get': () => fail('locked', 'locked'), 'automation:log': () => ok({ entries: [], nextBefore: null }) });
    await byId(wrapper, 'automation-tab-log').trigger('click');
    await flushPromises();
    expect(window.location.hash).toBe('#/automation?tab=log');
    expect(byId(wrapper, 'automation-tab-log').attributes('aria-selected')).toBe('true');
    expect(byId(wrapper, 'automation-panel-hours').isVisible()).toBe(false);
    await byId(wrapper, 'automation-tab-log').trigger('keydown', { key: 'ArrowLeft' });
    await flushPromises();
    expect(byId(wrapper, 'automation-tab-replies').attributes('aria-selected')).toBe('true');
    expect(byId(wrapper, 'automation-tab-replies').attributes('tabindex')).toBe('0');
    expect(byId(wrapper, 'automation-tab-hours').attributes('tabindex')).toBe('-1');
  });
});
