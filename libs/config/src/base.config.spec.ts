import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BaseServiceConfig, loadKafkaSecurity } from './base.config.js';
import { ConfigError, loadConfig } from './load-config.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const PASSWORD = 'pw-that-must-never-show-7f3a';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadKafkaSecurity(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const problem of problems) expect(problem).not.toContain(PASSWORD);
    expect((error as Error).message).not.toContain(PASSWORD);
    return problems;
  }
  throw new Error('expected a configuration error');
}

describe('Kafka security settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-security-config-'));
  const ca = path.join(dir, 'ca.pem');
  const cert = path.join(dir, 'client.pem');
  const key = path.join(dir, 'client.key');
  const notPem = path.join(dir, 'notes.txt');
  fs.writeFileSync(ca, PEM);
  fs.writeFileSync(cert, PEM);
  fs.writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMIIfake\n-----END PRIVATE KEY-----\n');
  fs.writeFileSync(notPem, 'just some text\n');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is plaintext without authentication by default', () => {
    expect(loadKafkaSecurity({})).toEqual({});
    const config = loadConfig(BaseServiceConfig, { DATABASE_URL: 'postgres://x@h/db', KAFKA_BROKERS: 'h:9092', ADMIN_TOKENS: `ops:${'a'.repeat(24)}` });
    expect(config.kafkaSecurity()).toEqual({});
  });

  it('reads TLS with a CA file, mutual TLS and SCRAM credentials', () => {
    const security = loadKafkaSecurity({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: ca,
      KAFKA_SSL_CERT_FILE: cert,
      KAFKA_SSL_KEY_FILE: key,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'settlement',
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    expect(security.tls).toEqual({ ca: PEM, cert: PEM, key: fs.readFileSync(key, 'utf8'), rejectUnauthorized: true });
    expect(security.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'settlement', password: PASSWORD });
  });

  it('uses the system CAs when no CA file is given, and may skip verification when told to', () => {
    expect(loadKafkaSecurity({ KAFKA_SSL: 'true' }).tls).toEqual({ rejectUnauthorized: true });
    expect(loadKafkaSecurity({ KAFKA_SSL: 'true', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' }).tls).toEqual({ rejectUnauthorized: false });
  });

  it('allows SASL without TLS', () => {
    expect(loadKafkaSecurity({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual({
      sasl: { mechanism: 'plain', username: 'u', password: PASSWORD },
    });
  });

  it('names the variables a mechanism needs, without showing the password', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toEqual([
      'KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set',
      'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set',
    ]);
    expect(problemsOf({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual([
      'KAFKA_SASL_MECHANISM is required when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set',
    ]);
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD })).toEqual([
      'KAFKA_SASL_MECHANISM: KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512',
    ]);
  });

  it('says which file cannot be used, and why', () => {
    const missing = path.join(dir, 'nowhere.pem');
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: missing })).toEqual([`KAFKA_SSL_CA_FILE: cannot read ${missing} (ENOENT)`]);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: notPem })).toEqual([
      `KAFKA_SSL_CA_FILE: ${notPem} is not a PEM file (no -----BEGIN ...----- line)`,
    ]);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: dir })).toEqual([`KAFKA_SSL_CA_FILE: cannot read ${dir} (EISDIR)`]);
  });

  it('wants a client certificate and its key together, and TLS files only with TLS', () => {
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: cert })).toEqual([
      'KAFKA_SSL_KEY_FILE is required when KAFKA_SSL_CERT_FILE is set (mutual TLS needs both)',
    ]);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: ca })).toEqual(['KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not true; set KAFKA_SSL=true or remove it']);
    expect(problemsOf({ KAFKA_SSL: 'yes', KAFKA_SSL_REJECT_UNAUTHORIZED: 'no' })).toEqual([
      'KAFKA_SSL: KAFKA_SSL must be true or false',
      'KAFKA_SSL_REJECT_UNAUTHORIZED: KAFKA_SSL_REJECT_UNAUTHORIZED must be true or false',
    ]);
  });
});
