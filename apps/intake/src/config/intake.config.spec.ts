import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@pt/config';
import { IntakeConfig } from './intake.config.js';

describe('per-currency priority thresholds (PRIORITY_P1_AMOUNTS_MINOR, PRIORITY_P2_AMOUNTS_MINOR)', () => {
  const env = (extra: Record<string, string>) => ({
    DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db',
    KAFKA_BROKERS: '127.0.0.1:1',
    ADMIN_TOKENS: `ops:${randomBytes(18).toString('base64url')}`,
    BUYER_TOKEN_SECRET: randomBytes(24).toString('base64url'),
    AGENT_TOKEN_PRIVATE_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...extra,
  });
  const load = (extra: Record<string, string>) => {
    try {
      return loadConfig(IntakeConfig, env(extra));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it('default to thresholds for CNY and USD', () => {
    const config = load({}) as IntakeConfig;
    expect(config.priorityAmounts()).toEqual({ p1: { CNY: '50000', USD: '7000' }, p2: { CNY: '10000', USD: '1500' } });
  });

  it('read one threshold per currency', () => {
    const config = load({ PRIORITY_P1_AMOUNTS_MINOR: 'EUR:6000', PRIORITY_P2_AMOUNTS_MINOR: 'EUR:1200,JPY:150000' }) as IntakeConfig;
    expect(config.priorityAmounts()).toEqual({ p1: { EUR: '6000' }, p2: { EUR: '1200', JPY: '150000' } });
  });

  it('refuse a bad entry or a repeated currency, naming the variable and the entry', () => {
    const bad = load({ PRIORITY_P1_AMOUNTS_MINOR: 'CNY:50000,usd:7000' }) as string;
    expect(bad).toContain('PRIORITY_P1_AMOUNTS_MINOR');
    expect(bad).toContain('entry "usd:7000": currency "usd" must be an ISO 4217 code');
    const repeated = load({ PRIORITY_P2_AMOUNTS_MINOR: 'CNY:10000,CNY:20000' }) as string;
    expect(repeated).toContain('PRIORITY_P2_AMOUNTS_MINOR');
    expect(repeated).toContain('currency CNY is listed more than once');
  });
});
