import { CLEARING_EVENT_TYPE, SETTLEMENT_EVENT_TYPES, TOPICS, type ClearingStatus } from '@pt/contracts';
import { Upstream, stableUuid, type SimOrder } from '@pt/upstream';
import {
  Prng,
  ReportSender,
  importCardKeys,
  markedSecrets,
  startSuite,
  waitForCaughtUp,
  waitForDecided,
  waitForInvariants,
  waitForMirrored,
  type PlannedOrder,
  type Suite,
} from '@pt/testing';

interface FeedEvent {
  type: string;
  key: string;
  payload: Record<string, unknown>;
  eventId: string;
}

const MERCHANT = '3f0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f';

/**
 * The clearing and settlement feeds of `count` payments, with histories of every shape:
 * cleared and paid out, failed, cleared then reversed, cleared with a failed batch later
 * paid by another. `set` goes into every reference, so two sets never share a row.
 */
function feeds(set: string, count: number, rng: Prng, base: number): FeedEvent[] {
  const events: FeedEvent[] = [];
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const clearing = (i: number, status: ClearingStatus, version: number, minutes: number, extra: Record<string, unknown> = {}) => {
    const order = `R-${set}-${i}`;
    events.push({
      type: CLEARING_EVENT_TYPE,
      key: order,
      eventId: stableUuid(`${set}:${i}:clearing:${version}`),
      payload: {
        paymentReference: `PAY-${order}`,
        orderNumber: order,
        channel: i % 2 ? 'alipay' : 'wechat',
        status,
        amountMinor: String(1000 + i),
        currency: 'CNY',
        version,
        statusAt: at(minutes),
        merchantId: MERCHANT,
        ...extra,
      },
    });
  };
  const paid: number[] = [];
  const failedThenPaid: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const shape = rng.pick(['paid', 'failed', 'reversed', 'failed-batch'] as const);
    clearing(i, 'CLEARING', 1, i);
    if (shape === 'failed') clearing(i, 'FAILED', 2, i + 30, { failureCode: 'INSUFFICIENT_FUNDS' });
    else clearing(i, 'CLEARED', 2, i + 30);
    if (shape === 'reversed') clearing(i, 'REVERSED', 3, i + 90);
    if (shape === 'paid') paid.push(i);
    if (shape === 'failed-batch') failedThenPaid.push(i);
  }
  const batch = (id: string, members: number[], failed: boolean, minutes: number) => {
    const payments = members.map((i) => ({ paymentReference: `PAY-R-${set}-${i}`, amountMinor: String(1000 + i) }));
    const payload = failed
      ? { batchId: id, merchantId: MERCHANT, payments, failureCode: 'MERCHANT_ACCOUNT_FROZEN', failedAt: at(minutes) }
      : {
          batchId: id,
          merchantId: MERCHANT,
          payments,
          amountMinor: payments.reduce((sum, p) => sum + BigInt(p.amountMinor), 0n).toString(),
          feeMinor: '0',
          currency: 'CNY',
          destinationAccountMasked: '****6789',
          paidAt: at(minutes),
        };
    events.push({
      type: failed ? SETTLEMENT_EVENT_TYPES.batchFailed : SETTLEMENT_EVENT_TYPES.batchPaid,
      key: id,
      eventId: stableUuid(`${set}:${id}`),
      payload,
    });
  };
  for (let b = 0; b * 5 < paid.length; b += 1) batch(`B-${set}-paid-${b}`, paid.slice(b * 5, b * 5 + 5), false, 1440 + b);
  for (let b = 0; b * 5 < failedThenPaid.length; b += 1) {
    batch(`B-${set}-failed-${b}`, failedThenPaid.slice(b * 5, b * 5 + 5), true, 1440 + b);
    batch(`B-${set}-retry-${b}`, failedThenPaid.slice(b * 5, b * 5 + 5), false, 2880 + b);
  }
  return events;
}

/** A set's rows with its name taken out, sorted, so two sets compare equal when they ended alike. */
async function finalState(suite: Suite, set: string): Promise<{ clearing: unknown[]; settlement: unknown[] }> {
  const normalise = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) => JSON.parse(JSON.stringify(r).replaceAll(`-${set}-`, '-SET-')) as Record<string, unknown>)
      .sort((a, b) => String(a.ref).localeCompare(String(b.ref)));
  const clearing = await suite.db.query(
    `SELECT payment_reference AS ref, order_number, channel, status, failure_code, amount_minor::text, currency, version::text, status_at, merchant_id
       FROM reconciliation.clearing_records WHERE order_number LIKE $1`,
    [`R-${set}-%`],
  );
  const settlement = await suite.db.query(
    `SELECT payment_reference AS ref, order_number, merchant_id, channel, clearing_status, failure_code, amount_minor::text, currency,
            clearing_version::text, clearing_status_at, cleared_at, first_seen_at, batch_id, batch_outcome, batch_failure_code,
            batch_event_at, destination_account_masked, status
       FROM settlement.payments WHERE payment_reference LIKE $1`,
    [`PAY-R-${set}-%`],
  );
  return { clearing: normalise(clearing.rows), settlement: normalise(settlement.rows) };
}

/** The shop's side of a set: each payment's order, on an account of its own. */
function ordersOf(set: string, count: number, base: number): PlannedOrder[] {
  return Array.from({ length: count }, (_, i) => {
    const order: SimOrder = {
      orderNumber: `R-${set}-${i}`,
      accountId: `acct-R-${set}-${i}`,
      phoneLast4: '4321',
      merchantId: MERCHANT,
      sku: 'SKU-REPLAY',
      amountMinor: String(1000 + i),
      currency: 'CNY',
      placedAt: new Date(base + (i - 1) * 60_000),
    };
    // The kind only matters to helpers that predict outcomes; here the two sets are compared.
    return { scenario: 'lost-callback', order, paymentReference: `PAY-${order.orderNumber}` };
  });
}

/** Each order's triage outcome, with the set's name taken out. */
async function outcomes(suite: Suite, set: string): Promise<Record<string, string>> {
  const { rows } = await suite.db.query<{ order_number: string; reason_code: string }>(
    `SELECT order_number, reason_code FROM intake.incidents WHERE order_number LIKE $1`,
    [`R-${set}-%`],
  );
  return Object.fromEntries(rows.map((r) => [r.order_number.replace(`-${set}-`, '-SET-'), r.reason_code]));
}

/**
 * The clearing and settlement feeds delivered three times over and shuffled end in the
 * same state, in reconciliation's clearing mirror and in settlement's payment statuses,
 * as the same feeds delivered once in order; and reports about those payments, triaged
 * while the feeds are replayed once more, end as the reports about the ordered set.
 */
describe('clearing and settlement events replayed and shuffled', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite('replay', ['intake', 'reconciliation', 'settlement'], { TRIAGE_VELOCITY_LIMIT: '1000' });
    const keys = markedSecrets('replay', 200).map((secret) => ({ sku: 'SKU-REPLAY', secret }));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(200);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('three shuffled deliveries end where one ordered delivery does', async () => {
    const base = Date.now() - 3 * 86_400_000;
    const ordered = feeds('ordered', 80, new Prng(6006), base);
    const replayed = feeds('replayed', 80, new Prng(6006), base);
    expect(replayed.length).toBe(ordered.length);
    const orders = [...ordersOf('ordered', 80, base), ...ordersOf('replayed', 80, base)];
    const up = new Upstream(suite.publisher);
    for (const p of orders) await up.orderPlaced(p.order);
    await waitForMirrored(suite.db, orders);

    for (const e of ordered) await suite.publisher.publish(e.type, e.key, e.payload, { eventId: e.eventId });
    const shuffled = new Prng(6007).shuffle([...replayed, ...replayed, ...replayed]);
    for (const e of shuffled) await suite.publisher.publish(e.type, e.key, e.payload, { eventId: e.eventId });

    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.clearingEvents], 90_000);
    await waitForCaughtUp(suite, 'settlement', [TOPICS.clearingEvents, TOPICS.settlementEvents], 90_000);

    const expected = await finalState(suite, 'ordered');
    const actual = await finalState(suite, 'replayed');
    expect(expected.clearing).toHaveLength(80);
    expect(expected.settlement).toHaveLength(80);
    expect(actual.clearing).toEqual(expected.clearing);
    expect(actual.settlement).toEqual(expected.settlement);
    // The ordered run itself ended as the histories say: no payment stuck at an earlier step.
    const statuses = new Set((expected.settlement as { status: string }[]).map((r) => r.status));
    expect([...statuses].sort()).toEqual(['FAILED', 'REVERSED', 'SETTLED']);

    // Buyers of both sets complain while the replayed feed arrives three times more.
    const sender = new ReportSender(() => suite.url('intake'), suite.channelKey);
    const again = new Prng(6008).shuffle([...replayed, ...replayed, ...replayed]);
    await Promise.all([
      sender.sendAll(orders, 6),
      (async () => {
        for (const e of again) await suite.publisher.publish(e.type, e.key, e.payload, { eventId: e.eventId });
      })(),
    ]);
    expect(sender.acknowledged.size).toBe(orders.length);
    await waitForDecided(suite.db, sender, 120_000);
    const expectedOutcomes = await outcomes(suite, 'ordered');
    expect(Object.keys(expectedOutcomes)).toHaveLength(80);
    expect(await outcomes(suite, 'replayed')).toEqual(expectedOutcomes);
    // Cleared and kept: re-issued; failed: nothing owed; reversed: escalated.
    expect([...new Set(Object.values(expectedOutcomes))].sort()).toEqual(['CLEARING_FAILED', 'PAYMENT_REVERSED', 'REISSUED']);
    await waitForInvariants(suite.db);
  }, 240_000);
});
