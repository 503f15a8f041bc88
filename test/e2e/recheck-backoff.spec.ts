import {
  Upstream,
  decisionsOf,
  getIncident,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  waitFor,
  waitForDecision,
  waitForMirror,
  type Suite,
} from '@pt/testing';

/**
 * The re-check sweeper with one incident whose re-check always fails (PostgreSQL refuses
 * its decisions, through a trigger): the others keep being re-checked, and the failing one
 * backs off and is escalated RECHECK_FAILED after TRIAGE_RECHECK_MAX_FAILURES failures.
 */
describe('a re-check that keeps failing', () => {
  let suite: Suite;
  let up: Upstream;

  beforeAll(async () => {
    suite = await startSuite('recheck-backoff', ['intake', 'reconciliation'], {
      TRIAGE_WAITING_WINDOW_MINUTES: '1',
      TRIAGE_RECHECK_SCHEDULE_MINUTES: '0.01',
      TRIAGE_SWEEP_INTERVAL_MS: '200',
      TRIAGE_RECHECK_MAX_FAILURES: '5',
      TRIAGE_RECHECK_RETRY_BASE_MS: '500',
      TRIAGE_RECHECK_RETRY_MAX_MS: '4000',
    });
    up = new Upstream(suite.publisher);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('does not hold up another incident, backs off, and escalates RECHECK_FAILED after N failures', async () => {
    const failing = simOrder('recheck-fails', { sku: 'SKU-NONE-A' });
    const other = simOrder('recheck-other', { sku: 'SKU-NONE-B' });
    await up.orderPlaced(failing);
    await up.orderPlaced(other);
    await waitForMirror(suite, failing.orderNumber, 0);
    await waitForMirror(suite, other.orderNumber, 0);

    const a = (await postReport(suite, reportBody(failing))).body.id as string;
    await waitForDecision(suite, a, 'AWAITING_CLEARING');
    // From now on every decision about A but the escalation itself is refused by the database.
    await suite.db.query(`
      CREATE FUNCTION reconciliation.refuse_decisions_of_a() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.incident_id = '${a}' AND NEW.reason_code <> 'RECHECK_FAILED' THEN
          RAISE EXCEPTION 'simulated outage: password=hunter2 refused %', NEW.incident_id;
        END IF;
        RETURN NEW;
      END $$`);
    await suite.db.query(
      `CREATE TRIGGER refuse_decisions_of_a BEFORE INSERT ON reconciliation.decisions FOR EACH ROW EXECUTE FUNCTION reconciliation.refuse_decisions_of_a()`,
    );
    const failuresOf = async (id: string) =>
      (await suite.db.query(`SELECT recheck_failures FROM reconciliation.triage_incidents WHERE incident_id = $1`, [id])).rows[0].recheck_failures as number;
    await waitFor('the first failed re-check of A', async () => ((await failuresOf(a)) >= 1 ? true : undefined), { timeoutMs: 15_000 });
    const firstFailureSeenAt = Date.now();

    // B is made due by its clearing event while A is failing; it is re-checked all the same.
    const b = (await postReport(suite, reportBody(other))).body.id as string;
    await waitForDecision(suite, b, 'AWAITING_CLEARING');
    await up.paymentRecorded(other, `PAY-${other.orderNumber}`, 'wechat', other.amountMinor);
    await up.clearing(other, `PAY-${other.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: other.amountMinor });
    const bFinal = await waitForDecision(suite, b, 'OUT_OF_STOCK');
    expect(bFinal.status).toBe('ESCALATED');
    // A had not been given up on yet when B was decided: B did not wait for A. (A may have
    // been re-checked a few times before the trigger was in place: waiting decisions only.)
    const aSoFar = (await decisionsOf(suite, a)).map((d) => d.reasonCode as string);
    expect(aSoFar.length).toBeGreaterThanOrEqual(1);
    expect(new Set(aSoFar)).toEqual(new Set(['AWAITING_CLEARING']));
    expect(await failuresOf(b)).toBe(0);

    const aFinal = await waitForDecision(suite, a, 'RECHECK_FAILED', 60_000);
    const escalatedAfterMs = Date.now() - firstFailureSeenAt;
    expect(aFinal.status).toBe('ESCALATED');
    expect(aFinal.decision.outcome).toBe('ESCALATED');
    expect(aFinal.decision.explanation).toContain('failed 5 times in a row');
    expect(aFinal.decision.explanation).toContain('simulated outage');
    expect(aFinal.decision.explanation).not.toContain('hunter2');
    // Pauses of 0.5, 1, 2 and 4 s between the five failures (a little slack for the sweep interval).
    expect(escalatedAfterMs).toBeGreaterThanOrEqual(6_500);

    const decisions = await decisionsOf(suite, a);
    // Nothing was stored while the trigger refused A's decisions: the ones from before it, then the escalation.
    expect(decisions.map((d) => d.reasonCode)).toEqual([...aSoFar, 'RECHECK_FAILED']);
    expect(decisions[decisions.length - 1].evidence.report.incidentId).toBe(a);
    const failedLines = suite.logs().filter((l) => l.includes('re-check failed; backing off') && l.includes(a));
    expect(failedLines).toHaveLength(5);
    expect(suite.logs().join('\n')).not.toContain('hunter2');
    const { rows } = await suite.db.query(`SELECT state, next_check_at, recheck_failures FROM reconciliation.triage_incidents WHERE incident_id = $1`, [a]);
    expect(rows[0]).toMatchObject({ state: 'DONE', next_check_at: null, recheck_failures: 0 });
    expect((await getIncident(suite, a)).status).toBe('ESCALATED');
  }, 120_000);
});
