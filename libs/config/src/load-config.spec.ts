import { BaseServiceConfig } from './base.config.js';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig(BaseServiceConfig, {
      DATABASE_URL: 'postgres://x@h/db',
      KAFKA_BROKERS: 'h:9092',
      DB_POOL_SIZE: '7',
      ADMIN_TOKENS: `ops:${'t'.repeat(24)}`,
    });
    expect(config.DB_POOL_SIZE).toBe(7);
    expect(config.OUTBOX_POLL_MS).toBe(200);
    expect(config.kafkaBrokers()).toEqual(['h:9092']);
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig(BaseServiceConfig, { DATABASE_URL: 'mysql://nope', DB_POOL_SIZE: 'many', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'DB_POOL_SIZE', 'LOG_LEVEL']) expect(text).toContain(name);
  });

  it('validates the retry, outbox and retention settings', () => {
    const ok = { DATABASE_URL: 'postgres://x@h/db', KAFKA_BROKERS: 'h:9092', ADMIN_TOKENS: 'ops:abcdefghijklmnopqrstuvwxyz' };
    const config = loadConfig(BaseServiceConfig, ok);
    expect(config.consumerRetryDelaysMs()).toEqual([5000, 15000, 40000, 120000]);
    expect([config.OUTBOX_MAX_ATTEMPTS, config.RETENTION_HOURS, config.RETENTION_SWEEP_INTERVAL_MS, config.RETENTION_BATCH_SIZE]).toEqual([5, 336, 60000, 500]);
    expect(config.SHUTDOWN_DEADLINE_MS).toBe(10_000);
    let error: unknown;
    try {
      loadConfig(BaseServiceConfig, {
        ...ok,
        CONSUMER_RETRY_DELAYS_MS: '5s,10s',
        OUTBOX_MAX_ATTEMPTS: '0',
        RETENTION_HOURS: '0',
        RETENTION_SWEEP_INTERVAL_MS: 'soon',
        RETENTION_BATCH_SIZE: '100000',
        SHUTDOWN_DEADLINE_MS: '50',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    for (const name of [
      'CONSUMER_RETRY_DELAYS_MS',
      'OUTBOX_MAX_ATTEMPTS',
      'RETENTION_HOURS',
      'RETENTION_SWEEP_INTERVAL_MS',
      'RETENTION_BATCH_SIZE',
      'SHUTDOWN_DEADLINE_MS',
    ])
      expect(text).toContain(name);
  });
});
