import { TOPICS } from '@pt/contracts';
import {
  Upstream,
  importCardKeys,
  markedSecrets,
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

/** At most one issuance per order line and cause, whatever the reports, retries and replicas. */
describe('re-issue exactly once under concurrency', () => {
  let suite: Suite;
  let up: Upstream;

  beforeAll(async () => {
    suite = await startSuite('exactly-once', ['intake', 'reconciliation'], { TRIAGE_VELOCITY_LIMIT: '1000', DB_POOL_SIZE: '10' });
    up = new Upstream(suite.publisher);
    const keys = markedSecrets('once', 260).map((secret) => ({ sku: 'SKU-ONCE', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(260);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('50 identical reports sent at once give one incident and one issuance', async () => {
    const o = simOrder('fifty', { sku: 'SKU-ONCE' });
    await up.orderPlaced(o);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const answers = await Promise.all(Array.from({ length: 50 }, () => postReport(suite, reportBody(o))));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(answers.filter((a) => a.status >= 300).map((a) => a.body)).toEqual([]);
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(49);
    await waitForDecision(suite, [...ids][0], 'REISSUED');
    const { rows } = await suite.db.query(
      `SELECT (SELECT count(*) FROM intake.incidents WHERE order_number = $1)::int AS incidents,
              (SELECT count(*) FROM reconciliation.issuances WHERE order_number = $1)::int AS issuances`,
      [o.orderNumber],
    );
    expect(rows[0]).toEqual({ incidents: 1, issuances: 1 });
  });

  it('two reconciliation replicas in one consumer group issue exactly once for each of 200 orders', async () => {
    const second = await suite.startInstance('reconciliation');
    const orders: SimOrder[] = [];
    for (let i = 0; i < 200; i += 1) orders.push(simOrder(`burst${i}`, { sku: 'SKU-ONCE', accountId: `acct-burst-${i}` }));
    // 180 orders cleared with a lost callback; 20 still clearing, cleared later while both replicas run.
    for (const [i, o] of orders.entries()) {
      await up.orderPlaced(o);
      await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', i < 180 ? 'CLEARED' : 'CLEARING', 1, { at: new Date() });
    }
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents], 60_000);

    const ids: string[] = [];
    for (let i = 0; i < orders.length; i += 25) {
      const batch = await Promise.all(orders.slice(i, i + 25).map((o) => postReport(suite, reportBody(o))));
      for (const answer of batch) {
        expect(answer.status).toBe(201);
        ids.push(answer.body.id);
      }
    }
    await waitFor('the 20 clearing incidents to wait', async () => {
      const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.incidents WHERE status = 'AWAITING_CLEARING' AND order_number = ANY($1)`, [
        orders.slice(180).map((o) => o.orderNumber),
      ]);
      return rows[0].n === 20;
    });
    for (const o of orders.slice(180)) await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 2, { at: new Date() });

    await waitFor(
      'all 200 incidents re-issued',
      async () => {
        const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.incidents WHERE id = ANY($1::uuid[]) AND reason_code = 'REISSUED'`, [ids]);
        return rows[0].n === 200;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    const numbers = orders.map((o) => o.orderNumber);
    const { rows } = await suite.db.query(
      `SELECT count(*)::int AS issuances, count(DISTINCT card_key_id)::int AS keys, count(DISTINCT order_number)::int AS orders
         FROM reconciliation.issuances WHERE order_number = ANY($1)`,
      [numbers],
    );
    expect(rows[0]).toEqual({ issuances: 200, keys: 200, orders: 200 });
    const reissuedDecisions = await suite.db.query(
      `SELECT incident_id FROM reconciliation.decisions WHERE order_number = ANY($1) AND reason_code = 'REISSUED' GROUP BY incident_id HAVING count(*) > 1`,
      [numbers],
    );
    expect(reissuedDecisions.rows).toEqual([]);
    const allocated = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.card_keys WHERE order_number = ANY($1) AND status = 'ALLOCATED'`, [
      numbers,
    ]);
    expect(allocated.rows[0].n).toBe(200);

    // Both replicas did part of the work.
    for (const instance of [suite.services.reconciliation!, second]) {
      const metrics = await (await fetch(`${instance.url}/metrics`)).text();
      expect(metrics).toMatch(/triage_outcomes_total\{[^}]*reason="REISSUED"[^}]*\} [1-9]/);
    }
  }, 240_000);
});
