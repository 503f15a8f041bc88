import type { EntityManager } from 'typeorm';
import { lockOrder, lockOrders, tryLockOrder } from './order-lock.js';

/** A manager that records each statement and its parameters, and answers `answer`. */
function recordingManager(answer: unknown[] = []) {
  const calls: { sql: string; params: unknown[] }[] = [];
  const m = {
    query: (sql: string, params: unknown[] = []) => {
      calls.push({ sql, params });
      return Promise.resolve(answer);
    },
  } as unknown as EntityManager;
  return { m, calls };
}

describe('the per-order lock', () => {
  it('is the transaction-scoped advisory lock on the order number', async () => {
    const { m, calls } = recordingManager();
    await lockOrder(m, 'O-1');
    expect(calls).toEqual([{ sql: `SELECT pg_advisory_xact_lock(hashtext('triage-order:' || $1))`, params: ['O-1'] }]);
  });

  it('takes several orders sorted and each once, whatever order they are given in', async () => {
    const { m, calls } = recordingManager();
    await lockOrders(m, ['O-3', 'O-1', 'O-3', 'O-2']);
    expect(calls.map((c) => c.params[0])).toEqual(['O-1', 'O-2', 'O-3']);
    await lockOrders(recordingManager().m, []);
  });

  it('tries without waiting and says whether it got the lock', async () => {
    const got = recordingManager([{ locked: true }]);
    expect(await tryLockOrder(got.m, 'O-1')).toBe(true);
    expect(got.calls[0].sql).toBe(`SELECT pg_try_advisory_xact_lock(hashtext('triage-order:' || $1)) AS locked`);
    expect(await tryLockOrder(recordingManager([{ locked: false }]).m, 'O-1')).toBe(false);
  });
});
