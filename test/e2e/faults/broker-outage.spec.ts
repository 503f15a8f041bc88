import { checkPublishedOnTopics } from '@pt/invariants';
import {
  DedicatedBroker,
  Prng,
  ReportSender,
  Upstream,
  importCardKeys,
  markedSecrets,
  planOrders,
  publishLateClearing,
  publishUpstream,
  startSuite,
  waitFor,
  waitForDecided,
  waitForInvariants,
  waitForMirrored,
  waitForOutcomes,
  whileServicesRun,
  workloadViolations,
  type Suite,
} from '@pt/testing';

/**
 * The broker dies hard (SIGKILL of its JVM) while buyers keep reporting, and comes back
 * on the same ports and data: intake keeps acknowledging reports into its outbox, and
 * every producer and consumer finds the broker again without a restart of any service.
 * The broker is this file's own: the shared test broker serves the other files.
 */
describe('the Kafka broker killed and restarted while reports flow', () => {
  const broker = new DedicatedBroker();
  let suite: Suite;

  beforeAll(async () => {
    await broker.start();
    suite = await startSuite('broker-outage', ['intake', 'reconciliation'], { TRIAGE_VELOCITY_LIMIT: '1000' }, { brokers: broker.brokers });
    const keys = markedSecrets('outage', 220).map((secret) => ({ sku: 'SKU-OUTAGE', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(220);
  }, 180_000);

  afterAll(async () => {
    await suite?.stop();
    await broker.stop();
  });

  it('reports acknowledged during the outage are triaged once it is back; the outboxes drain; nothing is issued twice', async () => {
    const up = new Upstream(suite.publisher);
    const planned = planOrders(200, { label: 'outage', sku: 'SKU-OUTAGE', rng: new Prng(2002) });
    await publishUpstream(up, planned);
    await waitForMirrored(suite.db, planned);

    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey, 240_000);
    // A service that exits under the outage fails the test at once, with its last lines.
    await whileServicesRun(
      suite,
      (async () => {
        const sending = sender.sendAll(planned, 3);
        await waitFor('the first 50 reports to be acknowledged', async () => sender.acknowledged.size >= 50, { timeoutMs: 60_000 });

        await broker.kill();
        const killedAt = Date.now();
        const before = sender.acknowledged.size;
        // The outage lasts at least 20 s (long enough for the consumers to exhaust their retries and
        // crash) and until reports acknowledged meanwhile pile up unpublished in intake's outbox.
        await waitFor(
          'reports to be acknowledged and held in the outbox while the broker is down',
          async () => {
            const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`);
            return sender.acknowledged.size >= before + 40 && rows[0].n >= 40 && Date.now() - killedAt > 20_000;
          },
          { timeoutMs: 90_000, intervalMs: 250 },
        );
        await broker.start();

        await sending;
        expect(sender.acknowledged.size).toBe(planned.length);
        await waitForDecided(suite.db, sender, 240_000);
        await publishLateClearing(up, planned);
        await waitForOutcomes(suite.db, planned, sender, 180_000);
      })(),
    );

    expect(await workloadViolations(suite.db, planned, sender)).toEqual([]);
    await waitForInvariants(suite.db, 90_000);
    // Every event the relays marked published survived the hard kill on its topic.
    const onTopics = await checkPublishedOnTopics({ intake: suite.db, reconciliation: suite.db, settlement: suite.db }, suite.kafka, suite.prefix, {
      sampleSize: 5,
    });
    expect(onTopics.samples).toEqual([]);
    // Nobody had to restart a service.
    for (const service of Object.values(suite.services)) expect(service.child.exitCode).toBeNull();
  }, 600_000);
});
