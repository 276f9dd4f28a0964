/**
 * The rules the forms and core share (PRODUCT §4, §5, §6): overlapping hours are refused and named, the
 * profile's limits count characters as people see them, auto-reply texts fill their variables without gaps.
 */
import { describe, expect, it } from 'vitest';
import { autoRepliesSchema, defaultAutoReplies, fillVariables, formatNextOpen, unknownVariables } from '../../shared/rules/auto-replies';
import { businessHoursSchema, defaultBusinessHours, hoursIssues } from '../../shared/rules/business-hours';
import type { BusinessHours, DayHours } from '../../shared/rules/business-hours';
import { businessProfileFieldsSchema, contactMethodSchema } from '../../shared/rules/business-profile';

const open = (...intervals: [string, string][]): DayHours => ({ mode: 'open', intervals: intervals.map(([start, end]) => ({ start, end })) });
const week = (change: Partial<BusinessHours['week']>): BusinessHours => ({ ...defaultBusinessHours('Europe/London'), week: { ...defaultBusinessHours('Europe/London').week, ...change } });

describe('business hours rules', () => {
  it.each([
    ['a lunch break', week({ mon: open(['09:00', '12:00'], ['13:00', '17:00']) }), []],
    ['touching intervals', week({ mon: open(['09:00', '12:00'], ['12:00', '17:00']) }), []],
    ['an overnight interval before a morning start', week({ mon: open(['21:00', '02:00']), tue: open(['09:00', '17:00']) }), []],
    ['an overnight interval to midnight and a 24-hour day after it', week({ mon: open(['21:00', '24:00']), tue: { mode: 'allDay' } }), []],
    ['overlap within a day', week({ mon: open(['09:00', '12:00'], ['11:00', '17:00']) }), [{ path: 'week.mon.intervals.1', code: 'overlap', other: 'mon 09:00–12:00' }]],
    ['overnight into the next day', week({ mon: open(['21:00', '02:00']), tue: open(['01:00', '09:00']) }), [{ path: 'week.tue.intervals.0', code: 'overlap', other: 'mon 21:00–02:00' }]],
    ['Sunday night into Monday', week({ sun: open(['22:00', '10:00']) }), [{ path: 'week.sun.intervals.0', code: 'overlap', other: 'mon 09:00–17:00' }]],
    ['an empty interval', week({ wed: open(['10:00', '10:00']) }), [{ path: 'week.wed.intervals.0', code: 'empty_interval' }]],
  ])('%s', (_name, hours, issues) => {
    expect(hoursIssues(hours)).toEqual(issues);
  });

  it('checks the timezone and the exceptions’ dates', () => {
    const hours = {
      ...defaultBusinessHours('Mars/Olympus'),
      exceptions: [
        { date: '2026-02-30', hours: { mode: 'closed' as const }, note: '' },
        { date: '2026-12-25', hours: { mode: 'closed' as const }, note: 'Christmas' },
        { date: '2026-12-25', hours: open(['10:00', '14:00'], ['13:00', '15:00']), note: '' },
      ],
    };
    expect(hoursIssues(hours)).toEqual([
      { path: 'timezone', code: 'bad_timezone' },
      { path: 'exceptions.0.date', code: 'bad_date' },
      { path: 'exceptions.2.date', code: 'duplicate_date' },
      { path: 'exceptions.2.hours.intervals.1', code: 'overlap', other: '2026-12-25 10:00–14:00' },
    ]);
    expect(businessHoursSchema.safeParse(hours).success).toBe(false);
    expect(businessHoursSchema.safeParse(week({ mon: open(['21:00', '02:00']) })).success).toBe(true);
    expect(businessHoursSchema.safeParse(week({ mon: open(['25:00', '02:00']) })).success).toBe(false);
  });
});

describe('business profile rules', () => {
  const valid = { about: '🌷'.repeat(139), address: '', description: '', email: '', websites: [], vertical: '' };

  it('counts characters, not UTF-16 units, and names each wrong field', () => {
    expect(businessProfileFieldsSchema.safeParse(valid).success).toBe(true);
    const wrong = businessProfileFieldsSchema.safeParse({ ...valid, about: ' ', email: 'a@b', websites: ['www.example.com'], vertical: 'SPACE' });
    expect(wrong.success).toBe(false);
    expect(wrong.error!.issues.map((i) => i.path.join('.'))).toEqual(['about', 'email', 'websites.0', 'vertical']);
  });

  it('checks a contact method by its kind', () => {
    expect(contactMethodSchema.safeParse({ kind: 'phone', label: 'Shop', value: '+852 2345 6789' }).success).toBe(true);
    expect(contactMethodSchema.safeParse({ kind: 'email', label: 'Orders', value: 'orders' }).error!.issues[0]!.path).toEqual(['value']);
  });
});

describe('auto-reply texts', () => {
  it.each([
    ['Hello {{name}}, welcome to {{business}}!', { name: 'Mei', business: 'Lucky Shrub' }, 'Hello Mei, welcome to Lucky Shrub!'],
    ['Hello {{ name }}!', { name: '' }, 'Hello!'],
    ['Hello {{name}}, thanks.', { name: '' }, 'Hello, thanks.'],
    ['Dear {{name}} we are closed', { name: '' }, 'Dear we are closed'],
    ['您好{{name}}，我们已下班。', { name: '' }, '您好，我们已下班。'],
    ['Back {{next_open}}; {{unknown}} stays', { next_open: 'Monday 09:00' }, 'Back Monday 09:00; {{unknown}} stays'],
  ])('%s', (text, values, expected) => {
    expect(fillVariables(text, values)).toBe(expected);
  });

  it('refuses unknown variables, an empty text that is on, and a custom period that ends before it starts', () => {
    expect(unknownVariables('Hi {{name}} from {{shop}}')).toEqual(['shop']);
    const wrong = autoRepliesSchema.safeParse({
      ...defaultAutoReplies,
      greeting: { ...defaultAutoReplies.greeting, enabled: true, text: '  ' },
      away: { ...defaultAutoReplies.away, text: 'Closed {{when}}', mode: 'custom', custom: { from: '2026-12-24T17:00', to: '2026-12-24T09:00' } },
    });
    expect(wrong.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['greeting.text', 'required while it is on'],
      ['away.text', 'unknown variable {{when}}'],
      ['away.custom.to', 'must be after the start'],
    ]);
  });

  it('names the next opening in the business timezone, with the date when it is a week or more away', () => {
    const monday9 = Date.parse('2026-03-09T09:00:00Z');
    expect(formatNextOpen(monday9, 'Europe/London', 'en', Date.parse('2026-03-06T18:00:00Z'))).toBe('Monday 09:00');
    // ICU writes Chinese with or without a space before the time, by version.
    expect(formatNextOpen(monday9, 'Asia/Hong_Kong', 'zh-CN', Date.parse('2026-03-06T18:00:00Z'))).toMatch(/^星期一 ?17:00$/);
    expect(formatNextOpen(monday9, 'Europe/London', 'en', Date.parse('2026-02-20T18:00:00Z'))).toMatch(/^Monday.* (9 March|March 9)\b.*09:00$/);
    expect(formatNextOpen(null, 'Europe/London', 'en', 0)).toBe('');
  });
});
