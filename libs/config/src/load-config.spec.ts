import { BaseServiceConfig } from './base.config.js';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig(BaseServiceConfig, { DATABASE_URL: 'postgres://x@h/db', KAFKA_BROKERS: 'h:9092', DB_POOL_SIZE: '7', ADMIN_TOKENS: `ops:${'t'.repeat(24)}` });
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
});
