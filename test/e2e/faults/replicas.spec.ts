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
  waitFor,
  waitForDecided,
  waitForInvariants,
  waitForMirrored,
  waitForOutcomes,
  workloadViolations,
  type Suite,
} from '@pt/testing';

/** Two reconciliation replicas share the work; one is killed in the middle of a burst and never comes back. */
describe('two reconciliation replicas, one killed mid-burst', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite('replicas', ['intake', 'reconciliation'], { TRIAGE_VELOCITY_LIMIT: '1000' });
    const keys = markedSecrets('replica', 260).map((secret) => ({ sku: 'SKU-REPLICA', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(260);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('the survivor takes over the partitions and every owed order is issued exactly once', async () => {
    const second = await suite.startInstance('reconciliation');
    const admin = suite.kafka.admin();
    await admin.connect();
    try {
      await waitFor(
        'both replicas to hold partitions',
        async () => {
          const group = await admin.describeGroup(`${suite.prefix}-reconciliation`);
          return group.state === 'Stable' && group.members === 2;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
    } finally {
      await admin.disconnect();
    }

    const up = new Upstream(suite.publisher);
    const planned = planOrders(240, { label: 'replica', sku: 'SKU-REPLICA', rng: new Prng(4004) });
    await publishUpstream(up, planned);
    await waitForMirrored(suite.db, planned);

    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey);
    const sending = sender.sendAll(planned, 6);
    const first = suite.services.reconciliation!;
    await waitFor(
      'the burst to be under way on both replicas',
      async () => {
        const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.decisions`);
        return rows[0].n >= 60;
      },
      { timeoutMs: 120_000, intervalMs: 50 },
    );
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    await sending;
    expect(sender.acknowledged.size).toBe(planned.length);
    await waitForDecided(suite.db, sender, 180_000);
    await publishLateClearing(up, planned);
    await waitForOutcomes(suite.db, planned, sender, 180_000);

    expect(await workloadViolations(suite.db, planned, sender)).toEqual([]);
    await waitForInvariants(suite.db);
    // The survivor did triage after the kill.
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/triage_outcomes_total\{[^}]*reason="REISSUED"[^}]*\} [1-9]/);
  }, 480_000);
});
