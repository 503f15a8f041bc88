import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '@pt/config';
import { ReconciliationConfig } from '../config/reconciliation.config.js';
import { periodWindow } from './bulk-reconciliation.service.js';
import { ReconSchedule, ScheduleError } from '../config/recon-schedule.js';
import { localDate, parseTimeZone, startOfDay } from '../config/time-zone.js';

const next = (expression: string, after: string, zone = 'Z') => ReconSchedule.create(expression, zone).next(new Date(after)).toISOString();

describe('ReconSchedule', () => {
  it.each([
    ['30 2 * * *', '2026-11-21T10:00:00Z', 'Z', '2026-11-22T02:30:00.000Z'],
    ['30 2 * * *', '2026-11-21T01:00:00Z', '+00:00', '2026-11-21T02:30:00.000Z'],
    ['30 2 * * *', '2026-11-21T10:00:00Z', '+08:00', '2026-11-21T18:30:00.000Z'],
    ['30 2 * * *', '2026-11-21T10:00:00Z', 'Asia/Shanghai', '2026-11-21T18:30:00.000Z'],
    ['30 2 * * *', '2026-11-21T10:00:00Z', '-05:30', '2026-11-22T08:00:00.000Z'],
    ['*/15 * * * *', '2026-11-21T10:07:00Z', 'Z', '2026-11-21T10:15:00.000Z'],
    ['0 9 * * mon-fri', '2026-11-21T10:00:00Z', 'Z', '2026-11-23T09:00:00.000Z'],
    ['0 0 1 jan *', '2026-11-21T10:00:00Z', 'Z', '2027-01-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-11-21T10:00:00Z', 'Z', '2028-02-29T00:00:00.000Z'],
    ['0 12 1 * 0', '2026-11-21T10:00:00Z', 'Z', '2026-11-22T12:00:00.000Z'],
    ['@daily', '2026-11-21T10:00:00Z', 'Asia/Shanghai', '2026-11-21T16:00:00.000Z'],
    ['5,10 4 * * 7', '2026-11-22T04:05:00Z', 'Z', '2026-11-22T04:10:00.000Z'],
    // New York summer time: 02:30 does not exist on 8 March 2026, the run happens at the end of the skip (03:00 EDT).
    ['30 2 * * *', '2026-03-07T12:00:00Z', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    ['30 2 * * *', '2026-03-08T12:00:00Z', 'America/New_York', '2026-03-09T06:30:00.000Z'],
  ])('%s after %s in %s fires at %s', (expression, after, zone, expected) => {
    expect(next(expression, after, zone)).toBe(expected);
  });

  it('fires once on a night whose 01:30 the clocks show twice', () => {
    const schedule = ReconSchedule.create('30 1 * * *', 'America/New_York');
    const first = schedule.next(new Date('2026-10-31T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(schedule.next(first).toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });

  it.each([
    ['* * * *', /five, six, or seven/],
    ['0 0 1 * * *', /exactly 5 parts/],
    ['61 * * * *', /minute: 61/],
    ['0 0 * * 8', /dayOfWeek: 8/],
    ['0 5-1 * * *', /'5-1'/],
    ['*/0 * * * *', /stepping/],
    ['0 0 31 2 *', /never fires/],
  ])('refuses the expression %s', (expression, message) => {
    expect(() => ReconSchedule.create(expression, 'Asia/Shanghai')).toThrow(message);
    expect(() => ReconSchedule.create(expression, 'Asia/Shanghai')).toThrow(ScheduleError);
  });

  it.each(['Mars/Olympus', 'yesterday', '+25:00', '8', '+0800', ''])('refuses the time zone %p', (zone) => {
    expect(() => ReconSchedule.create('@daily', zone)).toThrow(/neither an IANA time zone/);
  });
});

describe('time zones', () => {
  it('reads a fixed offset and an IANA zone alike where they agree', () => {
    for (const name of ['+08:00', 'Asia/Shanghai']) {
      const zone = parseTimeZone(name)!;
      expect(startOfDay(zone, '2026-11-21').toISOString()).toBe('2026-11-20T16:00:00.000Z');
      expect(localDate(zone, Date.parse('2026-11-20T16:00:00Z'))).toBe('2026-11-21');
      expect(localDate(zone, Date.parse('2026-11-20T15:59:59Z'))).toBe('2026-11-20');
    }
  });

  it('gives a statement day its real length across a daylight-saving change', () => {
    expect(periodWindow('2026-03-08', '2026-03-08', 'America/New_York')).toEqual({
      from: new Date('2026-03-08T05:00:00Z'),
      to: new Date('2026-03-09T04:00:00Z'),
    });
    expect(periodWindow('2026-11-01', '2026-11-01', 'America/New_York')).toEqual({
      from: new Date('2026-11-01T04:00:00Z'),
      to: new Date('2026-11-02T05:00:00Z'),
    });
    expect(periodWindow('2026-11-20', '2026-11-21', '+08:00')).toEqual({ from: new Date('2026-11-19T16:00:00Z'), to: new Date('2026-11-21T16:00:00Z') });
  });

  it('starts a day whose midnight the clocks skip at the end of the skip', () => {
    // Havana moves its clocks from 00:00 to 01:00 on 8 March 2026.
    expect(startOfDay(parseTimeZone('America/Havana')!, '2026-03-08').toISOString()).toBe('2026-03-08T05:00:00.000Z');
  });
});

describe('schedule settings', () => {
  const env = (extra: Record<string, string>) => ({
    DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db',
    KAFKA_BROKERS: '127.0.0.1:1',
    ADMIN_TOKENS: `ops:${randomBytes(18).toString('base64url')}`,
    BUYER_TOKEN_SECRET: randomBytes(24).toString('base64url'),
    VAULT_KEY: randomBytes(32).toString('base64'),
    AGENT_TOKEN_PUBLIC_KEY: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ...extra,
  });
  const problemOf = (extra: Record<string, string>) => {
    try {
      loadConfig(ReconciliationConfig, env(extra));
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it('accept an IANA zone or a fixed offset with a cron expression', () => {
    expect(problemOf({ RECON_TIME_ZONE: 'Asia/Shanghai', RECON_SCHEDULE_CRON: '30 2 * * *' })).toBe('accepted');
    expect(problemOf({ RECON_TIME_ZONE: '+08:00', RECON_SCHEDULE_CRON: '@daily' })).toBe('accepted');
  });

  it('name RECON_TIME_ZONE and RECON_SCHEDULE_CRON when they are wrong', () => {
    expect(problemOf({ RECON_TIME_ZONE: 'Asia/Atlantis' })).toContain('RECON_TIME_ZONE must be an IANA time zone');
    const both = problemOf({ RECON_TIME_ZONE: 'eight', RECON_SCHEDULE_CRON: '0 25 * * *' });
    expect(both).toContain('RECON_TIME_ZONE');
    expect(both).toContain('RECON_SCHEDULE_CRON is not a five-field cron expression: Invalid value for hour: 25');
  });
});
