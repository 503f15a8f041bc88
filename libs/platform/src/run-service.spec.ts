import { BaseServiceConfig, loadConfig, type KafkaSecurity } from '@pt/config';
import { explainStartupFailure } from './run-service.js';

const PASSWORD = 'not-to-be-shown-42';
const config = loadConfig(BaseServiceConfig, {
  DATABASE_URL: 'postgres://u@h/db',
  KAFKA_BROKERS: 'k1:9093',
  ADMIN_TOKENS: `ops:${'t'.repeat(24)}`,
  KAFKA_SASL_MECHANISM: 'scram-sha-256',
  KAFKA_SASL_USERNAME: 'intake',
  KAFKA_SASL_PASSWORD: PASSWORD,
});
const security: KafkaSecurity = config.kafkaSecurity();

function kafkaError(name: string, message: string, code?: string): Error {
  const error = new Error(message);
  error.name = name;
  return code ? Object.assign(error, { code }) : error;
}

describe('explainStartupFailure', () => {
  it('explains refused credentials without the password, even if an error carried it', () => {
    const sentence = explainStartupFailure(
      kafkaError('KafkaJSSASLAuthenticationError', `SASL SCRAM SHA256 authentication failed: bad proof for ${PASSWORD}`),
      config,
      3000,
      security,
    );
    expect(sentence).toMatch(/^the Kafka broker at k1:9093 refused the SASL credentials of user "intake" \(scram-sha-256\)/);
    expect(sentence).not.toContain(PASSWORD);
    expect(explainStartupFailure(new Error(`anything else ${PASSWORD}`), config)).toBe('start-up failed: anything else [redacted]');
  });

  it('suggests the security settings when the broker hangs up on every connection', () => {
    expect(explainStartupFailure(kafkaError('KafkaJSNumberOfRetriesExceeded', 'Closed connection'), config, 3000, security)).toBe(
      'Kafka at k1:9093 closed every connection (Closed connection); if its listener wants TLS or SASL, make KAFKA_SSL and KAFKA_SASL_MECHANISM match it (now: TLS off, SASL scram-sha-256).',
    );
  });

  it('still says when the broker is not there at all', () => {
    expect(
      explainStartupFailure(
        kafkaError('KafkaJSNumberOfRetriesExceeded', 'Connection error: connect ECONNREFUSED 127.0.0.1:9093', 'ECONNREFUSED'),
        config,
        3000,
        security,
      ),
    ).toMatch(/^cannot reach Kafka at k1:9093 .*start the broker or point KAFKA_BROKERS at a running one\.$/);
  });
});
