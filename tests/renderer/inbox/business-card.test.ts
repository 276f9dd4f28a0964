import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../shared/ipc/result';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import { hoursView, profileView } from '../automation/automation-fakes';
import { detail, inboxHandlers, now, row } from './inbox-fakes';

cleanUpAfterEach();

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

async function openComposer(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en', draft = '') {
  const frontdesk = createFakeFrontdesk({
    ...inboxHandlers(),
    'conversations:get': () => ok(detail(row(1), draft)),
    'profile:get': () =>
      ok(
        profileView({
          extras: {
            contactMethods: [
              { kind: 'phone', label: 'Reception', value: '+44 1223 555 010' },
              { kind: 'fax', label: 'Fax', value: '+44 1223 555 011' },
            ],
          },
          fields: { ...profileView().fields, websites: ['https://lotus-dental.example', 'https://book.lotus-dental.example'] },
        }),
      ),
    'hours:get': () =>
      ok(
        hoursView(
          {},
          {
            timezone: 'Europe/London',
            week: {
              mon: { mode: 'open', intervals: [{ start: '09:00', end: '17:00' }] },
              tue: { mode: 'open', intervals: [{ start: '09:00', end: '17:00' }] },
              wed: { mode: 'open', intervals: [{ start: '09:00', end: '17:00' }] },
              thu: { mode: 'open', intervals: [{ start: '09:00', end: '12:30' }, { start: '14:00', end: '20:00' }] },
              fri: { mode: 'open', intervals: [{ start: '09:00', end: '17:00' }] },
              sat: { mode: 'appointment' },
              sun: { mode: 'closed' },
            },
            exceptions: [],
          },
        ),
      ),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale, path: '/inbox?conversation=1' });
  frontdesk.emit('app:tick', { at: now, seq: 1 });
  await flushPromises();
  return mounted;
}

const byId = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const composerText = (wrapper: Wrapper) => (byId(wrapper, 'composer-input').element as HTMLTextAreaElement).value;

async function insertCard(wrapper: Wrapper) {
  await byId(wrapper, 'insert-business-card').trigger('click');
  await flushPromises();
}

describe('the business card in the composer', () => {
  it('inserts the profile, the extra contact methods and a compact week as plain text', async () => {
    const { wrapper, frontdesk } = await openComposer();
    await insertCard(wrapper);
    expect(frontdesk.callsTo('profile:get')).toBe(1);
    expect(composerText(wrapper)).toBe(
      [
        '*Lotus Dental*',
        'Address: 12 High Street, Cambridge',
        'Email: hello@lotus-dental.example',
        'Website: https://lotus-dental.example',
        'Website: https://book.lotus-dental.example',
        'Reception: +44 1223 555 010',
        'Fax: +44 1223 555 011',
        '',
        'Opening hours (Europe/London):',
        'Mon–Wed 09:00–17:00',
        'Thu 09:00–12:30, 14:00–20:00',
        'Fri 09:00–17:00',
        'Sat By appointment only',
        'Sun Closed',
      ].join('\n'),
    );
    // It is a draft like any other text: saved, and sent only when staff send it.
    expect(frontdesk.callsTo('messages:send')).toBe(0);
  });

  it('goes on a line of its own after what was typed', async () => {
    const { wrapper } = await openComposer({}, 'en', 'Here are our details:');
    await insertCard(wrapper);
    expect(composerText(wrapper).startsWith('Here are our details:\n*Lotus Dental*\n')).toBe(true);
  });

  it('is written in the UI language', async () => {
    const { wrapper } = await openComposer({}, 'zh-CN');
    await insertCard(wrapper);
    const text = composerText(wrapper);
    expect(text).toContain('地址：12 High Street, Cambridge');
    expect(text).toContain('Reception：+44 1223 555 010');
    expect(text).toContain('营业时间（Europe/London）：');
    expect(text).toContain('周一–周三 09:00–17:00');
    expect(text).toContain('周日 休息');
  });

  it('leaves the hours out when they cannot be read, and says why when the profile cannot', async () => {
    const { wrapper } = await openComposer({ 'hours:get': () => fail('internal', 'boom') });
    await insertCard(wrapper);
    expect(composerText(wrapper)).not.toContain('Opening hours');
    expect(composerText(wrapper)).toContain('*Lotus Dental*');

    // Hours never saved are the editor's starting point, not the business's hours.
    const unsaved = await openComposer({ 'hours:get': () => ok(hoursView({ effectiveFrom: null, history: [] })) });
    await insertCard(unsaved.wrapper);
    expect(composerText(unsaved.wrapper)).not.toContain('Opening hours');

    const other = await openComposer({ 'profile:get': () => fail('locked', 'locked') });
    await insertCard(other.wrapper);
    expect(byId(other.wrapper, 'business-card-error').text()).toContain('Frontdesk is locked.');
    expect(composerText(other.wrapper)).toBe('');
  });
});
