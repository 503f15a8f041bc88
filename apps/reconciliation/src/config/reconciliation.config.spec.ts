import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@pt/config';
import { parseCurrencyAmounts } from '@pt/contracts';
import { ReconciliationConfig } from './reconciliation.config.js';

describe('per-currency auto-issue caps (TRIAGE_AUTO_ISSUE_CAPS_MINOR)', () => {
  const env = (extra: Record<string, string>) => ({
    DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db',
    KAFKA_BROKERS: '127.0.0.1:1',
    ADMIN_TOKENS: `ops:${randomBytes(18).toString('base64url')}`,
    BUYER_TOKEN_SECRET: randomBytes(24).toString('base64url'),
    VAULT_KEY: randomBytes(32).toString('base64'),
    AGENT_TOKEN_PUBLIC_KEY: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ...extra,
  });
  const load = (extra: Record<string, string>) => {
    try {
      return loadConfig(ReconciliationConfig, env(extra));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it('defaults to a cap for CNY and USD', () => {
    const config = load({}) as ReconciliationConfig;
    expect(config.autoIssueCapsMinor()).toEqual({ CNY: '100000', USD: '15000' });
  });

  it('reads one cap per currency', () => {
    const config = load({ TRIAGE_AUTO_ISSUE_CAPS_MINOR: 'CNY:200000, USD:0,EUR:12000' }) as ReconciliationConfig;
    expect(config.autoIssueCapsMinor()).toEqual({ CNY: '200000', USD: '0', EUR: '12000' });
  });

  it.each([
    ['cny:100000', 'entry "cny:100000": currency "cny" must be an ISO 4217 code'],
    ['CNY:100000,US:5', 'entry "US:5": currency "US" must be an ISO 4217 code'],
    ['CNY:1000.50', 'entry "CNY:1000.50": amount "1000.50" must be an integer amount in minor units'],
    ['CNY:-1', 'entry "CNY:-1": amount "-1" must be an integer amount'],
    ['100000', 'entry "100000" must look like CNY:100000'],
    ['CNY:100000,', 'entry "" must look like CNY:100000'],
    ['CNY:100000,USD:15000,CNY:5', 'entry "CNY:5": currency CNY is listed more than once'],
  ])('refuses %s, naming the variable and the bad entry', (value, problem) => {
    const message = load({ TRIAGE_AUTO_ISSUE_CAPS_MINOR: value }) as string;
    expect(message).toContain('TRIAGE_AUTO_ISSUE_CAPS_MINOR');
    expect(message).toContain(problem);
  });

  it('refuses the old currency-less TRIAGE_AUTO_ISSUE_CAP_MINOR, pointing to the per-currency one', () => {
    const message = load({ TRIAGE_AUTO_ISSUE_CAP_MINOR: '100000' }) as string;
    expect(message).toContain('TRIAGE_AUTO_ISSUE_CAP_MINOR');
    expect(message).toContain('set TRIAGE_AUTO_ISSUE_CAPS_MINOR with a cap per currency');
    expect(load({ TRIAGE_AUTO_ISSUE_CAP_MINOR: '100000', TRIAGE_AUTO_ISSUE_CAPS_MINOR: 'CNY:100000' })).toContain('is no longer read');
    // Set but empty counts as not set.
    expect(load({ TRIAGE_AUTO_ISSUE_CAP_MINOR: '' })).toBeInstanceOf(ReconciliationConfig);
  });

  it('parses without the decorator too', () => {
    expect(parseCurrencyAmounts('JPY:10000')).toEqual({ amounts: { JPY: '10000' } });
    expect(parseCurrencyAmounts('JPY:10000,JPY:1')).toEqual({ problem: 'entry "JPY:1": currency JPY is listed more than once' });
  });
});
