import { TOPICS, allTopicSpecs, dlqOf, physicalTopic } from '@pt/contracts';
import { freePort, spawnService } from '@pt/dev-stack';
import { createKafkaClient, type AclGrant } from '@pt/kafka';
import { DedicatedBroker, Upstream, startSuite, waitFor, type SimOrder, type Suite } from '@pt/testing';
import { randomBytes } from 'node:crypto';

/** The messages of an error and of every error it wraps (cause, errors), joined. */
function messagesOf(error: unknown, depth = 0): string {
  if (!error || typeof error !== 'object' || depth > 8) return '';
  const e = error as { message?: string; cause?: unknown; errors?: unknown[] };
  return [e.message ?? '', messagesOf(e.cause, depth + 1), ...(Array.isArray(e.errors) ? e.errors.map((inner) => messagesOf(inner, depth + 1)) : [])]
    .filter(Boolean)
    .join(' | ');
}

/**
 * Kafka secured with TLS and SCRAM-SHA-512: a broker of this file's own whose only client
 * listener is SASL_SSL, with a CA made for it, and which enforces ACLs. The same
 * KAFKA_SSL* / KAFKA_SASL* variables secure the service and the test's own clients.
 */
describe('Kafka over SASL_SSL with SCRAM-SHA-512', () => {
  const broker = new DedicatedBroker({ saslSsl: true, users: ['settlement-acl', 'no-acls'] });
  let suite: Suite;

  beforeAll(async () => {
    await broker.start();
    // The service creates the topics itself, as it does in production.
    suite = await startSuite('kafka-security', ['settlement'], broker.clientEnv, { brokers: broker.brokers, createTopics: false });
  }, 180_000);

  afterAll(async () => {
    await suite?.stop();
    await broker.stop();
  });

  /** Starts one more settlement with these variables changed; resolves with its output once it exited during start-up. */
  async function failedStart(changes: NodeJS.ProcessEnv): Promise<{ error: Error; lines: string[] }> {
    const lines: string[] = [];
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...suite.env, SETTLEMENT_PORT: String(port), ...changes };
    for (const [name, value] of Object.entries(changes)) if (value === undefined) delete env[name];
    const started = await spawnService({ name: 'settlement', env, url: `http://127.0.0.1:${port}`, onLine: (line) => lines.push(line) }, 30_000).then(
      async (service) => {
        await service.stop('SIGKILL');
        return null;
      },
      (error: Error) => error,
    );
    if (!started) throw new Error(`settlement started although ${Object.keys(changes).join(', ')} was wrong`);
    return { error: started, lines };
  }

  /** The lines a service wrote that are not JSON log lines: its one-sentence failure. */
  const sentences = (lines: string[]) => lines.filter((line) => !line.startsWith('{'));

  /** Publishes a clearing event with the suite's (secured) client; returns its order. */
  async function publishClearing(merchantId: string = crypto.randomUUID()): Promise<SimOrder> {
    const order: SimOrder = {
      orderNumber: `KS-${randomBytes(4).toString('hex')}`,
      accountId: 'acct-ks',
      phoneLast4: '1234',
      merchantId,
      sku: 'SKU-KS',
      amountMinor: '600',
      currency: 'CNY',
      placedAt: new Date('2026-11-17T08:00:00Z'),
    };
    await new Upstream(suite.publisher).clearing(order, `PAY-${order.orderNumber}`, 'alipay', 'CLEARED', 1);
    return order;
  }

  async function expectMirrored(order: SimOrder): Promise<void> {
    const row = await waitFor(`settlement to mirror the payment of ${order.orderNumber}, published over SASL_SSL`, async () => {
      const { rows } = await suite.db.query(`SELECT clearing_status, amount_minor::text FROM settlement.payments WHERE payment_reference = $1`, [
        `PAY-${order.orderNumber}`,
      ]);
      return rows[0];
    });
    expect(row).toEqual({ clearing_status: 'CLEARED', amount_minor: '600' });
  }

  it('a service with the security variables creates its topics and consumes what a secured client publishes', async () => {
    const admin = suite.kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toEqual(expect.arrayContaining(allTopicSpecs(suite.prefix).map((spec) => spec.topic)));
    } finally {
      await admin.disconnect();
    }

    await expectMirrored(await publishClearing());

    const output = suite.logs().join('\n');
    expect(output).toContain('"tls":true,"sasl":"scram-sha-512"');
    expect(output).not.toContain(broker.clientEnv.KAFKA_SASL_PASSWORD);
  });

  it('a wrong password stops start-up at once with one sentence, and the password appears nowhere', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const startedAt = Date.now();
    const { error, lines } = await failedStart({ KAFKA_SASL_PASSWORD: wrong });
    expect(sentences(lines)).toEqual([
      // The detail in the middle is the client library's own wording (KAFKA_CLIENT).
      expect.stringMatching(
        new RegExp(
          `^settlement: the Kafka broker at ${broker.brokers} refused the SASL credentials of user "payment-triage" \\(scram-sha-512\\): ` +
            '(SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512|SASL authentication failed\\.); ' +
            'check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, and that the user exists on the broker for this mechanism\\.$',
        ),
      ),
    ]);
    // Not after every retry: the check at start-up does not retry refused credentials.
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(`${error.message}\n${lines.join('\n')}`).not.toContain(wrong);
  });

  it('a broker certificate the client cannot verify stops start-up with one sentence', async () => {
    const { lines } = await failedStart({ KAFKA_SSL_CA_FILE: undefined });
    expect(sentences(lines)).toEqual([
      `settlement: the TLS certificate of the Kafka broker at ${broker.brokers} cannot be verified (self-signed certificate in certificate chain); ` +
        'set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed it.',
    ]);
  });

  it('a client without TLS, or with TLS but without SASL, cannot use the listener', async () => {
    for (const [label, security] of [
      ['plaintext', undefined],
      ['TLS without SASL', { tls: broker.clientSecurity.tls }],
    ] as const) {
      const admin = createKafkaClient({ brokers: [broker.brokers], clientId: `unsecured-${label}`, security, retries: 0 }).admin();
      const failure: unknown = await admin
        .connect()
        .then(() => admin.listTopics())
        .then(
          () => null,
          (error: unknown) => error,
        );
      // kafkajs says "Closed connection"; @platformatic/kafka "Broker requires TLS." or, inside, "Connection closed".
      expect(messagesOf(failure)).toMatch(/Closed connection|Connection closed|Broker requires TLS/);
      await admin.disconnect();
    }
  });

  it('a user without ACLs cannot start a service, and one sentence says why', async () => {
    const { lines } = await failedStart(broker.clientEnvOf('no-acls'));
    expect(sentences(lines)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^settlement: the Kafka broker at ${broker.brokers} does not allow user "no-acls" what start-up needs \\(.*authoriz.*\\); grant the ACLs of docs/kafka-security\\.md`,
          'i',
        ),
      ),
    ]);
  });

  it('the ACLs docs/kafka-security.md lists for settlement are enough once its topics exist', async () => {
    const group = `${suite.prefix}-settlement-acl`;
    const topic = (name: string) => physicalTopic(suite.prefix, name);
    const allow = (resource: AclGrant['resource'], name: string, operation: AclGrant['operation'], pattern: AclGrant['pattern'] = 'literal'): AclGrant => ({
      resource,
      name,
      pattern,
      principal: 'User:settlement-acl',
      operation,
    });
    const admin = suite.kafka.admin();
    await admin.connect();
    try {
      await admin.grantAcls([
        // Start-up checks every topic of the suite (the prefix stands for "every topic" here).
        allow('topic', `${suite.prefix}.`, 'describe', 'prefixed'),
        allow('topic', topic(TOPICS.clearingEvents), 'read'),
        allow('topic', topic(TOPICS.settlementEvents), 'read'),
        allow('topic', topic(dlqOf(TOPICS.clearingEvents)), 'write'),
        allow('topic', topic(dlqOf(TOPICS.settlementEvents)), 'write'),
        allow('group', group, 'read'),
      ]);
    } finally {
      await admin.disconnect();
    }
    // Only the restricted instance consumes from here on.
    await suite.services.settlement!.stop();
    await suite.startInstance('settlement', { ...broker.clientEnvOf('settlement-acl'), SETTLEMENT_CONSUMER_GROUP: group });

    await expectMirrored(await publishClearing());
    // A message it cannot take goes to the dead-letter twin, which it may write.
    const poison = await publishClearing('not-a-merchant-uuid');
    await waitFor('the invalid clearing event on clearing.events.v1.dlq', async () =>
      (await suite.topics.readAll(dlqOf(TOPICS.clearingEvents))).some((m) => m.key === poison.orderNumber),
    );
  });
});
