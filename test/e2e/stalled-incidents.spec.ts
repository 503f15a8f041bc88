import { TOPICS } from '@pt/contracts';
import {
  Upstream,
  agentToken,
  decisionsOf,
  getIncident,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  waitFor,
  waitForCaughtUp,
  waitForDecision,
  type SimOrder,
  type Suite,
} from '@pt/testing';

/**
 * Incidents no triage decision reaches (reconciliation stopped) are escalated by intake
 * as TRIAGE_STALLED after INCIDENT_STUCK_AFTER_MINUTES, once, whichever of two intake
 * replicas sweeps them. A real decision arriving later replaces the stall escalation
 * unless a person took the incident over; then it is only written to the timeline.
 */
describe('incidents stuck before triage', () => {
  let suite: Suite;
  let up: Upstream;
  let agent: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${suite.url('intake')}${path}`, {
      method,
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const auditOf = async (id: string, action: string) =>
    (await suite.db.query(`SELECT * FROM intake.audit_log WHERE incident_id = $1 AND action = $2`, [id, action])).rows as Record<string, any>[];
  const deliveredOrder = async (label: string): Promise<SimOrder> => {
    const o = simOrder(label, { sku: 'SKU-STALL' });
    await up.orderPlaced(o);
    await up.paymentRecorded(o, `PAY-${o.orderNumber}`, 'wechat', o.amountMinor);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: o.amountMinor });
    await up.delivered(o, `SHOP-KEY-${o.orderNumber}`);
    return o;
  };

  beforeAll(async () => {
    suite = await startSuite('stalled-incidents', ['intake', 'reconciliation'], {
      INCIDENT_STUCK_AFTER_MINUTES: '0.05',
      INCIDENT_STUCK_SWEEP_INTERVAL_MS: '200',
    });
    up = new Upstream(suite.publisher);
    // A second intake replica sweeps the same rows.
    await suite.startInstance('intake');
    agent = await agentToken(suite, 'agent', 'stall-agent');
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('escalates TRIAGE_STALLED once while reconciliation is down; the late decision replaces it unless an agent took over', async () => {
    const orders = [await deliveredOrder('stall-free'), await deliveredOrder('stall-claimed'), await deliveredOrder('stall-third')];
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    await suite.services.reconciliation!.stop('SIGTERM');

    const ids: string[] = [];
    for (const o of orders) {
      const created = await postReport(suite, reportBody(o));
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    expect((await getIncident(suite, ids[0])).status).toBe('RECEIVED');

    for (const id of ids) {
      const stalled = await waitFor(`incident ${id} escalated as stalled`, async () => {
        const incident = await getIncident(suite, id);
        return incident.status === 'ESCALATED' ? incident : undefined;
      });
      expect(stalled.decision).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'TRIAGE_STALLED', decisionId: null });
      expect(stalled.decision.explanation).toContain('No triage decision arrived for the report within 0.05 minutes');
      expect(stalled.priority).toBe('P2');
    }
    // Still exactly one stall entry each after more sweeps of both replicas.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const id of ids) {
      const entries = await auditOf(id, 'TRIAGE_STALLED');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor_type: 'SYSTEM', status_before: 'RECEIVED', status_after: 'ESCALATED' });
    }
    // The stalled incident is in the agents' queue like any escalated one, and can be claimed.
    const queue = await call('GET', '/v1/incidents?reasonCode=TRIAGE_STALLED');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(ids));
    expect((await call('POST', `/v1/incidents/${ids[1]}/claim`, {})).body).toMatchObject({ status: 'IN_PROGRESS' });

    // Reconciliation comes back and triages the reports it missed.
    await suite.restart('reconciliation');
    const resolved = await waitFor(`incident ${ids[0]} resolved by the late decision`, async () => {
      const incident = await getIncident(suite, ids[0]);
      return incident.status === 'AUTO_RESOLVED' ? incident : undefined;
    });
    expect(resolved.decision).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'ALREADY_DELIVERED', decisionId: expect.any(String) });
    expect(await auditOf(ids[0], 'TRIAGED')).toHaveLength(1);

    // The claimed one stays with its agent; the decision is in its timeline.
    const late = await waitFor(`the late decision in ${ids[1]}'s timeline`, async () => {
      const entries = await auditOf(ids[1], 'TRIAGED_LATE');
      return entries.length > 0 ? entries : undefined;
    });
    expect(late).toHaveLength(1);
    expect(late[0].after).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'ALREADY_DELIVERED' });
    const claimed = await getIncident(suite, ids[1]);
    expect(claimed.status).toBe('IN_PROGRESS');
    expect(claimed.decision.reasonCode).toBe('TRIAGE_STALLED');
    expect(await auditOf(ids[1], 'TRIAGED')).toHaveLength(0);
    const timeline = await call('GET', `/v1/incidents/${ids[1]}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain('TRIAGED_LATE');
  }, 180_000);

  it("answers an agent's re-check of an incident whose report reconciliation never got: REPORT_NOT_RECEIVED, with the order's facts", async () => {
    const o = simOrder('never-seen', { sku: 'SKU-STALL' });
    await up.orderPlaced(o);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents]);
    await suite.services.reconciliation!.stop('SIGTERM');
    const id = (await postReport(suite, reportBody(o))).body.id as string;
    // The report is lost to reconciliation: its inbox already counts it as processed.
    const reported = await waitFor('the report on its topic', async () =>
      (await suite.topics.envelopes<{ incidentId: string }>(TOPICS.incidentReported)).find((e) => e.payload.incidentId === id),
    );
    await suite.db.query(`INSERT INTO reconciliation.inbox (consumer, event_id, topic) VALUES ('reconciliation.incident-reported', $1, $2)`, [
      reported.eventId,
      TOPICS.incidentReported,
    ]);
    await suite.restart('reconciliation');
    await waitFor(`incident ${id} escalated as stalled`, async () => ((await getIncident(suite, id)).status === 'ESCALATED' ? true : undefined));

    const recheck = await call('POST', `/v1/incidents/${id}/recheck`, { reason: 'triage never answered' });
    expect(recheck.body).toMatchObject({ status: 'TRIAGING' });
    const answered = await waitForDecision(suite, id, 'REPORT_NOT_RECEIVED');
    expect(answered.status).toBe('ESCALATED');
    expect(answered.decision.explanation).toContain('Triage never received this report');
    const decisions = await decisionsOf(suite, id);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'REPORT_NOT_RECEIVED', issuanceId: null, sequence: 1 });
    expect(decisions[0].evidence.report).toBeNull();
    expect(decisions[0].evidence.order).toMatchObject({ orderNumber: o.orderNumber, accountId: o.accountId });
    const { rows } = await suite.db.query(`SELECT 1 FROM reconciliation.triage_incidents WHERE incident_id = $1`, [id]);
    expect(rows).toHaveLength(0);
  }, 120_000);
});
