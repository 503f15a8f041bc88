import { TOPICS, dlqOf } from '@pt/contracts';
import {
  Upstream,
  decisionsOf,
  importCardKeys,
  markedSecrets,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  stockOf,
  waitFor,
  waitForDecision,
  waitForCaughtUp,
  waitForMirror,
  type SimOrder,
  type Suite,
} from '@pt/testing';

/**
 * One case per row of the triage table (DESIGN.md section 6), plus the variants the
 * reconciliation-engine issue names, each driven through intake, Kafka and
 * reconciliation, and checked for outcome, reason, stored evidence, stock and events.
 */
interface Case {
  name: string;
  /** Publishes the upstream events; returns the order the report is about. */
  arrange: (up: Upstream, sku: string) => Promise<SimOrder>;
  report?: (o: SimOrder) => Record<string, unknown>;
  /** The first decision, when it differs from the final one (waiting rows). */
  first?: string;
  /** Something that happens after the first decision (e.g. the clearing event arrives). */
  then?: (up: Upstream, o: SimOrder) => Promise<void>;
  outcome: string;
  reason: string;
  issued: 0 | 1;
  evidence?: (evidence: Record<string, any>) => void;
  /** Words the final decision's explanation must contain. */
  explanation?: string;
}

const CAP = 5000;
/** Under the CNY cap as a number, over the USD cap as money: the currency decides. */
const USD_CAP = 700;
const VELOCITY = 2;
const GRACE_MINUTES = 30;

/** When Upstream.orderPlaced says the order expires: 15 minutes after it was placed. */
const expiryOf = (o: { placedAt: Date | string }) => new Date(o.placedAt).getTime() + 15 * 60_000;

describe('the triage table, case by case through Kafka', () => {
  let suite: Suite;
  let up: Upstream;
  const secrets = markedSecrets('table', 90);

  const cleared = async (u: Upstream, o: SimOrder, opts: { pay?: boolean; amount?: string; ref?: string } = {}) => {
    const ref = opts.ref ?? `PAY-${o.orderNumber}`;
    if (opts.pay) await u.paymentRecorded(o, ref, 'wechat', opts.amount ?? o.amountMinor);
    await u.clearing(o, ref, 'wechat', 'CLEARED', 1, { amountMinor: opts.amount ?? o.amountMinor });
  };

  const cases: Case[] = [
    {
      name: '1 order unknown',
      arrange: async (_u, sku) => simOrder('unknown', { sku }),
      outcome: 'ESCALATED',
      reason: 'ORDER_NOT_FOUND',
      issued: 0,
      evidence: (e) => expect(e.order).toBeNull(),
    },
    {
      name: '2 identity mismatch with a correct order number',
      arrange: async (u, sku) => {
        const o = simOrder('owner', { sku });
        await u.orderPlaced(o);
        await cleared(u, o);
        return o;
      },
      report: (o) => reportBody(o, { accountId: 'acct-someone-else' }),
      outcome: 'ESCALATED',
      reason: 'IDENTITY_MISMATCH',
      issued: 0,
      evidence: (e) => expect(e.order.accountId).not.toBe(e.report.accountId),
    },
    {
      name: '2 right account, wrong phone digits',
      arrange: async (u, sku) => {
        const o = simOrder('phone', { sku });
        await u.orderPlaced(o);
        await cleared(u, o);
        return o;
      },
      report: (o) => reportBody(o, { phoneLast4: '0000' }),
      outcome: 'ESCALATED',
      reason: 'IDENTITY_MISMATCH',
      issued: 0,
    },
    {
      name: '3 a valid card key was delivered',
      arrange: async (u, sku) => {
        const o = simOrder('delivered', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        await u.delivered(o, `SHOP-KEY-${o.orderNumber}`);
        return o;
      },
      outcome: 'AUTO_RESOLVED',
      reason: 'ALREADY_DELIVERED',
      issued: 0,
      evidence: (e) => expect(e.deliveries).toEqual([expect.objectContaining({ source: 'SHOP', keyState: 'VALID' })]),
    },
    {
      name: '4→5 no payment anywhere: waits, then escalates past the window (re-checked by the sweeper)',
      arrange: async (u, sku) => {
        const o = simOrder('nopay', { sku });
        await u.orderPlaced(o);
        return o;
      },
      first: 'AWAITING_CLEARING',
      outcome: 'ESCALATED',
      reason: 'PAYMENT_NOT_FOUND',
      issued: 0,
      evidence: (e) => expect({ payments: e.payments, clearing: e.clearing }).toEqual({ payments: [], clearing: [] }),
    },
    {
      name: '6 clearing failed',
      arrange: async (u, sku) => {
        const o = simOrder('failed', { sku });
        await u.orderPlaced(o);
        await u.paymentRecorded(o, `PAY-${o.orderNumber}`, 'unionpay');
        await u.clearing(o, `PAY-${o.orderNumber}`, 'unionpay', 'FAILED', 1, { failureCode: 'INSUFFICIENT_FUNDS' });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'CLEARING_FAILED',
      issued: 0,
      evidence: (e) => expect(e.clearing[0]).toMatchObject({ status: 'FAILED', failureCode: 'INSUFFICIENT_FUNDS' }),
    },
    {
      name: '6 payment reversed after clearing',
      arrange: async (u, sku) => {
        const o = simOrder('reversed', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        await u.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'REVERSED', 2);
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'PAYMENT_REVERSED',
      issued: 0,
    },
    {
      name: '7 clearing in progress, re-triaged as soon as the clearing event arrives',
      arrange: async (u, sku) => {
        const o = simOrder('clearing', { sku });
        await u.orderPlaced(o);
        await u.paymentRecorded(o, `PAY-${o.orderNumber}`, 'wechat');
        await u.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARING', 1, { at: new Date() });
        return o;
      },
      first: 'AWAITING_CLEARING',
      then: async (u, o) => u.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 2, { at: new Date() }),
      outcome: 'AUTO_RESOLVED',
      reason: 'REISSUED',
      issued: 1,
    },
    {
      name: '7 clearing stuck past the limit',
      arrange: async (u, sku) => {
        const o = simOrder('stuck', { sku });
        await u.orderPlaced(o);
        await u.paymentRecorded(o, `PAY-${o.orderNumber}`, 'wechat');
        await u.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARING', 1, { at: new Date() });
        return o;
      },
      first: 'AWAITING_CLEARING',
      outcome: 'ESCALATED',
      reason: 'CLEARING_STUCK',
      issued: 0,
    },
    {
      name: '8 cleared amount differs',
      arrange: async (u, sku) => {
        const o = simOrder('amount', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true, amount: '550' });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'AMOUNT_MISMATCH',
      issued: 0,
    },
    {
      name: '9 duplicate payment, nothing delivered: re-issued once and escalated for the refund',
      arrange: async (u, sku) => {
        const o = simOrder('dup', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        await cleared(u, o, { ref: `PAY-${o.orderNumber}-2` });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'DUPLICATE_PAYMENT',
      issued: 1,
      evidence: (e) => expect(e.clearing).toHaveLength(2),
    },
    {
      name: '9 duplicate payment, key already delivered: escalated for the refund, nothing issued',
      arrange: async (u, sku) => {
        const o = simOrder('dupdel', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        await cleared(u, o, { ref: `PAY-${o.orderNumber}-2` });
        await u.delivered(o, `SHOP-KEY-${o.orderNumber}`);
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'DUPLICATE_PAYMENT',
      issued: 0,
    },
    {
      name: '10 over the auto-issue amount cap',
      arrange: async (u, sku) => {
        const o = simOrder('cap', { sku, amountMinor: String(CAP + 1) });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'RISK_REVIEW',
      issued: 0,
      evidence: (e) => expect(e.limits.autoIssueCapsMinor).toEqual({ CNY: String(CAP), USD: String(USD_CAP) }),
    },
    {
      name: '10 over the USD cap, though under the CNY cap as a number',
      arrange: async (u, sku) => {
        const o = simOrder('capusd', { sku, currency: 'USD', amountMinor: String(USD_CAP + 1) });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'RISK_REVIEW',
      issued: 0,
      evidence: (e) => expect(e.order).toMatchObject({ currency: 'USD', amountMinor: String(USD_CAP + 1) }),
      explanation: `over the auto-issue cap of ${USD_CAP} USD`,
    },
    {
      name: '10 a currency without an auto-issue cap is never auto-issued',
      arrange: async (u, sku) => {
        const o = simOrder('capnone', { sku, currency: 'EUR', amountMinor: '100' });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'RISK_REVIEW',
      issued: 0,
      evidence: (e) => expect(Object.keys(e.limits.autoIssueCapsMinor)).not.toContain('EUR'),
      explanation: 'No auto-issue cap is set for EUR',
    },
    {
      name: '10 the account is over its re-issue velocity',
      arrange: async (u, sku) => {
        const account = `acct-velocity-${crypto.randomUUID().slice(0, 6)}`;
        for (let i = 0; i < VELOCITY; i += 1) {
          const earlier = simOrder(`vel${i}`, { sku, accountId: account });
          await u.orderPlaced(earlier);
          await cleared(u, earlier);
          await waitForMirror(suite, earlier.orderNumber, 1);
          const created = await postReport(suite, reportBody(earlier));
          await waitForDecision(suite, created.body.id, 'REISSUED');
        }
        const o = simOrder('vel', { sku, accountId: account });
        await u.orderPlaced(o);
        await cleared(u, o);
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'RISK_REVIEW',
      issued: 0,
      evidence: (e) => expect(e.accountReissuesInWindow).toBe(VELOCITY),
    },
    {
      name: '11 no card key of that SKU in stock',
      arrange: async (u) => {
        const o = simOrder('nostock', { sku: 'SKU-EMPTY' });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'OUT_OF_STOCK',
      issued: 0,
      evidence: (e) => expect(e.stockAvailable).toBe(0),
    },
    {
      name: '12 money cleared, delivery failed: re-issued',
      arrange: async (u, sku) => {
        const o = simOrder('reissue', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        await u.deliveryFailed(o);
        return o;
      },
      outcome: 'AUTO_RESOLVED',
      reason: 'REISSUED',
      issued: 1,
      evidence: (e) => expect(e.payments).toHaveLength(1),
    },
    {
      name: '12 lost callback: re-issued and the payment recorded as a correction',
      arrange: async (u, sku) => {
        const o = simOrder('lost', { sku });
        await u.orderPlaced(o);
        await cleared(u, o);
        return o;
      },
      outcome: 'AUTO_RESOLVED',
      reason: 'REISSUED',
      issued: 1,
      evidence: (e) => expect(e.payments).toEqual([]),
    },
    {
      name: '12 late callback after the order expired: re-issued',
      arrange: async (u, sku) => {
        const o = simOrder('late', { sku });
        await u.orderPlaced(o);
        await u.expired(o);
        await cleared(u, o);
        return o;
      },
      outcome: 'AUTO_RESOLVED',
      reason: 'REISSUED',
      issued: 1,
      evidence: (e) => expect(e.order.status).toBe('EXPIRED'),
    },
    {
      name: '9b paid 10 minutes after the order expired, within the grace window: re-issued',
      arrange: async (u, sku) => {
        const o = simOrder('lategrace', { sku, placedAt: new Date(Date.now() - 120 * 60_000) });
        await u.orderPlaced(o);
        await u.expired(o);
        // The callback was lost: the channel's clearing time is when it was paid.
        await u.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1, { at: new Date(expiryOf(o) + 10 * 60_000) });
        return o;
      },
      outcome: 'AUTO_RESOLVED',
      reason: 'REISSUED',
      issued: 1,
      explanation: `paid 10 minutes after the order expired, within the ${GRACE_MINUTES}-minute grace window`,
      evidence: (e) => {
        expect(e.order.expiresAt).toBe(new Date(expiryOf(e.order)).toISOString());
        expect(e.limits.paidAfterExpiryGraceMinutes).toBe(GRACE_MINUTES);
      },
    },
    {
      name: '9b paid an hour after the order expired, beyond the grace window: PAID_AFTER_EXPIRY',
      arrange: async (u, sku) => {
        const o = simOrder('latepast', { sku, placedAt: new Date(Date.now() - 120 * 60_000) });
        await u.orderPlaced(o);
        await u.expired(o);
        await u.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1, { at: new Date(expiryOf(o) + 60 * 60_000) });
        return o;
      },
      outcome: 'ESCALATED',
      reason: 'PAID_AFTER_EXPIRY',
      issued: 0,
      explanation: `made 60 minutes after the order expired, past the ${GRACE_MINUTES}-minute grace window`,
      evidence: (e) => expect(e.order.status).toBe('EXPIRED'),
    },
    {
      name: 'card key invalid: the delivered key was redeemed by someone else, so it is revoked and replaced',
      arrange: async (u, sku) => {
        const o = simOrder('stolen', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        await u.delivered(o, `SHOP-KEY-${o.orderNumber}`);
        await u.keyStatus(o, `SHOP-KEY-${o.orderNumber}`, 'REDEEMED', 'acct-thief');
        return o;
      },
      report: (o) => reportBody(o, { type: 'CARD_KEY_INVALID' }),
      outcome: 'AUTO_RESOLVED',
      reason: 'REISSUED',
      issued: 1,
      evidence: (e) => expect(e.deliveries[0]).toMatchObject({ keyState: 'REDEEMED' }),
    },
    {
      name: 'card key invalid: the delivered key checks out',
      arrange: async (u, sku) => {
        const o = simOrder('fine', { sku });
        await u.orderPlaced(o);
        await cleared(u, o, { pay: true });
        await u.delivered(o, `SHOP-KEY-${o.orderNumber}`);
        return o;
      },
      report: (o) => reportBody(o, { type: 'CARD_KEY_INVALID' }),
      outcome: 'AUTO_RESOLVED',
      reason: 'ALREADY_DELIVERED',
      issued: 0,
    },
  ];

  beforeAll(async () => {
    suite = await startSuite('triage-table', ['intake', 'reconciliation'], {
      TRIAGE_WAITING_WINDOW_MINUTES: '0.05',
      TRIAGE_CLEARING_STUCK_AFTER_MINUTES: '0.1',
      TRIAGE_RECHECK_SCHEDULE_MINUTES: '0.01',
      TRIAGE_SWEEP_INTERVAL_MS: '300',
      TRIAGE_AUTO_ISSUE_CAPS_MINOR: `CNY:${CAP},USD:${USD_CAP}`,
      TRIAGE_VELOCITY_LIMIT: String(VELOCITY),
      TRIAGE_PAID_AFTER_EXPIRY_GRACE_MINUTES: String(GRACE_MINUTES),
    });
    up = new Upstream(suite.publisher);
    // Three keys per row: a row past the end of the secrets would find its SKU out of stock.
    expect(secrets.length).toBeGreaterThanOrEqual(cases.length * 3);
    const keys = cases.flatMap((_c, i) => secrets.slice(i * 3, i * 3 + 3).map((secret) => ({ sku: `SKU-ROW-${i}`, secret })));
    expect((await importCardKeys(suite, keys)).body.imported).toBe(keys.length);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', async (_name, index) => {
    const c = cases[index];
    const sku = `SKU-ROW-${index}`;
    const o = await c.arrange(up, sku);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const stockBefore = await stockOf(suite, o.sku);
    const created = await postReport(suite, c.report ? c.report(o) : reportBody(o));
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    if (c.first) {
      const first = await waitForDecision(suite, id);
      expect(first.decision.reasonCode).toBe(c.first);
      expect(first.status).toBe('AWAITING_CLEARING');
      if (c.then) await c.then(up, o);
    }
    const final = await waitForDecision(suite, id, c.reason);
    expect(final.status).toBe(c.outcome);
    expect(final.decision).toMatchObject({ outcome: c.outcome, reasonCode: c.reason });
    expect(final.decision.explanation.length).toBeGreaterThan(10);
    if (c.explanation) expect(final.decision.explanation).toContain(c.explanation);

    // The stored evidence explains the decision and names the rules that made it.
    const decisions = await decisionsOf(suite, id);
    const last = decisions[decisions.length - 1];
    expect(last).toMatchObject({ outcome: c.outcome, reasonCode: c.reason, ruleVersion: expect.stringMatching(/^triage-rules\//) });
    expect(last.evidence.report.incidentId).toBe(id);
    expect(last.evidence.limits).toMatchObject({ velocityLimit: VELOCITY });
    expect(typeof last.evidence.stockAvailable).toBe('number');
    if (c.first) expect(decisions[0].reasonCode).toBe(c.first);
    c.evidence?.(last.evidence);

    // Stock and issuances moved exactly as the decision says.
    const { rows } = await suite.db.query(`SELECT card_key_id FROM reconciliation.issuances WHERE order_number = $1`, [o.orderNumber]);
    expect(rows).toHaveLength(c.issued);
    expect(await stockOf(suite, o.sku)).toBe(stockBefore - c.issued);
    if (c.issued) expect(final.decision.cardKeyId).toBe(rows[0].card_key_id);
    else expect(final.decision.cardKeyId).toBeNull();

    // Events: every decision was published; a card key event exactly when one was issued.
    await waitFor(`incident.triaged events for ${id}`, async () => {
      const triaged = (await suite.topics.envelopes<{ incidentId: string; reasonCode: string }>(TOPICS.incidentTriaged)).filter(
        (e) => e.payload.incidentId === id,
      );
      return triaged.length === decisions.length && triaged[triaged.length - 1].payload.reasonCode === c.reason;
    });
    const reissued = (await suite.topics.envelopes<{ orderNumber: string }>(TOPICS.cardKeyReissued)).filter((e) => e.payload.orderNumber === o.orderNumber);
    expect(reissued).toHaveLength(c.issued);
    const corrections = (await suite.topics.envelopes<{ orderNumber: string }>(TOPICS.ledgerEvents)).filter(
      (e) => e.type === 'ledger.payment-corrected' && e.payload.orderNumber === o.orderNumber,
    );
    const unrecorded = last.evidence.clearing.filter(
      (r: { status: string; paymentReference: string }) =>
        r.status === 'CLEARED' && !last.evidence.payments.some((p: { paymentReference: string }) => p.paymentReference === r.paymentReference),
    );
    expect(corrections).toHaveLength(c.issued ? unrecorded.length : 0);
  });

  it('a waiting incident is still re-checked after reconciliation restarts (the schedule is in the database)', async () => {
    const o = simOrder('restart', { sku: 'SKU-ROW-0' });
    await up.orderPlaced(o);
    await waitForMirror(suite, o.orderNumber, 0);
    const created = await postReport(suite, reportBody(o));
    await waitForDecision(suite, created.body.id, 'AWAITING_CLEARING');
    await suite.services.reconciliation!.stop('SIGKILL');
    const replacement = await suite.startInstance('reconciliation');
    suite.services.reconciliation = replacement;
    const final = await waitForDecision(suite, created.body.id, 'PAYMENT_NOT_FOUND');
    expect(final.status).toBe('ESCALATED');
  });

  it('no card-key secret reached a log line or a Kafka message', async () => {
    const logs = suite.logs().join('\n');
    const all = await Promise.all(Object.values(TOPICS).flatMap((t) => [suite.topics.readAll(t), suite.topics.readAll(dlqOf(t))]));
    const messages = all
      .flat()
      .map((m) => `${m.key} ${m.value} ${JSON.stringify(m.headers)}`)
      .join('\n');
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(messages).not.toContain(secret);
    }
  });
});
