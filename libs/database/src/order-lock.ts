import type { EntityManager } from 'typeorm';

/**
 * The per-order lock of reconciliation: a transaction-scoped advisory lock on the order
 * number, held until the transaction ends, across threads and replicas. Triage of an
 * order, an agent's action on it and the ledger events of it are applied under it, so
 * triage never decides on a ledger half-way through an event.
 *
 * Lock order, to keep clear of deadlocks: a transaction takes the order lock before it
 * locks or updates any row of that order (triage_incidents in particular); one that needs
 * several orders takes them sorted (lockOrders); one that already holds rows and wants an
 * order's lock must not wait for it (tryLockOrder).
 */
const key = `hashtext('triage-order:' || $1)`;

export async function lockOrder(m: EntityManager, orderNumber: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(${key})`, [orderNumber]);
}

/** The locks of several orders, in one fixed order (sorted, each once), so two such transactions never wait on each other in a ring. */
export async function lockOrders(m: EntityManager, orderNumbers: Iterable<string>): Promise<void> {
  for (const orderNumber of [...new Set(orderNumbers)].sort()) await lockOrder(m, orderNumber);
}

/** Takes the order's lock if no other transaction holds it; false (and nothing taken) when one does. */
export async function tryLockOrder(m: EntityManager, orderNumber: string): Promise<boolean> {
  const rows: { locked: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock(${key}) AS locked`, [orderNumber]);
  return rows[0]?.locked === true;
}
