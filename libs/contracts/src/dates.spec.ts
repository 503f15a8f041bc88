import {
  IsCalendarDate,
  IsCalendarDateList,
  IsDateOrTimestamp,
  IsTimestamp,
  isCalendarDate,
  isTimestamp,
  parseCalendarDateList,
  parseInstant,
} from './dates.js';
import { IsMinorUnits, isMinorUnits } from './money.js';
import { validateAs } from './validation.js';

describe('isCalendarDate', () => {
  it.each(['2026-01-01', '2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30'])('accepts %s', (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each([
    ['a month that does not exist', '2026-13-01'],
    ['month zero', '2026-00-10'],
    ['day zero', '2026-01-00'],
    ['30 February', '2026-02-30'],
    ['29 February of a common year', '2026-02-29'],
    ['29 February of a century year', '1900-02-29'],
    ['31 April', '2026-04-31'],
    ['a word', 'yesterday'],
    ['a timestamp', '2026-11-21T00:00:00Z'],
    ['no zero padding', '2026-1-01'],
    ['surrounding space', ' 2026-01-01'],
    ['empty text', ''],
    ['a number', 20260101],
    ['nothing', undefined],
  ])('refuses %s', (_label, value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('isTimestamp', () => {
  it.each(['2026-11-21T10:15:00Z', '2026-11-21T10:15Z', '2026-11-21T18:15:00+08:00', '2026-11-21T10:15:00.123456Z', '2024-02-29T23:59:59-05:30'])(
    'accepts %s',
    (text) => {
      expect(isTimestamp(text)).toBe(true);
    },
  );

  it.each([
    ['no time zone', '2026-11-21T10:15:00'],
    ['a date alone', '2026-11-21'],
    ['a day that does not exist', '2026-02-30T10:00:00Z'],
    ['a month that does not exist', '2026-13-01T10:00:00Z'],
    ['hour 24', '2026-11-21T24:00:00Z'],
    ['minute 60', '2026-11-21T10:60:00Z'],
    ['a zone out of range', '2026-11-21T10:00:00+24:00'],
    ['a word', 'now'],
    ['a number', 1700000000000],
  ])('refuses %s', (_label, value) => {
    expect(isTimestamp(value)).toBe(false);
  });
});

describe('parseInstant', () => {
  it('reads a date as midnight UTC and a timestamp in its zone', () => {
    expect(parseInstant('2026-11-21')?.toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(parseInstant('2026-11-21T08:00:00+08:00')?.toISOString()).toBe('2026-11-21T00:00:00.000Z');
  });

  it.each(['2026-13-01', '2026-02-30', 'yesterday', '2026-11-21T10:00:00'])('gives nothing for %s', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('parseCalendarDateList', () => {
  it('reads dates separated by commas, spaces around them ignored, empty text as no dates', () => {
    expect(parseCalendarDateList('2026-10-01, 2026-10-02')).toEqual(['2026-10-01', '2026-10-02']);
    expect(parseCalendarDateList('')).toEqual([]);
  });

  it('refuses the whole list when one date is not a calendar date', () => {
    expect(parseCalendarDateList('2026-10-01,2026-02-30')).toBeUndefined();
  });
});

describe('isMinorUnits', () => {
  it.each(['0', '1', '4999', '999999999999999999'])('accepts %s', (text) => {
    expect(isMinorUnits(text)).toBe(true);
  });

  it.each([
    ['a float', '49.99'],
    ['a sign', '-1'],
    ['a leading zero', '007'],
    ['19 digits', '1000000000000000000'],
    ['a number', 4999],
    ['empty text', ''],
  ])('refuses %s', (_label, value) => {
    expect(isMinorUnits(value)).toBe(false);
  });
});

class Sample {
  @IsCalendarDate()
  day!: string;

  @IsTimestamp()
  at!: string;

  @IsDateOrTimestamp()
  since!: string;

  @IsCalendarDateList()
  holidays!: string;

  @IsMinorUnits()
  amountMinor!: string;
}

describe('the decorators', () => {
  const good = { day: '2026-11-21', at: '2026-11-21T10:00:00Z', since: '2026-11-21', holidays: '2026-10-01', amountMinor: '600' };

  it('let a good object through', () => {
    expect(validateAs(Sample, good).problems).toEqual([]);
  });

  it('name each field at fault, and never throw on a day that does not exist', () => {
    const result = validateAs(Sample, {
      day: '2026-13-01',
      at: '2026-02-30T10:00:00Z',
      since: 'yesterday',
      holidays: '2026-10-01,2026-02-30',
      amountMinor: '6.5',
    });
    expect(result.problems.map((p) => p.field).sort()).toEqual(['amountMinor', 'at', 'day', 'holidays', 'since']);
    expect(result.problems.find((p) => p.field === 'day')?.message).toBe('day must be a calendar date, YYYY-MM-DD');
    expect(result.problems.find((p) => p.field === 'since')?.message).toMatch(/^since must be a date/);
  });

  it('take a message of the caller', () => {
    class Custom {
      @IsCalendarDate({ message: 'date must be the statement day, YYYY-MM-DD' })
      date!: string;
    }
    expect(validateAs(Custom, { date: '2026-02-30' }).problems).toEqual([{ field: 'date', message: 'date must be the statement day, YYYY-MM-DD' }]);
  });
});
