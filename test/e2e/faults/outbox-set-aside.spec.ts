import { loadKafkaSecurity } from '@pt/config';
import type { LoggerService } from '@nestjs/common';
import { TOPICS } from '@pt/contracts';
import { openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { OutboxRelay, createKafkaClient, ensureTopics } from '@pt/kafka';
import { ServiceMetrics } from '@pt/observability';
import { TopicReader, createTestDatabase, testPool, waitFor } from '@pt/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

const quiet: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * Rows the real broker refuses for good — one larger than its max.message.bytes (1 MB by
 * default), one for a topic that does not exist — are set aside after their attempts, with
 * the last error, while the rows around them are published.
 */
describe('the outbox relay and rows the broker refuses', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const kafka = createKafkaClient({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: `set-aside-${prefix}`,
    security: loadKafkaSecurity(),
    logger: quiet,
  });
  const metrics = new ServiceMetrics('set-aside-test');
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let db: pg.Pool;
  let relay: OutboxRelay;

  const insert = async (topic: string, orderNumber: string, payload: Record<string, unknown> = {}) => {
    const eventId = randomUUID();
    const envelope = {
      eventId,
      type: 'test.event',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: `corr-${orderNumber}`,
      payload: { orderNumber, ...payload },
    };
    await db.query(`INSERT INTO settlement.outbox (event_id, topic, message_key, type, envelope) VALUES ($1, $2, $3, 'test.event', $4)`, [
      eventId,
      topic,
      orderNumber,
      envelope,
    ]);
    return eventId;
  };

  beforeAll(async () => {
    await ensureTopics(kafka, prefix);
    database = await createTestDatabase('outbox-set-aside');
    db = testPool(database.url);
    dataSource = await openServiceDataSource(
      serviceDataSourceOptions({ url: database.url, schema: 'settlement', entities: [], migrations: [], poolSize: 3, applicationName: 'set-aside-test' }),
    );
  });

  afterAll(async () => {
    await relay?.stop();
    await dataSource?.destroy();
    await db?.end();
    await database?.drop();
  });

  it('sets aside a too-large row and a row of an unknown topic, and publishes the others', async () => {
    const before = await insert(TOPICS.incidentReported, 'ORDER-BEFORE');
    const huge = await insert(TOPICS.incidentReported, 'ORDER-HUGE', { blob: 'x'.repeat(2 * 1024 * 1024) });
    const lost = await insert('no.such.topic.v1', 'ORDER-LOST');
    const after = await insert(TOPICS.incidentReported, 'ORDER-AFTER');

    relay = new OutboxRelay({ dataSource, kafka, topicPrefix: prefix, metrics, logger: quiet, pollMs: 50, maxAttempts: 3 });
    await relay.start();

    const published = async (id: string) =>
      (await db.query('SELECT published_at FROM settlement.outbox WHERE event_id = $1', [id])).rows[0].published_at !== null;
    await waitFor('the good rows to be published', async () => (await published(before)) && (await published(after)), { timeoutMs: 120_000, intervalMs: 200 });
    await waitFor(
      'the refused rows to be set aside',
      async () => Number((await db.query('SELECT count(*) FROM settlement.outbox WHERE set_aside_at IS NOT NULL')).rows[0].count) === 2,
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    const refused = (await db.query('SELECT event_id, attempts, last_error, published_at FROM settlement.outbox WHERE set_aside_at IS NOT NULL ORDER BY id'))
      .rows;
    expect(refused.map((r) => r.event_id)).toEqual([huge, lost]);
    expect(refused.map((r) => r.attempts)).toEqual([3, 3]);
    expect(refused.every((r) => r.published_at === null)).toBe(true);
    expect(refused[0].last_error).toMatch(/^(MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE): /);
    expect(refused[1].last_error).toMatch(/^UNKNOWN_TOPIC_OR_PARTITION: /);

    // Set aside means left alone: a new row goes out, the refused ones are not tried again.
    const later = await insert(TOPICS.incidentReported, 'ORDER-LATER');
    relay.nudge();
    await waitFor('a row written later to be published', () => published(later), { timeoutMs: 30_000, intervalMs: 200 });
    expect((await db.query('SELECT attempts FROM settlement.outbox WHERE set_aside_at IS NOT NULL')).rows.map((r) => r.attempts)).toEqual([3, 3]);

    await relay.refreshBacklog();
    expect(await metrics.registry.getSingleMetricAsString('outbox_set_aside')).toMatch(/outbox_set_aside\{[^}]*\} 2$/m);
    expect(await metrics.registry.getSingleMetricAsString('outbox_backlog')).toMatch(/outbox_backlog\{[^}]*\} 0$/m);
    const onTopic = await new TopicReader(kafka, prefix).readAll(TOPICS.incidentReported);
    expect(onTopic.map((m) => m.key).sort()).toEqual(['ORDER-AFTER', 'ORDER-BEFORE', 'ORDER-LATER']);
  }, 300_000);
});
