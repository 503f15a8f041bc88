import { loadKafkaSecurity } from '@pt/config';
import type { LoggerService } from '@nestjs/common';
import { LEDGER_EVENT_TYPES, TOPICS, buildEnvelope, dlqOf, physicalTopic } from '@pt/contracts';
import { EnvelopeServer, createKafkaClient, ensureTopics, type InboundEvent, type KafkaProducer } from '@pt/kafka';
import { ServiceMetrics } from '@pt/observability';
import { TopicReader, waitFor } from '@pt/testing';
import { randomBytes } from 'node:crypto';

const quiet: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * A handler that fails with something other than a transient database error is tried
 * again later on a back-off schedule, without holding up the consumer's other
 * partitions; only when every attempt failed is the message dead-lettered.
 */
describe('handler failures are retried with back-off before the DLQ', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const groupId = `${prefix}-retries`;
  const kafka = createKafkaClient({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: `retries-${prefix}`,
    security: loadKafkaSecurity(),
    logger: quiet,
  });
  const metrics = new ServiceMetrics('retries-test');
  const topic = physicalTopic(prefix, TOPICS.ledgerEvents);
  let producer: KafkaProducer;
  let server: EnvelopeServer;
  // eventId → handler calls (with their times) and successful applications
  const calls = new Map<string, number[]>();
  const applied = new Map<string, number>();
  const failuresBeforeSuccess = new Map<string, number>();

  const event = (orderNumber: string) =>
    buildEnvelope(LEDGER_EVENT_TYPES.orderExpired, { orderNumber, expiredAt: new Date().toISOString() }, `corr-${orderNumber}`);
  const send = async (partition: number, envelope: ReturnType<typeof event>) =>
    producer.send([{ topic, messages: [{ key: envelope.payload.orderNumber, value: JSON.stringify(envelope), partition }] }]);
  const committedOffset = async (partition: number): Promise<bigint> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.committedOffsets(groupId, topic);
      return BigInt(offsets.find((p) => p.partition === partition)!.offset);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    await ensureTopics(kafka, prefix);
    producer = kafka.producer();
    await producer.connect();
    // The last pause is longer than the session timeout (10 s): a consumer that stopped
    // heartbeating while it waits would be thrown out of its group.
    server = new EnvelopeServer({ kafka, groupId, topicPrefix: prefix, metrics, logger: quiet, retryDelaysMs: [300, 600, 11_000] });
    server.addHandler(
      TOPICS.ledgerEvents,
      async (inbound: InboundEvent) => {
        const id = inbound.envelope.eventId;
        calls.set(id, [...(calls.get(id) ?? []), Date.now()]);
        const failures = failuresBeforeSuccess.get(id) ?? 0;
        if ((calls.get(id)?.length ?? 0) <= failures) throw new Error(`downstream refused attempt ${calls.get(id)!.length}`);
        applied.set(id, (applied.get(id) ?? 0) + 1);
        return 'processed';
      },
      true,
    );
    await new Promise<void>(
      (resolve, reject) =>
        void server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error('listen failed', { cause: error })) : resolve())),
    );
  });

  afterAll(async () => {
    await server?.close();
    await producer?.disconnect();
  });

  it('applies a message that fails three times once, after the back-off, and commits past it', async () => {
    const flaky = event('ORDER-FLAKY');
    failuresBeforeSuccess.set(flaky.eventId, 3);
    const bystander = event('ORDER-BYSTANDER');
    await send(0, flaky);
    await waitFor('the first failure', async () => (calls.get(flaky.eventId)?.length ?? 0) >= 1, { timeoutMs: 30_000, intervalMs: 50 });
    // Another partition keeps moving while partition 0 waits.
    await send(1, bystander);
    await waitFor('the message on the other partition to be applied', async () => applied.get(bystander.eventId) === 1, { timeoutMs: 10_000, intervalMs: 50 });
    expect(applied.get(flaky.eventId)).toBeUndefined();

    await waitFor('the flaky message to be applied', async () => applied.get(flaky.eventId) === 1, { timeoutMs: 40_000, intervalMs: 100 });
    const times = calls.get(flaky.eventId)!;
    expect(times).toHaveLength(4);
    // Each attempt came after its pause (a little slack for timer granularity).
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(250);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(550);
    expect(times[3] - times[2]).toBeGreaterThanOrEqual(10_900);
    await waitFor('the offset to be committed past the message', async () => (await committedOffset(0)) >= 1n, { timeoutMs: 10_000, intervalMs: 200 });
    expect(applied.get(flaky.eventId)).toBe(1);
    expect(await new TopicReader(kafka, prefix).readAll(dlqOf(TOPICS.ledgerEvents))).toHaveLength(0);
    expect(await metrics.registry.getSingleMetricAsString('kafka_handler_retries_total')).toMatch(
      /kafka_handler_retries_total\{[^}]*topic="ledger\.events\.v1"[^}]*\} 3$/m,
    );
    expect(await metrics.registry.getSingleMetricAsString('kafka_consumer_rebuilds_total')).toMatch(/kafka_consumer_rebuilds_total\{[^}]*\} 0$/m);
  }, 90_000);

  it('dead-letters a message that fails on every attempt, with the error and the attempts in its headers', async () => {
    const doomed = event('ORDER-DOOMED');
    failuresBeforeSuccess.set(doomed.eventId, Number.MAX_SAFE_INTEGER);
    await send(2, doomed);
    const reader = new TopicReader(kafka, prefix);
    await waitFor('the message to be dead-lettered', async () => (await reader.readAll(dlqOf(TOPICS.ledgerEvents))).length > 0, {
      timeoutMs: 40_000,
      intervalMs: 500,
    });
    const dlq = await reader.readAll(dlqOf(TOPICS.ledgerEvents));
    expect(dlq).toHaveLength(1);
    expect(dlq[0].value).toBe(JSON.stringify(doomed));
    expect(dlq[0].key).toBe('ORDER-DOOMED');
    expect(dlq[0].headers).toMatchObject({
      'x-dlq-reason': 'HANDLER_FAILED',
      'x-dlq-error': 'downstream refused attempt 4',
      'x-dlq-attempts': '4',
      'x-dlq-source-topic': TOPICS.ledgerEvents,
      'x-dlq-source-partition': '2',
    });
    // One first attempt and one per pause, never applied, and the partition moved on.
    expect(calls.get(doomed.eventId)).toHaveLength(4);
    expect(applied.get(doomed.eventId)).toBeUndefined();
    await waitFor('the offset to be committed past the dead letter', async () => (await committedOffset(2)) >= 1n, { timeoutMs: 10_000, intervalMs: 200 });
    expect(await metrics.registry.getSingleMetricAsString('kafka_messages_awaiting_retry')).toMatch(/kafka_messages_awaiting_retry\{[^}]*\} 0$/m);
  }, 90_000);
});
