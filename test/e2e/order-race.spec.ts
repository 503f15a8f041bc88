import { TOPICS } from '@pt/contracts';
import {
  Upstream,
  decisionsOf,
  importCardKeys,
  markedSecrets,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  waitForCaughtUp,
  waitForDecision,
  type Suite,
} from '@pt/testing';

/**
 * A report that reaches intake before the shop's ledger.order-placed waits for the order
 * (AWAITING_ORDER) instead of escalating ORDER_NOT_FOUND at once, and is re-triaged as
 * soon as the order arrives. The re-check schedule here is far longer than the test, so
 * only the order's arrival can wake it; the window is long too, so only the order can end
 * the wait before it runs out.
 */
describe('a report that races the shop’s order feed', () => {
  let suite: Suite;
  let up: Upstream;

  beforeAll(async () => {
    suite = await startSuite('order-race', ['intake', 'reconciliation'], {
      TRIAGE_ORDER_WAIT_MINUTES: '10',
      TRIAGE_RECHECK_SCHEDULE_MINUTES: '30',
      TRIAGE_SWEEP_INTERVAL_MS: '300',
    });
    up = new Upstream(suite.publisher);
    const keys = markedSecrets('race', 2).map((secret) => ({ sku: 'SKU-RACE', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(2);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('waits for the order, then is decided the moment it arrives', async () => {
    const o = simOrder('race', { sku: 'SKU-RACE' });
    const created = await postReport(suite, reportBody(o));
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const waiting = await waitForDecision(suite, id, 'AWAITING_ORDER');
    expect(waiting.status).toBe('AWAITING_CLEARING');
    expect(waiting.decision.explanation).toContain('10 minutes');

    // The shop's feed catches up: the order, its lost callback's clearing.
    const arrived = Date.now();
    await up.orderPlaced(o);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: o.amountMinor });
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const final = await waitForDecision(suite, id, 'REISSUED');
    expect(final.status).toBe('AUTO_RESOLVED');
    // Far sooner than the 30-minute re-check schedule or the 10-minute window.
    expect(Date.now() - arrived).toBeLessThan(60_000);

    const decisions = await decisionsOf(suite, id);
    // The order may be seen before its clearing (AWAITING_CLEARING between); never ORDER_NOT_FOUND.
    const reasons = decisions.map((d) => d.reasonCode as string);
    expect(reasons[0]).toBe('AWAITING_ORDER');
    expect(reasons[reasons.length - 1]).toBe('REISSUED');
    expect(reasons).not.toContain('ORDER_NOT_FOUND');
    expect(decisions[0].evidence.order).toBeNull();
    expect(decisions[0].evidence.limits.orderWaitMinutes).toBe(10);
  });

  it('a report of an order that never comes stays waiting, not escalated, within the window', async () => {
    const o = simOrder('never', { sku: 'SKU-RACE' });
    const id = (await postReport(suite, reportBody(o))).body.id as string;
    const waiting = await waitForDecision(suite, id, 'AWAITING_ORDER');
    expect(waiting.decision.outcome).toBe('AWAITING_CLEARING');
    const { rows } = await suite.db.query(
      `SELECT state, next_check_at > now() + interval '5 minutes' AS later FROM reconciliation.triage_incidents WHERE incident_id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({ state: 'AWAITING_CLEARING', later: true });
  });
});
