import { CronExpression, CronSyntaxError, offsetMinutes } from './cron-expression.js';

const next = (expr: string, after: string, offset = '+00:00') => CronExpression.parse(expr).next(new Date(after), offsetMinutes(offset)).toISOString();

describe('CronExpression', () => {
  it.each([
    ['30 2 * * *', '2026-11-21T10:00:00Z', '+00:00', '2026-11-22T02:30:00.000Z'],
    ['30 2 * * *', '2026-11-21T01:00:00Z', '+00:00', '2026-11-21T02:30:00.000Z'],
    ['30 2 * * *', '2026-11-21T10:00:00Z', '+08:00', '2026-11-21T18:30:00.000Z'],
    ['*/15 * * * *', '2026-11-21T10:07:00Z', '+00:00', '2026-11-21T10:15:00.000Z'],
    ['0 9 * * mon-fri', '2026-11-21T10:00:00Z', '+00:00', '2026-11-23T09:00:00.000Z'],
    ['0 0 1 jan *', '2026-11-21T10:00:00Z', '+00:00', '2027-01-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-11-21T10:00:00Z', '+00:00', '2028-02-29T00:00:00.000Z'],
    ['0 12 1 * 0', '2026-11-21T10:00:00Z', '+00:00', '2026-11-22T12:00:00.000Z'],
    ['@daily', '2026-11-21T10:00:00Z', '+00:00', '2026-11-22T00:00:00.000Z'],
    ['5,10 4 * * 7', '2026-11-22T04:05:00Z', '+00:00', '2026-11-22T04:10:00.000Z'],
  ])('%s after %s at %s fires at %s', (expr, after, offset, expected) => {
    expect(next(expr, after, offset)).toBe(expected);
  });

  it.each([
    ['* * * *', /expected 5 fields/],
    ['61 * * * *', /minute: "61"/],
    ['0 0 * * 8', /day of week: "8"/],
    ['0 5-1 * * *', /runs backwards/],
    ['*/0 * * * *', /step/],
    ['0 0 31 2 *', /never fires/],
  ])('rejects %s', (expr, message) => {
    expect(() => next(expr, '2026-11-21T00:00:00Z')).toThrow(message);
    expect(() => next(expr, '2026-11-21T00:00:00Z')).toThrow(CronSyntaxError);
  });
});
