import type { LoggerService } from '@nestjs/common';
import { loadKafkaSecurity } from '@pt/config';
import { LEDGER_EVENT_TYPES, TOPICS, buildEnvelope, dlqOf } from '@pt/contracts';
import { EnvelopeServer, EventPublisher, createKafkaClient, ensureTopics, type InboundEvent } from '@pt/kafka';
import { ServiceMetrics } from '@pt/observability';
import { TopicReader, waitFor } from '@pt/testing';
import { randomBytes } from 'node:crypto';

class CollectingLogger implements LoggerService {
  readonly lines: { level: string; line: unknown }[] = [];
  log(line: unknown) {
    this.lines.push({ level: 'info', line });
  }
  error(line: unknown) {
    this.lines.push({ level: 'error', line });
  }
  warn(line: unknown) {
    this.lines.push({ level: 'warn', line });
  }
  debug(line: unknown) {
    this.lines.push({ level: 'debug', line });
  }
}

/**
 * kafkajs stops a consumer for good when its message handler throws what it deems
 * unrecoverable (a TypeError, say): the process lives on and consumes nothing. The
 * envelope server notices and builds a new consumer in the same group.
 */
describe('a consumer kafkajs gave up on', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const logger = new CollectingLogger();
  const kafka = createKafkaClient({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: `rebuild-${prefix}`,
    security: loadKafkaSecurity(process.env),
    logger,
  });
  const publisher = new EventPublisher(kafka, prefix);
  const metrics = new ServiceMetrics('rebuild-test');
  let server: EnvelopeServer;

  afterAll(async () => {
    await server?.close();
    await publisher.disconnect();
  });

  it('is built anew and the partition is consumed again', async () => {
    await ensureTopics(kafka, prefix);
    await publisher.connect();
    // The first dead-lettering's bookkeeping throws a TypeError out of the message handler.
    const deadLettered = metrics.messagesDeadLettered;
    let thrown = false;
    Object.defineProperty(metrics, 'messagesDeadLettered', {
      value: {
        inc: (...args: Parameters<typeof deadLettered.inc>) => {
          if (!thrown) {
            thrown = true;
            throw new TypeError('bookkeeping failed');
          }
          deadLettered.inc(...args);
        },
      },
    });

    const seen: string[] = [];
    server = new EnvelopeServer({
      kafka,
      groupId: `${prefix}-rebuild`,
      topicPrefix: prefix,
      metrics,
      logger,
      partitionsConsumedConcurrently: 1,
      maxRestartDelayMs: 2000,
    });
    server.addHandler(
      TOPICS.ledgerEvents,
      async (event: InboundEvent) => {
        seen.push(event.envelope.eventId);
        return 'processed';
      },
      true,
    );
    await new Promise<void>(
      (resolve, reject) =>
        void server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error('listen failed', { cause: error })) : resolve())),
    );

    await publisher.publishRaw(TOPICS.ledgerEvents, 'ORDER-REBUILD', '{"not": "an envelope"');
    const good = buildEnvelope(LEDGER_EVENT_TYPES.orderExpired, { orderNumber: 'ORDER-REBUILD', expiredAt: new Date().toISOString() }, 'corr-rebuild');
    await publisher.publishRaw(TOPICS.ledgerEvents, 'ORDER-REBUILD', JSON.stringify(good));

    await waitFor('the message behind the crash to be handled', async () => seen.includes(good.eventId), { timeoutMs: 60_000, intervalMs: 100 });
    expect(thrown).toBe(true);
    expect(logger.lines.some((l) => l.level === 'error' && JSON.stringify(l.line).includes('non-retriable'))).toBe(true);
    expect(await metrics.registry.getSingleMetricAsString('kafka_consumer_rebuilds_total')).toMatch(/kafka_consumer_rebuilds_total\{[^}]*\} 1$/m);
    // The malformed message was dead-lettered (again, after the rebuild: at least once).
    const dlq = await new TopicReader(kafka, prefix).readAll(dlqOf(TOPICS.ledgerEvents));
    expect(dlq.length).toBeGreaterThanOrEqual(1);
    expect(dlq.every((m) => m.headers['x-dlq-reason'] === 'MALFORMED_JSON')).toBe(true);
  }, 120_000);
});
