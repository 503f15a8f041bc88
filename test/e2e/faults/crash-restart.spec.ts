import { TOPICS } from '@pt/contracts';
import {
  Prng,
  ReportSender,
  Supervisor,
  Upstream,
  importCardKeys,
  markedSecrets,
  owedOrders,
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
 * Reconciliation (and intake) die with SIGKILL at the worst moments while reports flow,
 * and a supervisor starts them again: no acknowledged report is lost and no order is
 * issued twice.
 */
describe('services killed at chosen points and restarted', () => {
  let suite: Suite;
  let supervisor: Supervisor | undefined;

  beforeAll(async () => {
    suite = await startSuite(
      'crash-restart',
      ['intake', 'reconciliation'],
      { TRIAGE_VELOCITY_LIMIT: '1000' },
      {
        serviceEnv: {
          // Dies right after a triage committed, before Kafka knows the report was consumed.
          reconciliation: { FAULT_CRASH_POINT: 'after-commit-before-offset', FAULT_CRASH_TOPIC: TOPICS.incidentReported, FAULT_CRASH_AFTER: '40' },
          // Dies right after applying a decision, before its offset is committed.
          intake: { FAULT_CRASH_POINT: 'after-commit-before-offset', FAULT_CRASH_TOPIC: TOPICS.incidentTriaged, FAULT_CRASH_AFTER: '70' },
        },
      },
    );
    const keys = markedSecrets('crash', 260).map((secret) => ({ sku: 'SKU-CRASH', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(260);
  });

  afterAll(async () => {
    supervisor?.stop();
    await suite?.stop();
  });

  it('after the commit and before the offset, in the middle of an issuance, and after a relay send: every report settles, each owed order is issued once', async () => {
    const up = new Upstream(suite.publisher);
    const planned = planOrders(240, { label: 'crash', sku: 'SKU-CRASH', rng: new Prng(1001) });
    await publishUpstream(up, planned);
    await waitForMirrored(suite.db, planned);

    supervisor = new Supervisor(suite, {
      plans: {
        reconciliation: [
          // Second life: dies holding an issuance transaction open (key allocated, issuance written, nothing committed).
          { FAULT_CRASH_POINT: 'mid-issuance', FAULT_CRASH_AFTER: '25' },
          // Third life: dies after the broker took an outbox batch, before the rows are marked published.
          { FAULT_CRASH_POINT: 'relay-after-send', FAULT_CRASH_AFTER: '15' },
        ],
      },
    }).watch('intake', 'reconciliation');

    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey);
    await sender.sendAll(planned, 6);
    await waitForDecided(suite.db, sender, 180_000);
    await publishLateClearing(up, planned);
    await waitForOutcomes(suite.db, planned, sender, 180_000);
    await supervisor.waitForCrashes(4, 120_000);

    const crashes = supervisor.crashes.map((c) => `${c.service}:${c.signal}`).sort();
    expect(crashes).toEqual(['intake:SIGKILL', 'reconciliation:SIGKILL', 'reconciliation:SIGKILL', 'reconciliation:SIGKILL']);
    expect(supervisor.failedRestarts).toEqual([]);
    expect(sender.acknowledged.size).toBe(planned.length);
    expect(await workloadViolations(suite.db, planned, sender)).toEqual([]);
    const owed = owedOrders(planned).map((p) => p.order.orderNumber);
    const { rows } = await suite.db.query(
      `SELECT count(*)::int AS issuances, count(DISTINCT order_number)::int AS orders, count(DISTINCT card_key_id)::int AS keys
         FROM reconciliation.issuances WHERE order_number = ANY($1)`,
      [owed],
    );
    expect(rows[0]).toEqual({ issuances: owed.length, orders: owed.length, keys: owed.length });
    await waitForInvariants(suite.db);
  }, 480_000);
});
