import { describe, expect, it } from 'vitest';
import { defaultAutoReplies } from '../../../shared/rules/auto-replies';
import { defaultBusinessHours } from '../../../shared/rules/business-hours';
import { checkRepliesForm, formFromSettings, formMatches as repliesMatch, toSettings } from '../../../renderer/src/utils/auto-replies-form';
import { checkHoursForm, crossesMidnight, formFromHours, formMatches, normalizeTime, setDayMode, toBusinessHours, weekBars } from '../../../renderer/src/utils/hours-form';
import { checkProfileForm, checkProfilePhoto, formFromFields, verticalOptions } from '../../../renderer/src/utils/profile-form';

describe('the hours form', () => {
  it('round-trips a schedule and keeps a day’s intervals while another mode is chosen', () => {
    const hours = defaultBusinessHours('Asia/Shanghai');
    const form = formFromHours(hours);
    expect(toBusinessHours(form)).toEqual(hours);
    expect(formMatches(form, hours)).toBe(true);
    setDayMode(form.week.mon, 'closed');
    expect(toBusinessHours(form).week.mon).toEqual({ mode: 'closed' });
    setDayMode(form.week.mon, 'open');
    expect(toBusinessHours(form).week.mon).toEqual(hours.week.mon);
    setDayMode(form.week.sun, 'open');
    expect(toBusinessHours(form).week.sun).toEqual({ mode: 'open', intervals: [{ start: '09:00', end: '17:00' }] });
  });

  it('tidies typed end times, and leaves what is not a time as typed', () => {
    expect(normalizeTime('2:00')).toBe('02:00');
    expect(normalizeTime('1730')).toBe('17:30');
    expect(normalizeTime('9')).toBe('09:00');
    expect(normalizeTime('24')).toBe('24:00');
    expect(normalizeTime('17.30')).toBe('17:30');
    expect(normalizeTime('24:30')).toBe('24:30');
    expect(normalizeTime('noon')).toBe('noon');
  });

  it('draws an overnight interval into the next day, Sunday into Monday', () => {
    const form = formFromHours({
      ...defaultBusinessHours('UTC'),
      week: { ...defaultBusinessHours('UTC').week, mon: { mode: 'closed' }, sun: { mode: 'open', intervals: [{ start: '21:00', end: '02:00' }] } },
    });
    expect(weekBars(form).filter((bar) => bar.day === 'sun' || bar.day === 'mon')).toEqual([
      { day: 'sun', start: 21 * 60, end: 24 * 60, carried: false },
      { day: 'mon', start: 0, end: 2 * 60, carried: true },
    ]);
    expect(crossesMidnight({ start: '21:00', end: '02:00' })).toBe(true);
    expect(crossesMidnight({ start: '09:00', end: '24:00' })).toBe(false);
  });

  it('names malformed times itself and lets the shared rules name the rest', () => {
    const form = formFromHours(defaultBusinessHours('UTC'));
    form.week.mon.intervals[0]!.start = '';
    form.week.tue.intervals.push({ key: 99, start: '16:00', end: '18:00' });
    expect(checkHoursForm(form).problems).toEqual([
      { path: 'week.mon.intervals.0', code: 'badStart' },
      { path: 'week.tue.intervals.1', code: 'overlap', other: 'tue 09:00–17:00' },
    ]);
  });
});

describe('the greeting and away form', () => {
  it('round-trips the settings', () => {
    const form = formFromSettings(defaultAutoReplies);
    expect(toSettings(form)).toEqual(defaultAutoReplies);
    expect(repliesMatch(form, defaultAutoReplies)).toBe(true);
    expect(checkRepliesForm(form).problems).toEqual([]);
  });

  it('keeps a whole custom period while another mode is chosen, and drops a half one', () => {
    const form = formFromSettings(defaultAutoReplies);
    form.away.from = '2025-04-18T18:00';
    form.away.to = '2025-04-22T09:00';
    expect(toSettings(form).away.custom).toEqual({ from: '2025-04-18T18:00', to: '2025-04-22T09:00' });
    form.away.to = '';
    expect(toSettings(form).away.custom).toBeNull();
    form.away.mode = 'custom';
    expect(checkRepliesForm(form).problems).toEqual([{ path: 'away.custom.to', key: 'customRequired' }]);
  });
});

describe('the profile form', () => {
  it('lists the settable categories, after the current one when it cannot be set', () => {
    expect(verticalOptions('HEALTH')[0]).toBe('ALCOHOL');
    expect(verticalOptions('NOT_A_BIZ')[0]).toBe('NOT_A_BIZ');
    expect(verticalOptions('')[0]).toBe('');
  });

  it('checks with the shared schema', () => {
    const form = formFromFields({ about: 'Hi', address: '', description: '', email: '', websites: [], vertical: '' });
    expect(checkProfileForm(form).problems).toEqual([]);
    form.websites[1] = 'lotus-dental.example';
    expect(checkProfileForm(form).problems).toEqual([{ path: 'websites.1', key: 'website' }]);
  });

  it('takes a JPEG or PNG of at most 5 MB, by type or by name', () => {
    expect(checkProfilePhoto({ name: 'a.png', type: 'image/png', size: 5 * 1024 * 1024 })).toEqual({ ok: true, mimeType: 'image/png' });
    expect(checkProfilePhoto({ name: 'a.JPG', type: '', size: 10 })).toEqual({ ok: true, mimeType: 'image/jpeg' });
    expect(checkProfilePhoto({ name: 'a.png', type: 'image/png', size: 5 * 1024 * 1024 + 1 })).toMatchObject({ ok: false, reason: 'size' });
    expect(checkProfilePhoto({ name: 'a.webp', type: 'image/webp', size: 10 })).toMatchObject({ ok: false, reason: 'type' });
    expect(checkProfilePhoto({ name: 'a.png', type: 'image/png', size: 0 })).toMatchObject({ ok: false, reason: 'empty' });
  });
});
