import { addBusinessMinutes, businessMinutesBetween, parseCalendar } from './business-calendar.js';
import { dueTimes, parsePolicies, priorityOf } from './sla-policy.js';

// Shanghai office hours: 09:00-18:00 local = 01:00-10:00 UTC, Monday to Friday.
const cal = parseCalendar('09:00-18:00', '1,2,3,4,5', '2026-10-01,2026-10-02', 480);

describe('business calendar', () => {
  it('adds minutes inside the same working day', () => {
    expect(addBusinessMinutes(new Date('2026-11-23T02:00:00Z'), 30, cal).toISOString()).toBe('2026-11-23T02:30:00.000Z');
  });

  it('starts counting at opening time when the clock starts at night', () => {
    // Monday 06:00 local is before opening: 15 minutes run 09:00-09:15 local.
    expect(addBusinessMinutes(new Date('2026-11-22T22:00:00Z'), 15, cal).toISOString()).toBe('2026-11-23T01:15:00.000Z');
  });

  it('carries over the weekend', () => {
    // Friday 17:30 local + 60 business minutes = Monday 09:30 local.
    expect(addBusinessMinutes(new Date('2026-11-27T09:30:00Z'), 60, cal).toISOString()).toBe('2026-11-30T01:30:00.000Z');
  });

  it('skips holidays', () => {
    // Wednesday 2026-09-30 17:00 local + 120 minutes: Thu 1 and Fri 2 October are holidays → Monday 5 October 10:00 local.
    expect(addBusinessMinutes(new Date('2026-09-30T09:00:00Z'), 120, cal).toISOString()).toBe('2026-10-05T02:00:00.000Z');
  });

  it('measures business minutes between two instants, and is the inverse of adding', () => {
    const start = new Date('2026-11-27T09:30:00Z');
    const end = addBusinessMinutes(start, 600, cal);
    expect(businessMinutesBetween(start, end, cal)).toBeCloseTo(600, 6);
    expect(businessMinutesBetween(end, start, cal)).toBe(0);
    expect(businessMinutesBetween(new Date('2026-11-28T00:00:00Z'), new Date('2026-11-29T23:00:00Z'), cal)).toBe(0);
  });

  it('refuses a calendar that closes before it opens', () => {
    expect(() => parseCalendar('18:00-09:00', '1', '', 0)).toThrow(/open before they close/);
  });
});

describe('SLA policy', () => {
  const policies = parsePolicies('P1:15/240,P2:60/480,P3:240/1440');
  const amounts = { p1: { CNY: '50000', USD: '7000' }, p2: { CNY: '10000', USD: '1500' } };

  it.each([
    [true, '100', 'CNY', null, 'P1'],
    [false, '60000', 'CNY', null, 'P1'],
    [false, '600', 'CNY', 'PAYMENT_REVERSED', 'P1'],
    [false, '600', 'CNY', 'DUPLICATE_PAYMENT', 'P1'],
    [false, '600', 'CNY', 'CLEARING_STUCK', 'P2'],
    [false, '600', 'CNY', 'PAID_AFTER_EXPIRY', 'P2'],
    [false, '15000', 'CNY', null, 'P2'],
    [false, '600', 'CNY', 'ORDER_NOT_FOUND', 'P3'],
    [false, '600', 'CNY', null, 'P3'],
    // The thresholds are per currency: 80 USD is P1 where 80 CNY is P2.
    [false, '8000', 'USD', null, 'P1'],
    [false, '8000', 'CNY', null, 'P3'],
    [false, '2000', 'USD', null, 'P2'],
    // A currency without thresholds: the amount alone raises nothing, the reason code still does.
    [false, '99999999', 'EUR', null, 'P3'],
    [false, '99999999', 'EUR', 'RISK_REVIEW', 'P2'],
  ])('urgent=%s amount=%s %s reason=%s → %s', (urgent, amount, currency, reason, priority) => {
    expect(priorityOf(urgent, amount, currency, reason, amounts)).toBe(priority);
  });

  it('due times are counted in business time and pushed back by time spent paused', () => {
    const created = new Date('2026-11-23T02:00:00Z');
    const due = dueTimes(created, 'P1', policies, cal);
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-23T02:15:00.000Z');
    expect(due.resolutionDueAt.toISOString()).toBe('2026-11-23T06:00:00.000Z');
    const paused = dueTimes(created, 'P1', policies, cal, 30);
    expect(paused.firstResponseDueAt.toISOString()).toBe('2026-11-23T02:45:00.000Z');
  });

  it('refuses an incomplete policy', () => {
    expect(() => parsePolicies('P1:15/240,P2:60/480')).toThrow(/P3/);
  });
});
