import { TOPICS, dlqOf } from '@pt/contracts';
import { projectRoot } from '@pt/dev-stack';
import { Upstream, stableUuid, startSuite, waitFor, type SimOrder, type Suite } from '@pt/testing';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SettlementClient } from './support/settlement-client.js';

/**
 * A feed can't move money between merchants: a clearing event that names another merchant
 * than the one a payment is stored under, or a settlement batch holding another merchant's
 * payment, is dead-lettered as MERCHANT_MISMATCH by every consumer that stores the
 * merchant (settlement and reconciliation's clearing mirror), nothing of it is applied, a
 * redelivery is refused the same way, and the next correct event is applied.
 */
describe('events that would move a payment to another merchant', () => {
  let suite: Suite;
  let upstream: Upstream;
  let client: SettlementClient;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  const cliPath = path.join(projectRoot(), 'dist', 'libs', 'kafka', 'src', 'dlq-cli.js');
  const dlq = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { env: suite.env, encoding: 'utf8', timeout: 120_000 });

  beforeAll(async () => {
    suite = await startSuite('merchant-mismatch', ['settlement', 'reconciliation']);
    upstream = new Upstream(suite.publisher);
    client = new SettlementClient(suite);
    const merchantA = await client.createMerchant('Merchant A');
    const merchantB = await client.createMerchant('Merchant B');
    a = { id: merchantA.id, key: (await client.createKey(merchantA.id)).key };
    b = { id: merchantB.id, key: (await client.createKey(merchantB.id)).key };
  });

  afterAll(async () => {
    await suite?.stop();
  });

  const order = (n: string, merchantId: string): SimOrder => ({
    orderNumber: `MM-${n}-${crypto.randomUUID().slice(0, 8)}`,
    accountId: `acct-${n}`,
    phoneLast4: '1234',
    merchantId,
    sku: 'SKU-MM',
    amountMinor: '700',
    currency: 'CNY',
    placedAt: new Date('2026-11-17T08:00:00Z'),
  });
  const refOf = (o: SimOrder) => `PAY-${o.orderNumber}`;
  const at = (iso: string) => new Date(iso);

  /** The payment as `merchant` sees it through the settlement API: the body, or the status code. */
  const asSeenBy = async (merchant: { key: string }, ref: string) => {
    const res = await client.get(`/v1/payments/${encodeURIComponent(ref)}`, merchant.key);
    return res.status === 200 ? res.body : res.status;
  };
  const waitForPayment = (merchant: { key: string }, ref: string, description: string, matches: (p: any) => boolean) =>
    waitFor(`${ref} ${description}`, async () => {
      const p = await asSeenBy(merchant, ref);
      return typeof p === 'object' && matches(p) ? p : undefined;
    });
  const mirror = async (ref: string) =>
    (await suite.db.query(`SELECT status, version::int AS version, merchant_id FROM reconciliation.clearing_records WHERE payment_reference = $1`, [ref]))
      .rows[0];
  const inboxed = async (eventId: string) =>
    (
      await suite.db.query(
        `SELECT (SELECT count(*)::int FROM settlement.inbox WHERE event_id = $1) + (SELECT count(*)::int FROM reconciliation.inbox WHERE event_id = $1) AS n`,
        [eventId],
      )
    ).rows[0].n;
  /** The dead letters of `topic` with this key, once there are `count` of them. */
  const deadLetters = (topic: string, key: string, count: number) =>
    waitFor(`${count} dead letter(s) of ${key} on ${dlqOf(topic)}`, async () => {
      const list = (await suite.topics.readAll(dlqOf(topic))).filter((m) => m.key === key);
      return list.length === count ? list : undefined;
    });

  it('dead-letters a clearing event that names another merchant, in settlement and in the clearing mirror; a redelivery too', async () => {
    const o = order('clearing', a.id);
    const ref = refOf(o);
    await upstream.clearing(o, ref, 'alipay', 'CLEARING', 1, { at: at('2026-11-17T08:01:00Z') });
    await waitForPayment(a, ref, 'to be CLEARING for merchant A', (p) => p.status === 'CLEARING');
    await waitFor(`${ref} in the clearing mirror`, async () => (await mirror(ref))?.version === 1);

    // Version 2 says the payment is merchant B's.
    const hijack = { ...o, merchantId: b.id };
    await upstream.clearing(hijack, ref, 'alipay', 'CLEARED', 2, { at: at('2026-11-17T09:00:00Z') });
    const dead = await deadLetters(TOPICS.clearingEvents, o.orderNumber, 2);
    expect(dead.map((m) => m.headers['x-dlq-consumer-group']).sort()).toEqual([`${suite.prefix}-reconciliation`, `${suite.prefix}-settlement`]);
    for (const letter of dead) {
      expect(letter.headers['x-dlq-reason']).toBe('MERCHANT_MISMATCH');
      expect(letter.headers['x-dlq-error']).toBe(
        `merchantId: clearing event for payment ${ref} names merchant ${b.id}, but payment ${ref} belongs to merchant ${a.id}`,
      );
      expect(letter.headers['x-dlq-attempts']).toBe('1');
    }

    // Nothing of it was applied: merchant A still sees version 1, merchant B sees nothing.
    expect(await asSeenBy(a, ref)).toMatchObject({ merchantId: a.id, status: 'CLEARING', clearing: { status: 'CLEARING', clearedAt: null } });
    expect(await asSeenBy(b, ref)).toBe(404);
    expect(await mirror(ref)).toEqual({ status: 'CLEARING', version: 1, merchant_id: a.id });
    expect(await inboxed(stableUuid(`${ref}:clearing:2`))).toBe(0);

    // The same event again is refused again, by both groups.
    await upstream.clearing(hijack, ref, 'alipay', 'CLEARED', 2, { at: at('2026-11-17T09:00:00Z') });
    const again = await deadLetters(TOPICS.clearingEvents, o.orderNumber, 4);
    expect(again.every((m) => m.headers['x-dlq-reason'] === 'MERCHANT_MISMATCH')).toBe(true);
    expect(await asSeenBy(b, ref)).toBe(404);

    // The consumers keep moving: merchant A's own next event is applied.
    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 3, { at: at('2026-11-17T09:30:00Z') });
    await waitForPayment(a, ref, 'to be cleared by the correct event', (p) => p.clearing?.status === 'CLEARED');
    await waitFor(`${ref} cleared in the clearing mirror`, async () => (await mirror(ref))?.version === 3);
    expect(await mirror(ref)).toEqual({ status: 'CLEARED', version: 3, merchant_id: a.id });
    expect(await asSeenBy(b, ref)).toBe(404);

    const metrics = await (await fetch(`${suite.url('settlement')}/metrics`)).text();
    expect(metrics).toMatch(/kafka_messages_dead_lettered_total\{[^}]*reason="MERCHANT_MISMATCH"[^}]*\} 2\b/);
  }, 180_000);

  it('dead-letters a batch mixing two merchants, applying none of it; the next correct batch is applied', async () => {
    const oa = order('batch-a', a.id);
    const ob = order('batch-b', b.id);
    const refA = refOf(oa);
    const refB = refOf(ob);
    await upstream.clearing(oa, refA, 'alipay', 'CLEARED', 1, { at: at('2026-11-17T09:00:00Z') });
    await upstream.clearing(ob, refB, 'alipay', 'CLEARED', 1, { at: at('2026-11-17T09:00:00Z') });
    await waitForPayment(a, refA, 'to be cleared', (p) => p.clearing?.status === 'CLEARED');
    await waitForPayment(b, refB, 'to be cleared', (p) => p.clearing?.status === 'CLEARED');

    // Merchant B's batch also pays out merchant A's payment.
    const mixed = `BM-${ob.orderNumber}`;
    await upstream.settlementBatchPaid({
      batchId: mixed,
      merchantId: b.id,
      payments: [
        { paymentReference: refB, amountMinor: '700' },
        { paymentReference: refA, amountMinor: '700' },
      ],
      currency: 'CNY',
      paidAt: at('2026-11-18T02:00:00Z'),
    });
    const [dead] = await deadLetters(TOPICS.settlementEvents, mixed, 1);
    expect(dead.headers['x-dlq-reason']).toBe('MERCHANT_MISMATCH');
    expect(dead.headers['x-dlq-consumer-group']).toBe(`${suite.prefix}-settlement`);
    expect(dead.headers['x-dlq-error']).toBe(`merchantId: settlement batch ${mixed} names merchant ${b.id}, but payment ${refA} belongs to merchant ${a.id}`);
    expect(await inboxed(stableUuid(`${mixed}:paid`))).toBe(0);
    // All or nothing: not even merchant B's own payment was paid out by it.
    expect(await asSeenBy(b, refB)).toMatchObject({ status: 'CLEARING', settlement: null });
    expect(await asSeenBy(a, refA)).toMatchObject({ merchantId: a.id, status: 'CLEARING', settlement: null });
    expect(await asSeenBy(b, refA)).toBe(404);

    // `npm run dlq -- list` shows the reason and the error.
    const list = dlq('list', '--topic', TOPICS.settlementEvents, '--reason', 'MERCHANT_MISMATCH');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`^settlement\\.events\\.v1:\\d+:\\d+ .* MERCHANT_MISMATCH  attempts 1  group ${suite.prefix}-settlement  key ${mixed} `, 'm'),
    );
    expect(list.stdout).toContain(`payment ${refA} belongs to merchant ${a.id}`);

    // The consumer keeps moving: merchant B's correct batch is applied.
    const good = `BG-${ob.orderNumber}`;
    await upstream.settlementBatchPaid({
      batchId: good,
      merchantId: b.id,
      payments: [{ paymentReference: refB, amountMinor: '700' }],
      currency: 'CNY',
      paidAt: at('2026-11-18T03:00:00Z'),
    });
    const settled = await waitForPayment(b, refB, 'to be SETTLED by the correct batch', (p) => p.status === 'SETTLED');
    expect(settled.settlement).toMatchObject({ batchId: good });
    expect(await asSeenBy(a, refA)).toMatchObject({ status: 'CLEARING', settlement: null });
  }, 180_000);
});
