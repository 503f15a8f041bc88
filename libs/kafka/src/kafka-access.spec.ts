import type { KafkaSecurity } from '@pt/config';
import { explainKafkaAccessFailure, withoutKafkaPassword } from './kafka-access.js';

const PASSWORD = 'hunter2-but-longer';
const scram: KafkaSecurity = { tls: { rejectUnauthorized: true }, sasl: { mechanism: 'scram-sha-512', username: 'settlement', password: PASSWORD } };

/** An error shaped as kafkajs throws it: a name, maybe a code or type, wrapping its cause. */
function kafkaError(name: string, message: string, extra: { code?: string | number; type?: string; cause?: Error } = {}): Error {
  const error = new Error(message, extra.cause ? { cause: extra.cause } : undefined);
  error.name = name;
  return Object.assign(error, extra.code !== undefined ? { code: extra.code } : {}, extra.type ? { type: extra.type } : {});
}

describe('explainKafkaAccessFailure', () => {
  it('names the user and the variables to check when the broker refuses the credentials', () => {
    const refused = kafkaError(
      'KafkaJSSASLAuthenticationError',
      `SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (${PASSWORD})`,
    );
    const sentence = explainKafkaAccessFailure(kafkaError('KafkaJSNonRetriableError', refused.message, { cause: refused }), 'k1:9093', scram)!;
    expect(sentence).toMatch(
      /^the Kafka broker at k1:9093 refused the SASL credentials of user "settlement" \(scram-sha-512\): .*check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
    expect(sentence).not.toContain(PASSWORD);
  });

  it('says when the broker does not offer the mechanism', () => {
    const error = kafkaError('KafkaJSProtocolError', 'The broker does not support the requested SASL mechanism', {
      code: 33,
      type: 'UNSUPPORTED_SASL_MECHANISM',
    });
    expect(explainKafkaAccessFailure(error, 'k1:9093', scram)).toMatch(/does not offer SASL mechanism scram-sha-512 .*KAFKA_SASL_MECHANISM/);
  });

  it('points at KAFKA_SSL_CA_FILE when the broker certificate does not verify, through kafkajs wrappers', () => {
    const socket = kafkaError('KafkaJSConnectionError', 'Connection error: self-signed certificate in certificate chain', {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    const retried = kafkaError('KafkaJSNumberOfRetriesExceeded', socket.message, { cause: socket });
    expect(explainKafkaAccessFailure(retried, 'k1:9093', scram)).toBe(
      'the TLS certificate of the Kafka broker at k1:9093 cannot be verified (self-signed certificate in certificate chain); set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed it.',
    );
    const withCa: KafkaSecurity = { ...scram, tls: { ca: 'PEM', rejectUnauthorized: true } };
    expect(explainKafkaAccessFailure(retried, 'k1:9093', withCa)).toMatch(/check that KAFKA_SSL_CA_FILE holds the CA that signed it/);
    const wrongName = kafkaError('KafkaJSConnectionError', "Connection error: Hostname/IP does not match certificate's altnames", {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(explainKafkaAccessFailure(wrongName, 'kafka.internal:9093', scram)).toMatch(/host name the certificate holds/);
  });

  it('says when the ACLs do not allow what start-up does, also inside an aggregate of per-topic errors', () => {
    const topic = kafkaError('KafkaJSProtocolError', 'Not authorized to access topics: [Topic authorization failed]', {
      code: 29,
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    const aggregate = Object.assign(kafkaError('KafkaJSAggregateError', 'Topic creation errors'), { errors: [topic] });
    expect(explainKafkaAccessFailure(aggregate, 'k1:9093', scram)).toBe(
      'the Kafka broker at k1:9093 does not allow user "settlement" what start-up needs (Not authorized to access topics: [Topic authorization failed]); ' +
        'grant the ACLs of docs/kafka-security.md, or have an operator create the topics beforehand and grant DESCRIBE on them.',
    );
  });

  it('reports a refused TLS handshake', () => {
    const error = kafkaError('KafkaJSConnectionError', 'Connection error: ssl3_read_bytes:tlsv13 alert certificate required', {
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    });
    expect(explainKafkaAccessFailure(error, 'k1:9093', scram)).toMatch(/^the TLS handshake with the Kafka broker at k1:9093 failed .*KAFKA_SSL_CERT_FILE/);
  });

  it('leaves failures that retrying may fix to the caller', () => {
    expect(
      explainKafkaAccessFailure(
        kafkaError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', { code: 'ECONNREFUSED' }),
        'k1:9092',
      ),
    ).toBeNull();
    expect(explainKafkaAccessFailure(kafkaError('KafkaJSConnectionClosedError', 'Closed connection'), 'k1:9092')).toBeNull();
    expect(explainKafkaAccessFailure(new Error('relation "x" does not exist'), 'k1:9092')).toBeNull();
  });
});

describe('withoutKafkaPassword', () => {
  it('replaces every occurrence of the password', () => {
    expect(withoutKafkaPassword(`a ${PASSWORD} b ${PASSWORD}`, PASSWORD)).toBe('a [redacted] b [redacted]');
    expect(withoutKafkaPassword('nothing to hide', undefined)).toBe('nothing to hide');
  });
});
