import { TOPICS, dlqOf } from '@pt/contracts';
import {
  CONSUMED_TOPICS,
  Prng,
  ReportSender,
  Upstream,
  importCardKeys,
  markedSecrets,
  planOrders,
  poisonMessagesFor,
  publishLateClearing,
  publishUpstream,
  startSuite,
  waitFor,
  waitForDecided,
  waitForInvariants,
  waitForMirrored,
  waitForOutcomes,
  workloadViolations,
  type PoisonMessage,
  type Suite,
} from '@pt/testing';

/**
 * Poison on every topic every service consumes: malformed JSON, an unsupported schema
 * version, impossible values, values the database cannot hold. Each lands in the topic's
 * DLQ with its reason, once per consuming service, and the partition keeps moving.
 */
describe('poison messages on every consumed topic', () => {
  let suite: Suite;
  let up: Upstream;

  beforeAll(async () => {
    suite = await startSuite('poison', ['intake', 'reconciliation', 'settlement'], { TRIAGE_VELOCITY_LIMIT: '1000' });
    up = new Upstream(suite.publisher);
    const keys = markedSecrets('poison', 160).map((secret) => ({ sku: 'SKU-POISON', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(160);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  const groupOf = (service: keyof typeof CONSUMED_TOPICS) => `${suite.prefix}-${service}`;

  /** Publishes poison, then checks each message reached its DLQ once per consuming service, with its reason. */
  async function expectDeadLettered(poison: PoisonMessage[]): Promise<void> {
    const expected = poison.flatMap((p) =>
      (Object.keys(CONSUMED_TOPICS) as (keyof typeof CONSUMED_TOPICS)[])
        .filter((s) => CONSUMED_TOPICS[s].includes(p.topic))
        .map((service) => ({ ...p, group: groupOf(service) })),
    );
    const dlqTopics = [...new Set(poison.map((p) => dlqOf(p.topic)))];
    const found = await waitFor(
      `${expected.length} poison messages in their DLQs`,
      async () => {
        const all = (await Promise.all(dlqTopics.map((t) => suite.topics.readAll(t)))).flat();
        const arrived = expected.every((e) => all.some((m) => m.value === e.value && m.headers['x-dlq-consumer-group'] === e.group));
        return arrived ? all : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    for (const e of expected) {
      const copies = found.filter((m) => m.value === e.value && m.headers['x-dlq-consumer-group'] === e.group && m.headers['x-dlq-source-topic'] === e.topic);
      expect({ label: `${e.topic} ${e.label} (${e.group})`, copies: copies.length }).toEqual({ label: `${e.topic} ${e.label} (${e.group})`, copies: 1 });
      const copy = copies[0];
      expect(e.reasons).toContain(copy.headers['x-dlq-reason']);
      expect(copy.headers['x-dlq-error']).toBeTruthy();
      expect(copy.headers['x-dlq-source-topic']).toBe(e.topic);
      expect(copy.key).toBe(e.key);
    }
  }

  it('each poison message is dead-lettered with its reason and the next message on its key is applied', async () => {
    const [o] = planOrders(1, {
      label: 'poison-one',
      sku: 'SKU-POISON',
      rng: new Prng(5005),
      mix: { 'lost-callback': 1, 'clearing-failed': 0, 'unknown-order': 0, 'clearing-then-cleared': 0 },
    });
    const key = o.order.orderNumber;
    const batchId = `BATCH-${key}`;
    const poison = [
      ...poisonMessagesFor(TOPICS.ledgerEvents, key),
      ...poisonMessagesFor(TOPICS.clearingEvents, key),
      ...poisonMessagesFor(TOPICS.settlementEvents, batchId),
      ...poisonMessagesFor(TOPICS.incidentReported, key),
      ...poisonMessagesFor(TOPICS.incidentCommands, key),
      ...poisonMessagesFor(TOPICS.incidentTriaged, key),
    ];
    for (const p of poison) await suite.publisher.publishRaw(p.topic, p.key, p.value);

    // Behind the poison, on the same keys (so the same partitions): the real events.
    await publishUpstream(up, [o]);
    await waitForMirrored(suite.db, [o]);
    await up.settlementBatchPaid({
      batchId,
      merchantId: o.order.merchantId,
      payments: [{ paymentReference: o.paymentReference, amountMinor: o.order.amountMinor }],
      currency: 'CNY',
      paidAt: new Date(),
    });
    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey);
    const ack = await sender.send(o);
    expect(ack?.status).toBe(201);

    await waitFor(
      'the events behind the poison to be applied by every service',
      async () => {
        const { rows } = await suite.db.query(
          `SELECT (SELECT status FROM reconciliation.clearing_records WHERE payment_reference = $1) AS clearing,
                  (SELECT batch_id FROM settlement.payments WHERE payment_reference = $1) AS batch,
                  (SELECT reason_code FROM intake.incidents WHERE id = $2) AS reason`,
          [o.paymentReference, ack!.incidentId],
        );
        return rows[0].clearing === 'CLEARED' && rows[0].batch === batchId && rows[0].reason === 'REISSUED' ? rows[0] : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    await expectDeadLettered(poison);
  });

  it('poison sprinkled over a load of reports stops none of it', async () => {
    const rng = new Prng(5006);
    const planned = planOrders(120, { label: 'poison-load', sku: 'SKU-POISON', rng });
    const topics = [TOPICS.ledgerEvents, TOPICS.clearingEvents, TOPICS.incidentReported, TOPICS.incidentTriaged];
    const poison = planned.filter(() => rng.next() < 0.25).map((p) => rng.pick(poisonMessagesFor(rng.pick(topics), p.order.orderNumber)));
    for (const p of poison) await suite.publisher.publishRaw(p.topic, p.key, p.value);
    await publishUpstream(up, planned);
    await waitForMirrored(suite.db, planned);

    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey);
    await sender.sendAll(planned, 6);
    await waitForDecided(suite.db, sender);
    await publishLateClearing(up, planned);
    await waitForOutcomes(suite.db, planned, sender);

    expect(await workloadViolations(suite.db, planned, sender)).toEqual([]);
    await waitForInvariants(suite.db);
    await expectDeadLettered(poison);
  }, 240_000);
});
