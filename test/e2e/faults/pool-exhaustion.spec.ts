import { TOPICS, dlqOf } from '@pt/contracts';
import {
  Prng,
  ReportSender,
  TopicReader,
  Upstream,
  importCardKeys,
  markedSecrets,
  planOrders,
  publishLateClearing,
  publishUpstream,
  startSuite,
  waitForDecided,
  waitForInvariants,
  waitForMirrored,
  waitForOutcomes,
  workloadViolations,
  type Suite,
} from '@pt/testing';

/**
 * Intake and reconciliation with two pooled connections each, under a burst of 200
 * reports sent 25 at a time: handlers, relays, sweepers and HTTP requests queue for a
 * connection (an acquire that times out is a transient error, retried), and nothing is
 * lost or dead-lettered.
 */
describe('a database pool of two under a burst of reports', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite(
      'pool-exhaustion',
      ['intake', 'reconciliation'],
      { TRIAGE_VELOCITY_LIMIT: '1000' },
      { serviceEnv: { intake: { DB_POOL_SIZE: '2' }, reconciliation: { DB_POOL_SIZE: '2' } } },
    );
    const keys = markedSecrets('pool', 200).map((secret) => ({ sku: 'SKU-POOL', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(200);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('decides every report, dead-letters nothing, and the invariants hold', async () => {
    const up = new Upstream(suite.publisher);
    const planned = planOrders(200, { label: 'pool', sku: 'SKU-POOL', rng: new Prng(4242) });
    await publishUpstream(up, planned);
    await waitForMirrored(suite.db, planned, 120_000);

    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey);
    await sender.sendAll(planned, 25);
    expect(sender.refused).toEqual([]);
    expect(sender.gaveUp).toEqual([]);
    expect(sender.acknowledged.size).toBe(planned.length);
    await waitForDecided(suite.db, sender, 150_000);
    await publishLateClearing(up, planned);
    await waitForOutcomes(suite.db, planned, sender, 150_000);
    expect(await workloadViolations(suite.db, planned, sender)).toEqual([]);
    await waitForInvariants(suite.db);

    const reader = new TopicReader(suite.kafka, suite.prefix);
    for (const topic of [TOPICS.incidentReported, TOPICS.incidentTriaged, TOPICS.ledgerEvents, TOPICS.clearingEvents]) {
      expect({ topic, deadLetters: (await reader.readAll(dlqOf(topic))).length }).toEqual({ topic, deadLetters: 0 });
    }
  }, 300_000);
});
