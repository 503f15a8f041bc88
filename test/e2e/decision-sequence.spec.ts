import { INCIDENT_TRIAGED_TYPE, TOPICS, type IncidentTriagedV1 } from '@pt/contracts';
import {
  Upstream,
  decisionsOf,
  getIncident,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  waitFor,
  waitForCaughtUp,
  waitForDecision,
  waitForMirror,
  type Suite,
} from '@pt/testing';

/**
 * Reconciliation numbers each incident's decisions 1, 2, 3… under the order's lock and
 * carries the number in incident.triaged; intake applies a decision only over a lower
 * number, whatever the deciding replicas' clocks say. An event without a number (from a
 * replica not yet upgraded) is ordered by its decision time, as before.
 */
describe('decisions applied by their sequence number', () => {
  let suite: Suite;
  let up: Upstream;

  const appliedOf = async (id: string) =>
    (await suite.db.query(`SELECT decision_id::text, decision_sequence, status, reason_code FROM intake.incidents WHERE id = $1`, [id])).rows[0] as {
      decision_id: string | null;
      decision_sequence: number | null;
      status: string;
      reason_code: string | null;
    };
  const triagedAuditOf = async (id: string) =>
    (await suite.db.query(`SELECT after FROM intake.audit_log WHERE incident_id = $1 AND action = 'TRIAGED'`, [id])).rows.map(
      (r) => (r.after as { decisionId: string }).decisionId,
    );
  /** Publishes a decision as a reconciliation replica would, and waits until intake consumed it. */
  const publishDecision = async (decision: IncidentTriagedV1) => {
    await suite.publisher.publish(INCIDENT_TRIAGED_TYPE, decision.orderNumber, decision, { correlationId: `seq-${decision.decisionId}` });
    await waitForCaughtUp(suite, 'intake', [TOPICS.incidentTriaged]);
  };

  beforeAll(async () => {
    suite = await startSuite('decision-sequence', ['intake', 'reconciliation']);
    up = new Upstream(suite.publisher);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('numbers the decisions of an incident 1, 2, … in the decisions table and on incident.triaged; intake keeps the last number', async () => {
    const o = simOrder('seq-real', { sku: 'SKU-SEQ-NONE' });
    await up.orderPlaced(o);
    await waitForMirror(suite, o.orderNumber, 0);
    const id = (await postReport(suite, reportBody(o))).body.id as string;
    await waitForDecision(suite, id, 'AWAITING_CLEARING');
    // The payment clears: the re-check escalates (no key of that SKU in stock).
    await up.paymentRecorded(o, `PAY-${o.orderNumber}`, 'wechat', o.amountMinor);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: o.amountMinor });
    await waitForDecision(suite, id, 'OUT_OF_STOCK');

    const decisions = await decisionsOf(suite, id);
    expect(decisions.length).toBeGreaterThanOrEqual(2);
    expect(decisions.map((d) => d.sequence)).toEqual(decisions.map((_, i) => i + 1));
    const last = decisions[decisions.length - 1];
    expect(last.reasonCode).toBe('OUT_OF_STOCK');
    const { rows } = await suite.db.query(`SELECT decision_seq FROM reconciliation.triage_incidents WHERE incident_id = $1`, [id]);
    expect(rows[0].decision_seq).toBe(decisions.length);

    const events = await waitFor('every decision of the incident on incident.triaged', async () => {
      const mine = (await suite.topics.envelopes<IncidentTriagedV1>(TOPICS.incidentTriaged)).filter((e) => e.payload.incidentId === id);
      return mine.length === decisions.length ? mine : undefined;
    });
    expect(new Map(events.map((e) => [e.payload.decisionId, e.payload.sequence]))).toEqual(new Map(decisions.map((d) => [d.id, d.sequence])));
    expect(await appliedOf(id)).toMatchObject({ decision_id: last.id, decision_sequence: decisions.length, status: 'ESCALATED' });
  }, 120_000);

  it('does not apply a decision with a lower number over a higher one even when its decision time is later; falls back to the time without a number', async () => {
    // An order with no payment yet: triage waits for clearing and keeps the incident in its hands.
    const o = simOrder('seq-clocks', { sku: 'SKU-SEQ-NONE' });
    await up.orderPlaced(o);
    await waitForMirror(suite, o.orderNumber, 0);
    const id = (await postReport(suite, reportBody(o))).body.id as string;
    await waitForDecision(suite, id, 'AWAITING_CLEARING');
    const base = Date.now();
    const decision = (sequence: number | undefined, decidedAt: number, outcome: IncidentTriagedV1['outcome'], reasonCode: IncidentTriagedV1['reasonCode']) => ({
      incidentId: id,
      decisionId: crypto.randomUUID(),
      orderNumber: o.orderNumber,
      outcome,
      reasonCode,
      explanation: `crafted decision ${sequence ?? 'without a number'}`,
      ruleVersion: 'triage-rules/test',
      decidedAt: new Date(decidedAt).toISOString(),
      ...(sequence === undefined ? {} : { sequence }),
    });
    // Numbers far above the real decisions', so a real re-check in between changes nothing.
    const high = decision(1000, base, 'AWAITING_CLEARING', 'AWAITING_CLEARING');
    await publishDecision(high);
    expect(await appliedOf(id)).toMatchObject({ decision_id: high.decisionId, decision_sequence: 1000, status: 'AWAITING_CLEARING' });

    // Made before it (lower number) by a replica whose clock runs ten minutes ahead.
    const lowerButLater = decision(999, base + 10 * 60_000, 'ESCALATED', 'RISK_REVIEW');
    await publishDecision(lowerButLater);
    expect(await appliedOf(id)).toMatchObject({ decision_id: high.decisionId, decision_sequence: 1000, status: 'AWAITING_CLEARING' });
    expect(await triagedAuditOf(id)).not.toContain(lowerButLater.decisionId);

    // Made after it (higher number) by a replica whose clock runs ten minutes behind: applied.
    const higherButEarlier = decision(1001, base - 10 * 60_000, 'AWAITING_CLEARING', 'AWAITING_CLEARING');
    await publishDecision(higherButEarlier);
    expect(await appliedOf(id)).toMatchObject({ decision_id: higherButEarlier.decisionId, decision_sequence: 1001 });

    // Rolling upgrade: without a number, the decision time decides, and the last number stays.
    const oldAndEarlier = decision(undefined, base - 20 * 60_000, 'ESCALATED', 'RISK_REVIEW');
    await publishDecision(oldAndEarlier);
    expect(await appliedOf(id)).toMatchObject({ decision_id: higherButEarlier.decisionId, decision_sequence: 1001 });
    const oldAndLater = decision(undefined, base + 20 * 60_000, 'ESCALATED', 'RISK_REVIEW');
    await publishDecision(oldAndLater);
    expect(await appliedOf(id)).toMatchObject({
      decision_id: oldAndLater.decisionId,
      decision_sequence: 1001,
      status: 'ESCALATED',
      reason_code: 'RISK_REVIEW',
    });
    expect((await getIncident(suite, id)).decision).toMatchObject({ decisionId: oldAndLater.decisionId, reasonCode: 'RISK_REVIEW' });
    expect(await triagedAuditOf(id)).toEqual(expect.arrayContaining([high.decisionId, higherButEarlier.decisionId, oldAndLater.decisionId]));
    expect(await triagedAuditOf(id)).not.toContain(oldAndEarlier.decisionId);
  }, 120_000);
});
