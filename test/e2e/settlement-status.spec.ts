import { SETTLEMENT_EVENT_TYPES, TOPICS, dlqOf } from '@pt/contracts';
import { Upstream, stableUuid, startSuite, waitFor, type SimOrder, type Suite } from '@pt/testing';
import { SettlementClient } from './support/settlement-client.js';

const NATIONAL_DAY_2026 = '2026-10-01,2026-10-02,2026-10-03,2026-10-04,2026-10-05,2026-10-06,2026-10-07';

/**
 * The merchant-facing status of a payment, fed by clearing.events.v1 and
 * settlement.events.v1 through the real broker, read through the merchant API.
 */
describe('settlement status of a payment, from both feeds', () => {
  let suite: Suite;
  let upstream: Upstream;
  let client: SettlementClient;
  let merchant: { id: string; name: string };
  let key: string;

  beforeAll(async () => {
    suite = await startSuite('settlement-status', ['settlement'], {
      SETTLEMENT_HOLIDAYS: NATIONAL_DAY_2026,
      SETTLEMENT_DAYS_BY_CHANNEL: 'alipay:1,wechat:1,unionpay:2,default:1',
    });
    upstream = new Upstream(suite.publisher);
    client = new SettlementClient(suite);
    merchant = await client.createMerchant('Status Test Merchant');
    key = (await client.createKey(merchant.id)).key;
  });

  afterAll(async () => {
    await suite?.stop();
  });

  const order = (n: string, amountMinor = '600'): SimOrder => ({
    orderNumber: `ST-${n}-${crypto.randomUUID().slice(0, 8)}`,
    accountId: `acct-${n}`,
    phoneLast4: '1234',
    merchantId: merchant.id,
    sku: 'SKU-ST',
    amountMinor,
    currency: 'CNY',
    placedAt: new Date('2026-11-17T08:00:00Z'),
  });
  const refOf = (o: SimOrder) => `PAY-${o.orderNumber}`;
  const at = (iso: string) => new Date(iso);

  const payment = async (ref: string) => {
    const res = await client.get(`/v1/payments/${encodeURIComponent(ref)}`, key);
    return res.status === 200 ? res.body : undefined;
  };

  /** Waits until the payment matches; returns it checked against the OpenAPI schema. */
  const waitForPayment = async (ref: string, description: string, matches: (p: any) => boolean) => {
    const found = await waitFor(`${ref} ${description}`, async () => {
      const p = await payment(ref);
      return p && matches(p) ? p : undefined;
    });
    await client.expectSchema('Payment', found);
    return found;
  };

  /** Waits until settlement has consumed these events (their ids are in its inbox). */
  const waitConsumed = (eventIds: string[]) =>
    waitFor(`settlement to consume ${eventIds.length} event(s)`, async () => {
      const { rows } = await suite.db.query(`SELECT count(DISTINCT event_id)::int AS n FROM settlement.inbox WHERE event_id = ANY($1::uuid[])`, [eventIds]);
      return rows[0].n === eventIds.length;
    });

  it('clearing → cleared → settled', async () => {
    const o = order('settled');
    const ref = refOf(o);
    await upstream.clearing(o, ref, 'alipay', 'CLEARING', 1, { at: at('2026-11-17T08:01:00Z') });
    const clearing = await waitForPayment(ref, 'to be CLEARING', (p) => p.status === 'CLEARING');
    expect(clearing).toMatchObject({
      paymentReference: ref,
      orderNumber: o.orderNumber,
      merchantId: merchant.id,
      channel: 'alipay',
      amountMinor: '600',
      currency: 'CNY',
      clearing: { status: 'CLEARING', clearedAt: null },
      expectedSettlementDate: '2026-11-18',
      settlement: null,
      failure: null,
    });

    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 2, { at: at('2026-11-20T09:00:00Z') });
    const cleared = await waitForPayment(ref, 'to be cleared', (p) => p.clearing?.status === 'CLEARED');
    // Cleared on a Friday, T+1: the following Monday.
    expect(cleared).toMatchObject({ status: 'CLEARING', clearing: { clearedAt: '2026-11-20T09:00:00.000Z' }, expectedSettlementDate: '2026-11-23' });

    await upstream.settlementBatchPaid({
      batchId: `B-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      currency: 'CNY',
      feeMinor: '4',
      destinationAccountMasked: '****4321',
      paidAt: at('2026-11-23T02:00:00Z'),
    });
    const settled = await waitForPayment(ref, 'to be SETTLED', (p) => p.status === 'SETTLED');
    expect(settled).toMatchObject({
      settlement: { batchId: `B-${o.orderNumber}`, settledAt: '2026-11-23T02:00:00.000Z', destinationAccountMasked: '****4321' },
      expectedSettlementDate: null,
      failure: null,
    });
  });

  it('clearing → failed, with the reason in plain language and the remedy', async () => {
    const o = order('clearfail');
    const ref = refOf(o);
    await upstream.clearing(o, ref, 'wechat', 'CLEARING', 1, { at: at('2026-11-17T08:01:00Z') });
    await upstream.clearing(o, ref, 'wechat', 'FAILED', 2, { at: at('2026-11-17T08:05:00Z'), failureCode: 'CARD_DECLINED' });
    const failed = await waitForPayment(ref, 'to be FAILED', (p) => p.status === 'FAILED');
    expect(failed.failure).toEqual({
      code: 'CARD_DECLINED',
      source: 'CLEARING',
      explanation: "the buyer's bank declined the payment",
      remedy: expect.stringContaining('the buyer has to pay again'),
    });
    expect(failed.expectedSettlementDate).toBeNull();
  });

  it('a failed payout of a cleared payment is FAILED with the batch code; a later payout settles it', async () => {
    const o = order('payoutfail');
    const ref = refOf(o);
    await upstream.clearing(o, ref, 'unionpay', 'CLEARED', 1, { at: at('2026-11-17T09:00:00Z') });
    await waitForPayment(ref, 'to be cleared', (p) => p.clearing?.status === 'CLEARED');
    await upstream.settlementBatchFailed({
      batchId: `BF-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      failureCode: 'MERCHANT_ACCOUNT_INVALID',
      failedAt: at('2026-11-19T02:00:00Z'),
    });
    const failed = await waitForPayment(ref, 'to be FAILED', (p) => p.status === 'FAILED');
    expect(failed.failure).toEqual({
      code: 'MERCHANT_ACCOUNT_INVALID',
      source: 'SETTLEMENT',
      explanation: expect.stringContaining('the bank account on file was rejected'),
      remedy: expect.stringContaining('update the bank account in the merchant portal'),
    });
    await upstream.settlementBatchPaid({
      batchId: `BR-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      currency: 'CNY',
      paidAt: at('2026-11-20T02:00:00Z'),
    });
    const settled = await waitForPayment(ref, 'to be SETTLED by the retried batch', (p) => p.status === 'SETTLED');
    expect(settled.settlement.batchId).toBe(`BR-${o.orderNumber}`);
  });

  it('settled, then reversed: REVERSED, keeping the payout it undid', async () => {
    const o = order('reversed');
    const ref = refOf(o);
    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 1, { at: at('2026-11-17T09:00:00Z') });
    await upstream.settlementBatchPaid({
      batchId: `B-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      currency: 'CNY',
      paidAt: at('2026-11-18T02:00:00Z'),
    });
    await waitForPayment(ref, 'to be SETTLED', (p) => p.status === 'SETTLED');
    await upstream.clearing(o, ref, 'alipay', 'REVERSED', 2, { at: at('2026-11-25T10:00:00Z') });
    const reversed = await waitForPayment(ref, 'to be REVERSED', (p) => p.status === 'REVERSED');
    expect(reversed).toMatchObject({ reversedAt: '2026-11-25T10:00:00.000Z', settlement: { batchId: `B-${o.orderNumber}` }, failure: null });
  });

  it('an older batch event delivered late never overwrites a newer one', async () => {
    const o = order('latebatch');
    const ref = refOf(o);
    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 1, { at: at('2026-11-17T09:00:00Z') });
    await upstream.settlementBatchPaid({
      batchId: `BP-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      currency: 'CNY',
      paidAt: at('2026-11-19T02:00:00Z'),
    });
    await waitForPayment(ref, 'to be SETTLED', (p) => p.status === 'SETTLED');
    // A failure of an earlier attempt, delivered after the payout.
    await upstream.settlementBatchFailed({
      batchId: `BF-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      failureCode: 'BANK_REJECTED',
      failedAt: at('2026-11-18T02:00:00Z'),
    });
    await waitConsumed([stableUuid(`BF-${o.orderNumber}:failed`)]);
    const after = await payment(ref);
    expect(after).toMatchObject({ status: 'SETTLED', failure: null, settlement: { batchId: `BP-${o.orderNumber}` } });
  });

  it('a late clearing CLEARED does not undo SETTLED, and an older clearing version changes nothing', async () => {
    const o = order('lateclear');
    const ref = refOf(o);
    // The payout is announced before the clearing feed has said anything.
    await upstream.settlementBatchPaid({
      batchId: `B-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      currency: 'CNY',
      paidAt: at('2026-11-19T02:00:00Z'),
    });
    const early = await waitForPayment(ref, 'to be SETTLED before any clearing event', (p) => p.status === 'SETTLED');
    expect(early).toMatchObject({ orderNumber: null, channel: null, clearing: null, firstSeenAt: '2026-11-19T02:00:00.000Z' });

    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 2, { at: at('2026-11-18T09:00:00Z') });
    await upstream.clearing(o, ref, 'alipay', 'CLEARING', 1, { at: at('2026-11-17T08:01:00Z') });
    await waitConsumed([stableUuid(`${ref}:clearing:1`), stableUuid(`${ref}:clearing:2`)]);
    const after = await payment(ref);
    expect(after).toMatchObject({
      status: 'SETTLED',
      orderNumber: o.orderNumber,
      channel: 'alipay',
      clearing: { status: 'CLEARED', statusAt: '2026-11-18T09:00:00.000Z' },
      // The earliest event seen moves the first sighting back.
      firstSeenAt: '2026-11-17T08:01:00.000Z',
      settlement: { batchId: `B-${o.orderNumber}` },
    });
  });

  it('an event delivered twice is applied once', async () => {
    const o = order('twice');
    const ref = refOf(o);
    const eventId = crypto.randomUUID();
    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 1, { at: at('2026-11-17T09:00:00Z') });
    const batch = {
      batchId: `B-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [{ paymentReference: ref, amountMinor: '600' }],
      currency: 'CNY',
      paidAt: at('2026-11-18T02:00:00Z'),
    };
    await upstream.settlementBatchPaid(batch, { eventId });
    await upstream.settlementBatchPaid(batch, { eventId });
    await waitForPayment(ref, 'to be SETTLED', (p) => p.status === 'SETTLED');
    await waitFor('the second copy to be seen as a duplicate', async () => {
      const metrics = await (await fetch(`${suite.url('settlement')}/metrics`)).text();
      return /kafka_messages_consumed_total\{[^}]*topic="settlement\.events\.v1"[^}]*outcome="duplicate"[^}]*\} [1-9]/.test(metrics);
    });
    const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM settlement.inbox WHERE event_id = $1`, [eventId]);
    expect(rows[0].n).toBe(1);
    expect((await payment(ref)).settlement.batchId).toBe(batch.batchId);
  });

  it('expects a payment cleared the day before National Day after the holiday week', async () => {
    const viaUnionPay = order('holiday-up');
    const viaAlipay = order('holiday-ali');
    await upstream.clearing(viaUnionPay, refOf(viaUnionPay), 'unionpay', 'CLEARED', 1, { at: at('2026-09-30T09:00:00Z') });
    await upstream.clearing(viaAlipay, refOf(viaAlipay), 'alipay', 'CLEARED', 1, { at: at('2026-09-30T09:00:00Z') });
    // T+2 and T+1 business days: 1–7 October are holidays, so Friday 9 and Thursday 8 October.
    const up = await waitForPayment(refOf(viaUnionPay), 'to be cleared', (p) => p.clearing?.status === 'CLEARED');
    const ali = await waitForPayment(refOf(viaAlipay), 'to be cleared', (p) => p.clearing?.status === 'CLEARED');
    expect(up.expectedSettlementDate).toBe('2026-10-09');
    expect(ali.expectedSettlementDate).toBe('2026-10-08');
  });

  it('dead-letters a batch that lists a payment twice, and keeps consuming', async () => {
    const o = order('dupinbatch');
    const ref = refOf(o);
    const bad = {
      batchId: `BD-${o.orderNumber}`,
      merchantId: merchant.id,
      payments: [
        { paymentReference: ref, amountMinor: '600' },
        { paymentReference: ref, amountMinor: '600' },
      ],
      amountMinor: '1200',
      feeMinor: '0',
      currency: 'CNY',
      destinationAccountMasked: '****6789',
      paidAt: '2026-11-18T02:00:00Z',
    };
    await suite.publisher.publish(SETTLEMENT_EVENT_TYPES.batchPaid, bad.batchId, bad);
    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 1, { at: at('2026-11-17T09:00:00Z') });
    await waitForPayment(ref, 'the next event to be applied', (p) => p.clearing?.status === 'CLEARED');
    const dead = await waitFor('the bad batch in the DLQ', async () => {
      const list = (await suite.topics.readAll(dlqOf(TOPICS.settlementEvents))).filter((m) => m.key === bad.batchId);
      return list.length === 1 ? list[0] : undefined;
    });
    expect(dead.headers['x-dlq-reason']).toBe('INVALID_PAYLOAD');
    expect(dead.headers['x-dlq-error']).toContain('appears twice');
    expect((await payment(ref)).status).toBe('CLEARING');
  });
});
