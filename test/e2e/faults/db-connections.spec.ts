import {
  Prng,
  ReportSender,
  Upstream,
  importCardKeys,
  markedSecrets,
  planOrders,
  publishLateClearing,
  publishUpstream,
  startSuite,
  terminateServiceConnections,
  waitForDecided,
  waitForInvariants,
  waitForMirrored,
  waitForOutcomes,
  whileServicesRun,
  workloadViolations,
  type Suite,
} from '@pt/testing';

/**
 * The services' PostgreSQL connections are terminated (pg_terminate_backend, as a
 * failover or a network cut would) again and again while reports are filed and triaged:
 * transactions in flight roll back, and everything is retried to the same end.
 */
describe('PostgreSQL connections terminated mid-transaction', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite('db-terminate', ['intake', 'reconciliation'], { TRIAGE_VELOCITY_LIMIT: '1000' });
    const keys = markedSecrets('dbkill', 220).map((secret) => ({ sku: 'SKU-DBKILL', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(220);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('reports are acknowledged, triaged and issued exactly once while connections keep dying', async () => {
    const up = new Upstream(suite.publisher);
    const rng = new Prng(3003);
    const planned = planOrders(200, { label: 'dbkill', sku: 'SKU-DBKILL', rng });
    await publishUpstream(up, planned);
    await waitForMirrored(suite.db, planned);

    let terminating = true;
    let terminated = 0;
    const terminator = (async () => {
      for (let round = 0; terminating; round += 1) {
        // Mostly connections busy in a statement or a transaction; every tenth round, all of them.
        terminated += await terminateServiceConnections(suite.db, ['intake', 'reconciliation'], round % 10 !== 0);
        await new Promise((resolve) => setTimeout(resolve, rng.int(100, 400)));
      }
    })();

    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey, 240_000);
    try {
      await whileServicesRun(
        suite,
        (async () => {
          await sender.sendAll(planned, 6);
          await waitForDecided(suite.db, sender, 240_000);
          await publishLateClearing(up, planned);
          await waitForOutcomes(suite.db, planned, sender, 240_000);
        })(),
      );
    } finally {
      terminating = false;
      await terminator;
    }

    expect(terminated).toBeGreaterThan(20);
    expect(sender.acknowledged.size).toBe(planned.length);
    expect(await workloadViolations(suite.db, planned, sender)).toEqual([]);
    await waitForInvariants(suite.db);
    // No service died of a lost connection, and each has its database back.
    for (const service of Object.values(suite.services)) {
      expect(service.child.exitCode).toBeNull();
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    }
    // Some requests did fail on a lost connection and were answered by the retry with the same key.
    expect(sender.retries).toBeGreaterThan(0);
  }, 600_000);
});
