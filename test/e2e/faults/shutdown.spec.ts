import { TOPICS } from '@pt/contracts';
import {
  Prng,
  ReportSender,
  Upstream,
  getIncident,
  importCardKeys,
  markedSecrets,
  planOrders,
  postReport,
  publishLateClearing,
  publishUpstream,
  reportBody,
  simOrder,
  startSuite,
  waitFor,
  waitForDecided,
  waitForInvariants,
  waitForMirrored,
  waitForOutcomes,
  workloadViolations,
  type Suite,
} from '@pt/testing';

/**
 * SIGTERM while reports flow: each service stops taking work, lets what is in flight
 * finish, and exits 0; after a restart every report is decided and the invariants hold.
 * A handler that never finishes makes the process exit 1 at SHUTDOWN_DEADLINE_MS with
 * one line saying what was still running, and its message is handled after the restart.
 */
describe('orderly shutdown with a deadline', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite('shutdown', ['intake', 'reconciliation'], { TRIAGE_VELOCITY_LIMIT: '1000', SHUTDOWN_DEADLINE_MS: '20000' });
    const keys = markedSecrets('shutdown', 60).map((secret) => ({ sku: 'SKU-SHUTDOWN', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(60);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('SIGTERM to intake and reconciliation under load: both exit 0, nothing is lost', async () => {
    const up = new Upstream(suite.publisher);
    const planned = planOrders(60, { label: 'shutdown', sku: 'SKU-SHUTDOWN', rng: new Prng(2024) });
    await publishUpstream(up, planned);
    await waitForMirrored(suite.db, planned);

    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey);
    const sending = sender.sendAll(planned, 6);
    // Reconciliation stops while reports are being triaged.
    await waitFor('some reports acknowledged', async () => (sender.acknowledged.size >= 10 ? true : undefined), { timeoutMs: 60_000, intervalMs: 50 });
    const reconciliation = suite.services.reconciliation!;
    expect(await reconciliation.stop('SIGTERM')).toBe(0);
    expect(reconciliation.output.some((line) => line.includes('"reconciliation stopped"'))).toBe(true);
    expect(reconciliation.output.some((line) => line.includes('did not stop within SHUTDOWN_DEADLINE_MS'))).toBe(false);
    // Intake stops while requests are coming in: those in flight are answered, the sender asks again for the rest.
    await waitFor('more reports acknowledged', async () => (sender.acknowledged.size >= 25 ? true : undefined), { timeoutMs: 60_000, intervalMs: 50 });
    const intake = suite.services.intake!;
    expect(await intake.stop('SIGTERM')).toBe(0);
    expect(intake.output.some((line) => line.includes('"intake stopped"'))).toBe(true);
    await suite.restart('intake');
    await suite.restart('reconciliation');
    await sending;

    expect(sender.acknowledged.size).toBe(planned.length);
    expect(sender.gaveUp).toEqual([]);
    await waitForDecided(suite.db, sender, 180_000);
    await publishLateClearing(up, planned);
    await waitForOutcomes(suite.db, planned, sender, 180_000);
    expect(await workloadViolations(suite.db, planned, sender)).toEqual([]);
    await waitForInvariants(suite.db);
  }, 480_000);

  it('a handler that never finishes: exit 1 at the deadline with the line naming it; the report is triaged after the restart', async () => {
    const stuck = await suite.restart('reconciliation', {
      FAULT_STALL_POINT: 'handler',
      FAULT_STALL_TOPIC: TOPICS.incidentReported,
      SHUTDOWN_DEADLINE_MS: '2000',
    });
    const up = new Upstream(suite.publisher);
    const o = simOrder('shutdown-stuck', { sku: 'SKU-SHUTDOWN' });
    await up.orderPlaced(o);
    const id = (await postReport(suite, reportBody(o))).body.id as string;
    await waitFor('the report handler stalled', async () => (stuck.output.some((l) => l.includes('handler stalled by the fault plan')) ? true : undefined), {
      timeoutMs: 60_000,
    });

    stuck.child.kill('SIGTERM');
    const exit = await stuck.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    const deadlineLines = stuck.output.filter((l) => l.includes('did not stop within SHUTDOWN_DEADLINE_MS'));
    expect(deadlineLines).toHaveLength(1);
    const line = JSON.parse(deadlineLines[0]) as { level: string; msg: string; stillRunning: string[] };
    expect(line.level).toBe('error');
    expect(line.msg).toContain('(2000 ms) after SIGTERM; exiting with status 1');
    expect(line.stillRunning).toEqual(expect.arrayContaining([`Kafka handlers in flight: ${TOPICS.incidentReported} x1`]));
    expect(line.stillRunning[0]).toContain('stopping the Kafka consumers');
    expect(stuck.output.some((l) => l.includes('"reconciliation stopped"'))).toBe(false);

    await suite.restart('reconciliation');
    await waitFor(`incident ${id} triaged after the restart`, async () => ((await getIncident(suite, id)).decision ? true : undefined), { timeoutMs: 60_000 });
    await waitForInvariants(suite.db);
  }, 240_000);
});
