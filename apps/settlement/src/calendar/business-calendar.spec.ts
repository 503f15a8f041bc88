import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  calendarDate,
  expectedSettlementDate,
  isBusinessDay,
  parseDateList,
  parseDaysByChannel,
  parseUtcOffset,
  type SettlementPolicy,
} from './business-calendar.js';

// China's National Day week 2026: Thursday 1 to Wednesday 7 October.
const NATIONAL_DAY_2026 = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];

const policy = (over: Partial<SettlementPolicy> = {}): SettlementPolicy => ({
  daysByChannel: new Map([
    ['alipay', 1],
    ['wechat', 1],
    ['unionpay', 2],
  ]),
  defaultDays: 1,
  holidays: new Set(NATIONAL_DAY_2026),
  workingWeekends: new Set(),
  utcOffsetMinutes: 0,
  ...over,
});

describe('expectedSettlementDate', () => {
  it.each([
    ['an ordinary Tuesday, T+1', '2026-11-17T10:00:00Z', 'alipay', '2026-11-18'],
    ['a Friday, T+1 skips the weekend', '2026-11-20T10:00:00Z', 'wechat', '2026-11-23'],
    ['a Saturday, T+1 lands on Monday', '2026-11-21T10:00:00Z', 'alipay', '2026-11-23'],
    ['a Friday, T+2', '2026-11-20T10:00:00Z', 'unionpay', '2026-11-24'],
    ['an unknown channel takes the default', '2026-11-17T10:00:00Z', 'paypal', '2026-11-18'],
    ['channel names are case-insensitive', '2026-11-20T10:00:00Z', 'UnionPay', '2026-11-24'],
  ])('clearing on %s', (_, clearedAt, channel, expected) => {
    expect(expectedSettlementDate(new Date(clearedAt), channel, policy())).toBe(expected);
  });

  it('skips the National Day week for a payment cleared the day before it (T+1)', () => {
    expect(expectedSettlementDate(new Date('2026-09-30T09:00:00Z'), 'alipay', policy())).toBe('2026-10-08');
  });

  it('skips the National Day week for a payment cleared the day before it (T+2)', () => {
    expect(expectedSettlementDate(new Date('2026-09-30T09:00:00Z'), 'unionpay', policy())).toBe('2026-10-09');
  });

  it('counts a payment cleared during the holiday from the first working day after it', () => {
    expect(expectedSettlementDate(new Date('2026-10-03T09:00:00Z'), 'alipay', policy())).toBe('2026-10-08');
  });

  it('without the holiday calendar, the same payment would be expected on 1 October', () => {
    expect(expectedSettlementDate(new Date('2026-09-30T09:00:00Z'), 'alipay', policy({ holidays: new Set() }))).toBe('2026-10-01');
  });

  it('a make-up working Saturday counts as a business day', () => {
    const withMakeUp = policy({ workingWeekends: new Set(['2026-10-10']) });
    expect(expectedSettlementDate(new Date('2026-10-09T09:00:00Z'), 'alipay', withMakeUp)).toBe('2026-10-10');
    expect(expectedSettlementDate(new Date('2026-10-09T09:00:00Z'), 'alipay', policy())).toBe('2026-10-12');
  });

  it('uses the bank calendar time zone to decide the clearing date', () => {
    // 17:30 UTC on Wednesday 30 September is already 1 October in Beijing.
    const at = new Date('2026-09-30T17:30:00Z');
    expect(expectedSettlementDate(at, 'alipay', policy({ utcOffsetMinutes: 480 }))).toBe('2026-10-08');
    expect(calendarDate(at, 480)).toBe('2026-10-01');
    expect(expectedSettlementDate(new Date('2026-11-20T17:00:00Z'), 'alipay', policy({ utcOffsetMinutes: 480 }))).toBe('2026-11-23');
  });

  it('T+0 on a business day is the same day; on a holiday, the next business day', () => {
    const sameDay = policy({ daysByChannel: new Map([['cash', 0]]) });
    expect(expectedSettlementDate(new Date('2026-11-17T10:00:00Z'), 'cash', sameDay)).toBe('2026-11-17');
    expect(expectedSettlementDate(new Date('2026-10-02T10:00:00Z'), 'cash', sameDay)).toBe('2026-10-08');
  });
});

describe('isBusinessDay', () => {
  it('knows weekends, holidays and make-up days', () => {
    const p = policy({ workingWeekends: new Set(['2026-09-27']) });
    expect(isBusinessDay('2026-09-30', p)).toBe(true);
    expect(isBusinessDay('2026-10-01', p)).toBe(false);
    expect(isBusinessDay('2026-10-10', p)).toBe(false);
    expect(isBusinessDay('2026-09-27', p)).toBe(true);
  });
});

describe('calendar settings', () => {
  it('parses days per channel with a default', () => {
    const parsed = parseDaysByChannel('alipay:1, wechat:1,unionpay:2,default:3');
    expect(parsed).toEqual({
      daysByChannel: new Map([
        ['alipay', 1],
        ['wechat', 1],
        ['unionpay', 2],
      ]),
      defaultDays: 3,
    });
    expect(parseDaysByChannel('alipay=1')).toEqual({ problem: expect.stringContaining('alipay=1') });
  });

  it('reads holidays inline or from a file, and names a bad date', () => {
    expect(parseDateList('2026-10-01,2026-10-02')).toEqual({ dates: new Set(['2026-10-01', '2026-10-02']) });
    expect(parseDateList('')).toEqual({ dates: new Set() });
    expect(parseDateList('2026-10-01,2026-02-30')).toEqual({ problem: expect.stringContaining('2026-02-30') });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-')), 'cn-2026.txt');
    fs.writeFileSync(file, '# National Day\n2026-10-01 2026-10-02\n2026-10-03, 2026-10-04\n');
    expect(parseDateList(file)).toEqual({ dates: new Set(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04']) });
    expect(parseDateList('/no/such/calendar.txt')).toEqual({ problem: expect.stringContaining('/no/such/calendar.txt') });
  });

  it('parses UTC offsets', () => {
    expect(parseUtcOffset('+08:00')).toBe(480);
    expect(parseUtcOffset('-05:30')).toBe(-330);
    expect(parseUtcOffset('08:00')).toBeUndefined();
  });
});
