import { ConfigError, loadConfig } from '@pt/config';
import { SettlementConfig } from './settlement.config.js';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', KAFKA_BROKERS: 'localhost:9092', ADMIN_TOKENS: `ops:${'a'.repeat(24)}` };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(SettlementConfig, { ...base, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('SettlementConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig(SettlementConfig, base);
    expect(config.SETTLEMENT_RATE_LIMIT_PER_MINUTE).toBe(600);
    const policy = config.settlementPolicy();
    expect(policy.daysByChannel.get('unionpay')).toBe(2);
    expect(policy.defaultDays).toBe(1);
    expect(policy.holidays.size).toBe(0);
    expect(policy.utcOffsetMinutes).toBe(0);
  });

  it('reads the calendar settings', () => {
    const config = loadConfig(SettlementConfig, {
      ...base,
      SETTLEMENT_DAYS_BY_CHANNEL: 'alipay:0,default:3',
      SETTLEMENT_HOLIDAYS: '2026-10-01,2026-10-02',
      SETTLEMENT_WORKING_WEEKENDS: '2026-10-10',
      SETTLEMENT_CALENDAR_UTC_OFFSET: '+08:00',
    });
    const policy = config.settlementPolicy();
    expect(policy.daysByChannel.get('alipay')).toBe(0);
    expect(policy.defaultDays).toBe(3);
    expect([...policy.holidays]).toEqual(['2026-10-01', '2026-10-02']);
    expect([...policy.workingWeekends]).toEqual(['2026-10-10']);
    expect(policy.utcOffsetMinutes).toBe(480);
  });

  it('lists every bad variable at once, naming it', () => {
    const found = problems({
      ADMIN_TOKENS: 'ops:short',
      SETTLEMENT_RATE_LIMIT_PER_MINUTE: 'lots',
      SETTLEMENT_DAYS_BY_CHANNEL: 'alipay=1',
      SETTLEMENT_HOLIDAYS: '2026-13-01',
      SETTLEMENT_CALENDAR_UTC_OFFSET: 'CST',
    });
    const text = found.join('\n');
    for (const name of [
      'ADMIN_TOKENS',
      'SETTLEMENT_RATE_LIMIT_PER_MINUTE',
      'SETTLEMENT_DAYS_BY_CHANNEL',
      'SETTLEMENT_HOLIDAYS',
      'SETTLEMENT_CALENDAR_UTC_OFFSET',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('alipay=1');
    expect(text).toContain('2026-13-01');
  });

  it('requires ADMIN_TOKENS', () => {
    const { ADMIN_TOKENS: _, ...withoutToken } = base;
    expect(() => loadConfig(SettlementConfig, withoutToken)).toThrow(/ADMIN_TOKENS/);
  });
});
