import { Upstream, decisionsOf, postReport, reportBody, simOrder, startSuite, waitFor, waitForDecision, waitForMirror, type Suite } from '@pt/testing';
import type pg from 'pg';

/**
 * Ledger events of an order are applied under the order's lock, the one triage decides
 * under; the re-check sweeper never waits for a busy order's lock while holding a row, so
 * it moves on to other orders and never deadlocks with a ledger event making the busy
 * order's incidents due.
 */
describe('the per-order lock', () => {
  let suite: Suite;
  let up: Upstream;

  /** Holds an order's lock in a transaction of the test's own, as a long triage would. */
  const holdOrder = async (orderNumber: string): Promise<pg.PoolClient> => {
    const client = await suite.db.connect();
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('triage-order:' || $1))`, [orderNumber]);
    return client;
  };
  const release = async (client: pg.PoolClient) => {
    await client.query('COMMIT');
    client.release();
  };
  /** Reconciliation's connections waiting for an advisory lock. */
  const waitingForAdvisoryLock = async () =>
    (
      await suite.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'reconciliation%' AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
      )
    ).rows[0].n as number;

  beforeAll(async () => {
    suite = await startSuite('order-lock', ['intake', 'reconciliation'], {
      TRIAGE_RECHECK_SCHEDULE_MINUTES: '0.01',
      TRIAGE_SWEEP_INTERVAL_MS: '200',
    });
    up = new Upstream(suite.publisher);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('applies a ledger event of an order only once the order is free', async () => {
    const o = simOrder('lock-ledger');
    const held = await holdOrder(o.orderNumber);
    try {
      await up.orderPlaced(o);
      await waitFor('the ledger event waiting for the order lock', async () => ((await waitingForAdvisoryLock()) > 0 ? true : undefined));
      // Blocked inside its transaction: nothing of it is visible.
      const { rows } = await suite.db.query(`SELECT 1 FROM reconciliation.ledger_orders WHERE order_number = $1`, [o.orderNumber]);
      expect(rows).toHaveLength(0);
    } finally {
      await release(held);
    }
    await waitForMirror(suite, o.orderNumber, 0);
  }, 60_000);

  it('re-checks other orders while one is held, wakes the held one by its payment once it is free, and never deadlocks', async () => {
    const busy = simOrder('lock-busy', { sku: 'SKU-LOCK-NONE' });
    const free = simOrder('lock-free', { sku: 'SKU-LOCK-NONE' });
    for (const o of [busy, free]) {
      await up.orderPlaced(o);
      await waitForMirror(suite, o.orderNumber, 0);
    }
    const busyId = (await postReport(suite, reportBody(busy))).body.id as string;
    const freeId = (await postReport(suite, reportBody(free))).body.id as string;
    await waitForDecision(suite, busyId, 'AWAITING_CLEARING');
    await waitForDecision(suite, freeId, 'AWAITING_CLEARING');

    const held = await holdOrder(busy.orderNumber);
    try {
      // The busy order is due for a re-check every 0.6 s, but its lock is taken: the sweeper
      // passes over it (it never waits for an order's lock), and re-checks the other.
      const busyBefore = (await decisionsOf(suite, busyId)).length;
      await up.paymentRecorded(free, `PAY-${free.orderNumber}`, 'wechat', free.amountMinor);
      await up.clearing(free, `PAY-${free.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: free.amountMinor });
      await waitForDecision(suite, freeId, 'OUT_OF_STOCK', 60_000);
      expect(await decisionsOf(suite, busyId)).toHaveLength(busyBefore);
    } finally {
      await release(held);
    }
    // Free again: its payment wakes it (the ledger event takes the lock, then makes its row due).
    await up.paymentRecorded(busy, `PAY-${busy.orderNumber}`, 'wechat', busy.amountMinor);
    await up.clearing(busy, `PAY-${busy.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: busy.amountMinor });
    await waitForDecision(suite, busyId, 'OUT_OF_STOCK', 60_000);
    expect(suite.logs().filter((line) => /deadlock detected/i.test(line))).toEqual([]);
  }, 120_000);
});
