import { extractComplaint } from './index.js';

// Tuesday 20 October 2026, 16:00 in Shanghai.
const now = new Date('2026-10-20T16:00:00+08:00');
const paidAt = (text: string, context: { now?: Date; timeZone?: string } = {}) => {
  const found = extractComplaint(text, { now: context.now ?? now, timeZone: context.timeZone }).paidAt;
  return found && { at: found.value.iso, precision: found.value.precision, span: found.span.text, confident: found.confidence >= 0.5 };
};
const utc = (iso: string) => new Date(iso).toISOString();

describe('payment time', () => {
  it.each([
    ['10月15日14:30', '2026-10-15T14:30+08:00', 'minute'],
    ['2023年10月15日 下午3点', '2023-10-15T15:00+08:00', 'minute'],
    ['昨天下午3点', '2026-10-19T15:00+08:00', 'minute'],
    ['半小时前', '2026-10-20T15:30+08:00', 'minute'],
    ['一个半小时前', '2026-10-20T14:30+08:00', 'minute'],
    ['20分钟前', '2026-10-20T15:40+08:00', 'minute'],
    ['今天上午10点20分', '2026-10-20T10:20+08:00', 'minute'],
    ['前天晚上八点半', '2026-10-18T20:30+08:00', 'minute'],
    ['10/19 18:45', '2026-10-19T18:45+08:00', 'minute'],
    ['2026-10-19 13:14', '2026-10-19T13:14+08:00', 'minute'],
    ['2026.10.19 下午4点', '2026-10-19T16:00+08:00', 'minute'],
    ['18号14点14分', '2026-10-18T14:14+08:00', 'minute'],
    ['yesterday 3pm', '2026-10-19T15:00+08:00', 'minute'],
    ['2 hours ago', '2026-10-20T14:00+08:00', 'minute'],
    ['3天前', '2026-10-17T00:00+08:00', 'day'],
    ['10月1号', '2026-10-01T00:00+08:00', 'day'],
    ['元旦那天下午6点18分', '2026-01-01T18:18+08:00', 'minute'],
  ])('%s', (text, expected, precision) => {
    expect(paidAt(text)).toMatchObject({ at: utc(expected), precision, confident: true });
  });

  describe("chrono-node's wrong dates, corrected", () => {
    it('十一月十日 said in October is last November, not next month', () => {
      expect(paidAt('十一月十日')).toMatchObject({ at: utc('2025-11-10T00:00+08:00'), precision: 'day' });
    });

    it('a date without a year is never in the future', () => {
      expect(paidAt('10月25日下午2点')?.at).toBe(utc('2025-10-25T14:00+08:00'));
      expect(paidAt('12月31日')?.at).toBe(utc('2025-12-31T00:00+08:00'));
      // The same day, later than now, is a year back too: the rule is strict.
      expect(paidAt('10月20日17:00')?.at).toBe(utc('2025-10-20T17:00+08:00'));
      expect(paidAt('10月20日15:00')?.at).toBe(utc('2026-10-20T15:00+08:00'));
      expect(paidAt('1月5日', { now: new Date('2026-01-03T09:00:00+08:00') })?.at).toBe(utc('2025-01-05T00:00+08:00'));
    });

    it('a day of the month without a month is this month, or last month when still to come', () => {
      expect(paidAt('25号晚上9点')?.at).toBe(utc('2026-09-25T21:00+08:00'));
    });

    it('a weekday is the most recent one (chrono gave 周五 a date that is not a Friday)', () => {
      expect(paidAt('周五晚上8点')).toMatchObject({ at: utc('2026-10-16T20:00+08:00'), precision: 'minute' });
      expect(paidAt('上周五晚上7点')?.at).toBe(utc('2026-10-16T19:00+08:00'));
    });

    it('晚上12点 is midnight, not noon', () => {
      expect(paidAt('10月2号晚上12点')?.at).toBe(utc('2026-10-03T00:00+08:00'));
    });

    it('a bare hour is the most recent such hour', () => {
      expect(paidAt('3点半付的')?.at).toBe(utc('2026-10-20T15:30+08:00'));
      expect(paidAt('3点半付的', { now: new Date('2026-10-20T09:00:00+08:00') })?.at).toBe(utc('2026-10-20T03:30+08:00'));
      expect(paidAt('下午5点付的')?.at).toBe(utc('2026-10-19T17:00+08:00'));
    });

    it('does not run into an amount (中午12点 八百元 is not 12:08) nor read an order number as a year', () => {
      expect(paidAt('订单2026102012000800 中午12点 八百元')?.at).toBe(utc('2026-10-20T12:00+08:00'));
      expect(paidAt('订单编号 2026081011110111，八月十日十一点十一分，一百一十一元')?.at).toBe(utc('2026-08-10T11:11+08:00'));
    });

    it('reads 下午15:30, two-digit years and 去年', () => {
      expect(paidAt('下午15:30付的')?.at).toBe(utc('2026-10-20T15:30+08:00'));
      expect(paidAt('23年10月15日 14:30')?.at).toBe(utc('2023-10-15T14:30+08:00'));
      expect(paidAt('去年10月1日下午3点')).toMatchObject({ at: utc('2025-10-01T15:00+08:00'), span: '去年10月1日下午3点' });
    });
  });

  it('is not the time the buyer checked (截至15:30, 现在, until)', () => {
    expect(paidAt('截至15:30账户余额未增加')).toBeUndefined();
    expect(paidAt('到现在9点了还没到账')).toBeUndefined();
    expect(paidAt('于10月15日14:30充值，截至15:30余额未增加')?.span).toBe('10月15日14:30');
    expect(paidAt('still nothing at 15:30')).toBeUndefined();
  });

  it('joins a date and a time stated apart', () => {
    expect(paidAt('1月15日用光大银行付款四百元，下午4点买的')?.at).toBe(utc('2026-01-15T16:00+08:00'));
  });

  it('gives no date next to a lunar festival it cannot place', () => {
    expect(paidAt('七夕那天晚上8点')?.confident ?? false).toBe(false);
  });

  it("computes the instant in the buyer's time zone, across daylight saving", () => {
    const summer = new Date('2026-06-12T09:00:00-07:00');
    expect(paidAt('yesterday at 7:45 pm', { now: summer, timeZone: 'America/Los_Angeles' })?.at).toBe(utc('2026-06-11T19:45-07:00'));
    const winter = new Date('2026-12-12T09:00:00-08:00');
    expect(paidAt('yesterday at 7:45 pm', { now: winter, timeZone: 'America/Los_Angeles' })?.at).toBe(utc('2026-12-11T19:45-08:00'));
    expect(paidAt('10月15日14:30', { timeZone: 'UTC' })?.at).toBe('2026-10-15T14:30:00.000Z');
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(() => extractComplaint('x', { now, timeZone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ field: 'timeZone' }));
  });
});
