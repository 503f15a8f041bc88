import { orderLines, type ClearingFacts, type DeliveryFacts, type Evidence, type PaymentFacts } from './evidence.js';
import { MAX_AUTO_ISSUED_LINES, decide, lineList } from './triage.rules.js';

const NOW = '2026-11-21T12:00:00.000Z';
const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();

function evidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    now: NOW,
    report: {
      incidentId: '00000000-0000-4000-8000-000000000001',
      incidentType: 'PAID_NOT_CREDITED',
      accountId: 'acct-1',
      phoneLast4Hash: null,
      amountMinor: '600',
      currency: 'CNY',
      paymentReference: null,
      firstReportedAt: minutesAgo(1),
    },
    order: {
      orderNumber: 'O-1',
      accountId: 'acct-1',
      phoneLast4Hash: 'a'.repeat(64),
      merchantId: '00000000-0000-4000-8000-00000000000a',
      sku: 'GAME-60',
      quantity: 1,
      amountMinor: '600',
      currency: 'CNY',
      placedAt: minutesAgo(30),
      expiresAt: minutesAgo(15),
      status: 'PLACED',
    },
    payments: [],
    clearing: [],
    deliveries: [],
    issuanceCauses: [],
    stockAvailable: 5,
    accountReissuesInWindow: 0,
    limits: {
      waitingWindowMinutes: 30,
      clearingStuckAfterMinutes: 600,
      autoIssueCapsMinor: { CNY: '100000', USD: '15000' },
      paidAfterExpiryGraceMinutes: 30,
      velocityLimit: 3,
      velocityWindowHours: 24,
    },
    ...overrides,
  };
}

const cleared = (ref: string, amount = '600', status: ClearingFacts['status'] = 'CLEARED', at = minutesAgo(20)): ClearingFacts => ({
  paymentReference: ref,
  channel: 'alipay',
  status,
  failureCode: status === 'FAILED' ? 'CARD_DECLINED' : null,
  amountMinor: amount,
  currency: 'CNY',
  version: 1,
  statusAt: at,
});
const paid = (ref: string, amount = '600'): PaymentFacts => ({
  paymentReference: ref,
  channel: 'alipay',
  amountMinor: amount,
  currency: 'CNY',
  paidAt: minutesAgo(25),
  isCorrection: false,
});
const delivered = (state: DeliveryFacts['keyState'] = 'VALID'): DeliveryFacts => ({
  deliveryId: 'd-1',
  cardKeyRef: 'k-1',
  source: 'SHOP',
  deliveredAt: minutesAgo(24),
  keyState: state,
});

describe('decide (the triage table, DESIGN.md section 6)', () => {
  const table: [string, string, string, string, Partial<Evidence>][] = [
    ['1 order unknown', 'ESCALATED', 'ORDER_NOT_FOUND', 'NONE', { order: null }],
    ['2 reporter is another account', 'ESCALATED', 'IDENTITY_MISMATCH', 'NONE', { report: { ...evidence().report, accountId: 'acct-2' } }],
    [
      '2 right account, wrong phone',
      'ESCALATED',
      'IDENTITY_MISMATCH',
      'NONE',
      { report: { ...evidence().report, phoneLast4Hash: 'b'.repeat(64) }, clearing: [cleared('P1')] },
    ],
    ['3 valid key delivered', 'AUTO_RESOLVED', 'ALREADY_DELIVERED', 'NONE', { payments: [paid('P1')], clearing: [cleared('P1')], deliveries: [delivered()] }],
    ['4 nothing yet, recent report', 'AWAITING_CLEARING', 'AWAITING_CLEARING', 'NONE', {}],
    ['5 nothing past the window', 'ESCALATED', 'PAYMENT_NOT_FOUND', 'NONE', { report: { ...evidence().report, firstReportedAt: minutesAgo(31) } }],
    ['6 clearing failed', 'ESCALATED', 'CLEARING_FAILED', 'NONE', { payments: [paid('P1')], clearing: [cleared('P1', '600', 'FAILED')] }],
    ['6 payment reversed', 'ESCALATED', 'PAYMENT_REVERSED', 'NONE', { payments: [paid('P1')], clearing: [cleared('P1', '600', 'REVERSED')] }],
    [
      '7 clearing in progress',
      'AWAITING_CLEARING',
      'AWAITING_CLEARING',
      'NONE',
      { payments: [paid('P1')], clearing: [cleared('P1', '600', 'CLEARING', minutesAgo(10))] },
    ],
    [
      '7 clearing past the limit',
      'ESCALATED',
      'CLEARING_STUCK',
      'NONE',
      { payments: [paid('P1')], clearing: [cleared('P1', '600', 'CLEARING', minutesAgo(601))] },
    ],
    ['8 amount differs', 'ESCALATED', 'AMOUNT_MISMATCH', 'NONE', { payments: [paid('P1', '500')], clearing: [cleared('P1', '500')] }],
    ['9 duplicate payment, key owed', 'ESCALATED', 'DUPLICATE_PAYMENT', 'REISSUE', { payments: [paid('P1')], clearing: [cleared('P1'), cleared('P2')] }],
    [
      '9 duplicate payment, already delivered',
      'ESCALATED',
      'DUPLICATE_PAYMENT',
      'NONE',
      { payments: [paid('P1')], clearing: [cleared('P1'), cleared('P2')], deliveries: [delivered()] },
    ],
    [
      '9 duplicate payment, already issued',
      'ESCALATED',
      'DUPLICATE_PAYMENT',
      'NONE',
      { payments: [paid('P1')], clearing: [cleared('P1'), cleared('P2')], issuanceCauses: ['PAID_NOT_CREDITED'] },
    ],
    [
      '10 over the amount cap',
      'ESCALATED',
      'RISK_REVIEW',
      'NONE',
      { order: { ...evidence().order!, amountMinor: '100001' }, clearing: [cleared('P1', '100001')] },
    ],
    ['10 velocity over the limit', 'ESCALATED', 'RISK_REVIEW', 'NONE', { clearing: [cleared('P1')], accountReissuesInWindow: 3 }],
    ['11 out of stock', 'ESCALATED', 'OUT_OF_STOCK', 'NONE', { clearing: [cleared('P1')], stockAvailable: 0 }],
    ['12 cleared, nothing delivered', 'AUTO_RESOLVED', 'REISSUED', 'REISSUE', { payments: [paid('P1')], clearing: [cleared('P1')] }],
    ['12 lost callback', 'AUTO_RESOLVED', 'REISSUED', 'REISSUE', { clearing: [cleared('P1')] }],
    [
      '12 late callback after the order expired',
      'AUTO_RESOLVED',
      'REISSUED',
      'REISSUE',
      { order: { ...evidence().order!, status: 'EXPIRED' }, clearing: [cleared('P1')] },
    ],
    [
      'already issued once for this cause, nothing valid delivered',
      'ESCALATED',
      'RISK_REVIEW',
      'NONE',
      { clearing: [cleared('P1')], issuanceCauses: ['PAID_NOT_CREDITED'] },
    ],
    ['order refunded', 'ESCALATED', 'PAYMENT_REVERSED', 'NONE', { order: { ...evidence().order!, status: 'REFUNDED' }, clearing: [cleared('P1')] }],
    ['9 duplicate payment, out of stock', 'ESCALATED', 'DUPLICATE_PAYMENT', 'NONE', { clearing: [cleared('P1'), cleared('P2')], stockAvailable: 0 }],
    [
      '9 duplicate payment, over the cap',
      'ESCALATED',
      'DUPLICATE_PAYMENT',
      'NONE',
      { order: { ...evidence().order!, amountMinor: '100001' }, clearing: [cleared('P1', '100001'), cleared('P2', '100001')] },
    ],
  ];

  it.each(table)('%s → %s %s (%s)', (_name, outcome, reason, action, overrides) => {
    const result = decide(evidence(overrides));
    expect(result.outcome).toBe(outcome);
    expect(result.reasonCode).toBe(reason);
    expect(result.action.kind).toBe(action);
    expect(result.explanation.length).toBeGreaterThan(10);
  });

  it('repairs the ledger when the callback was lost, and not when it arrived', () => {
    const lost = decide(evidence({ clearing: [cleared('P1')] }));
    expect(lost.action).toMatchObject({ kind: 'REISSUE', repairPayments: [{ paymentReference: 'P1' }] });
    const arrived = decide(evidence({ payments: [paid('P1')], clearing: [cleared('P1')] }));
    expect(arrived.action).toMatchObject({ kind: 'REISSUE', repairPayments: [] });
  });

  it('card key invalid: a bad delivered key is revoked and replaced, a good one is pointed to', () => {
    const report = { ...evidence().report, incidentType: 'CARD_KEY_INVALID' as const };
    const bad = decide(evidence({ report, payments: [paid('P1')], clearing: [cleared('P1')], deliveries: [delivered('REDEEMED')] }));
    expect(bad).toMatchObject({
      outcome: 'AUTO_RESOLVED',
      reasonCode: 'REISSUED',
      action: { kind: 'REISSUE', cause: 'REPLACEMENT', revokeDeliveryIds: ['d-1'] },
    });
    const good = decide(evidence({ report, payments: [paid('P1')], clearing: [cleared('P1')], deliveries: [delivered('VALID')] }));
    expect(good).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'ALREADY_DELIVERED' });
  });

  it('identity is checked before anything is revealed about delivery', () => {
    const result = decide(evidence({ report: { ...evidence().report, accountId: 'intruder' }, deliveries: [delivered()], clearing: [cleared('P1')] }));
    expect(result.reasonCode).toBe('IDENTITY_MISMATCH');
  });

  it('a waiting decision says when the wait runs out', () => {
    expect(decide(evidence()).waitUntil).toBe(new Date(Date.parse(minutesAgo(1)) + 30 * 60_000).toISOString());
    const clearing = decide(evidence({ payments: [paid('P1')], clearing: [cleared('P1', '600', 'CLEARING', minutesAgo(10))] }));
    expect(clearing.waitUntil).toBe(new Date(Date.parse(minutesAgo(10)) + 600 * 60_000).toISOString());
  });

  describe("a report that races the shop's order feed", () => {
    const limits = { ...evidence().limits, orderWaitMinutes: 5 };

    it('waits for the order within the window, saying until when', () => {
      const result = decide(evidence({ order: null, limits }));
      expect(result).toMatchObject({ outcome: 'AWAITING_CLEARING', reasonCode: 'AWAITING_ORDER', action: { kind: 'NONE' } });
      expect(result.waitUntil).toBe(new Date(Date.parse(minutesAgo(1)) + 5 * 60_000).toISOString());
      expect(result.explanation).toContain('5 minutes');
    });

    it('escalates ORDER_NOT_FOUND once the window has passed, saying how long it waited', () => {
      const result = decide(evidence({ order: null, limits, report: { ...evidence().report, firstReportedAt: minutesAgo(6) } }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'ORDER_NOT_FOUND' });
      expect(result.explanation).toContain('6 minutes after the report');
      expect(result.waitUntil).toBeUndefined();
    });

    it('escalates at once without a window, as evidence stored before the window was', () => {
      expect(decide(evidence({ order: null, limits: { ...limits, orderWaitMinutes: 0 } }))).toMatchObject({ reasonCode: 'ORDER_NOT_FOUND' });
      const { orderWaitMinutes: _none, ...older } = limits;
      expect(decide(evidence({ order: null, limits: older })).explanation).toBe('No order with this number is in the ledger.');
    });
  });

  describe('the auto-issue cap is per currency', () => {
    const inCurrency = (currency: string, amount: string): Partial<Evidence> => ({
      order: { ...evidence().order!, amountMinor: amount, currency },
      report: { ...evidence().report, amountMinor: amount, currency },
      clearing: [{ ...cleared('P1', amount), currency }],
    });

    it('an order at its currency cap is re-issued; one above it needs a person, the cap named with its currency', () => {
      expect(decide(evidence(inCurrency('USD', '15000'))).reasonCode).toBe('REISSUED');
      const over = decide(evidence(inCurrency('USD', '15001')));
      expect(over).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'RISK_REVIEW', action: { kind: 'NONE' } });
      expect(over.explanation).toContain('over the auto-issue cap of 15000 USD');
      // The same amount in CNY is under the CNY cap: the currency decides, not the number alone.
      expect(decide(evidence(inCurrency('CNY', '15001'))).reasonCode).toBe('REISSUED');
    });

    it('an order in a currency without a cap is never auto-issued, whatever its amount', () => {
      const result = decide(evidence(inCurrency('EUR', '1')));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'RISK_REVIEW', action: { kind: 'NONE' } });
      expect(result.explanation).toContain('No auto-issue cap is set for EUR');
      // Nor the copy owed on a duplicate payment.
      const duplicate = decide(
        evidence({
          ...inCurrency('EUR', '1'),
          clearing: [
            { ...cleared('P1', '1'), currency: 'EUR' },
            { ...cleared('P2', '1'), currency: 'EUR' },
          ],
        }),
      );
      expect(duplicate).toMatchObject({ reasonCode: 'DUPLICATE_PAYMENT', action: { kind: 'NONE' } });
    });

    it('a cap cannot be reached through an inherited property name', () => {
      expect(decide(evidence(inCurrency('constructor', '1'))).reasonCode).toBe('RISK_REVIEW');
    });
  });

  describe('paid after the order expired (grace window of 30 minutes)', () => {
    const expiringAt = (at: string | null): Partial<Evidence> => ({ order: { ...evidence().order!, expiresAt: at, status: 'EXPIRED' } });

    it('paid within the grace window: re-issued like any paid order, the explanation says how late', () => {
      const result = decide(evidence({ ...expiringAt(minutesAgo(15)), clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(5))] }));
      expect(result).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'REISSUED', action: { kind: 'REISSUE' } });
      expect(result.explanation).toContain('paid 10 minutes after the order expired, within the 30-minute grace window');
    });

    it('paid exactly at the end of the window is still within it', () => {
      const result = decide(evidence({ ...expiringAt(minutesAgo(50)), clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(20))] }));
      expect(result.reasonCode).toBe('REISSUED');
    });

    it('paid within the window is still subject to the other rules: cap, velocity, stock', () => {
      const late = { ...expiringAt(minutesAgo(15)), clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(5))] };
      const risk = decide(evidence({ ...late, accountReissuesInWindow: 3 }));
      expect(risk).toMatchObject({ reasonCode: 'RISK_REVIEW', action: { kind: 'NONE' } });
      expect(risk.explanation).toContain('within the 30-minute grace window');
      const overCap = { ...late, order: { ...late.order!, amountMinor: '100001' }, clearing: [cleared('P1', '100001', 'CLEARED', minutesAgo(5))] };
      expect(decide(evidence(overCap)).reasonCode).toBe('RISK_REVIEW');
      expect(decide(evidence({ ...late, stockAvailable: 0 })).reasonCode).toBe('OUT_OF_STOCK');
    });

    it('paid beyond the grace window: escalated as PAID_AFTER_EXPIRY, nothing issued', () => {
      const result = decide(evidence({ ...expiringAt(minutesAgo(60)), clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(20))] }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'PAID_AFTER_EXPIRY', action: { kind: 'NONE' } });
      expect(result.explanation).toContain('made 40 minutes after the order expired, past the 30-minute grace window');
      // A grace window of 0 sends any late payment to a person.
      const strict = evidence({ ...expiringAt(minutesAgo(15)), clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(14))] });
      expect(decide({ ...strict, limits: { ...strict.limits, paidAfterExpiryGraceMinutes: 0 } }).reasonCode).toBe('PAID_AFTER_EXPIRY');
    });

    it('the time the ledger recorded the payment counts, not a later clearing', () => {
      const inTime = { ...paid('P1'), paidAt: minutesAgo(61) };
      const result = decide(evidence({ ...expiringAt(minutesAgo(60)), payments: [inTime], clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(2))] }));
      expect(result.reasonCode).toBe('REISSUED');
      expect(result.explanation).not.toContain('expired');
      const late = { ...paid('P1'), paidAt: minutesAgo(20) };
      expect(decide(evidence({ ...expiringAt(minutesAgo(60)), payments: [late], clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(2))] })).reasonCode).toBe(
        'PAID_AFTER_EXPIRY',
      );
    });

    it('an order without an expiry: no change', () => {
      const result = decide(evidence({ ...expiringAt(null), clearing: [cleared('P1', '600', 'CLEARED', minutesAgo(1))] }));
      expect(result.reasonCode).toBe('REISSUED');
      expect(result.explanation).not.toContain('expired');
    });

    it('paid before the expiry: no note', () => {
      expect(decide(evidence({ clearing: [cleared('P1')] })).explanation).not.toContain('expired');
    });
  });

  describe('order lines: an order of N units is owed N card keys', () => {
    const threeUnits = { ...evidence().order!, quantity: 3, amountMinor: '1800' };
    const twoUnits = { ...evidence().order!, quantity: 2, amountMinor: '1200' };
    const cleared3 = [cleared('P1', '1800')];
    const cleared2 = [cleared('P1', '1200')];
    const onLine = (line: number, state: DeliveryFacts['keyState'] = 'VALID', source: DeliveryFacts['source'] = 'SHOP'): DeliveryFacts => ({
      deliveryId: `d-${line}`,
      lineNo: line,
      cardKeyRef: `k-${line}`,
      source,
      deliveredAt: minutesAgo(24),
      keyState: state,
    });

    it('nothing delivered: every line is re-issued, the explanation says how many', () => {
      const result = decide(evidence({ order: threeUnits, clearing: cleared3 }));
      expect(result).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'REISSUED', action: { kind: 'REISSUE', lines: [1, 2, 3], missing: 0 } });
      expect(result.explanation).toContain('3 card keys (lines 1-3 of 3)');
    });

    it('the shop delivered 1 of 2: only line 2 is owed', () => {
      const result = decide(evidence({ order: twoUnits, payments: [paid('P1', '1200')], clearing: cleared2, deliveries: [onLine(1)] }));
      expect(result).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'REISSUED', action: { kind: 'REISSUE', lines: [2], revokeDeliveryIds: [] } });
      expect(result.explanation).toContain('1 of 2 lines already hold a valid card key (line 1)');
    });

    it('every line holds a valid key: already delivered', () => {
      const result = decide(evidence({ order: twoUnits, clearing: cleared2, deliveries: [onLine(1), onLine(2)] }));
      expect(result).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'ALREADY_DELIVERED', action: { kind: 'NONE' } });
    });

    it('one of two delivered keys unusable: only that line is replaced, and only its delivery revoked', () => {
      const report = { ...evidence().report, incidentType: 'CARD_KEY_INVALID' as const };
      const result = decide(
        evidence({ report, order: twoUnits, payments: [paid('P1', '1200')], clearing: cleared2, deliveries: [onLine(1), onLine(2, 'REVOKED')] }),
      );
      expect(result).toMatchObject({
        outcome: 'AUTO_RESOLVED',
        reasonCode: 'REISSUED',
        action: { kind: 'REISSUE', cause: 'REPLACEMENT', lines: [2], revokeDeliveryIds: ['d-2'] },
      });
    });

    it('partial stock: what exists is issued, the rest escalates as OUT_OF_STOCK naming how many are missing', () => {
      const result = decide(evidence({ order: threeUnits, clearing: cleared3, stockAvailable: 2 }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'OUT_OF_STOCK', action: { kind: 'REISSUE', lines: [1, 2], missing: 1 } });
      expect(result.explanation).toContain('2 of 3 card keys re-issued; 1 missing (line 3): no stock of SKU GAME-60');
    });

    it('no stock at all for several lines: nothing issued, all named missing', () => {
      const result = decide(evidence({ order: threeUnits, clearing: cleared3, stockAvailable: 0 }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'OUT_OF_STOCK', action: { kind: 'NONE' } });
      expect(result.explanation).toContain('0 of 3 card keys re-issued; 3 missing');
    });

    it('a re-run after a partial issuance picks the same remaining line, and the same lines for the same evidence', () => {
      const afterPartial = evidence({
        order: threeUnits,
        payments: [{ ...paid('P1', '1800'), isCorrection: true }],
        clearing: cleared3,
        deliveries: [onLine(1, 'VALID', 'REISSUE'), onLine(2, 'VALID', 'REISSUE')],
        issuances: [
          { lineNo: 1, cause: 'PAID_NOT_CREDITED', issuanceId: 'i-1', cardKeyId: 'k-1' },
          { lineNo: 2, cause: 'PAID_NOT_CREDITED', issuanceId: 'i-2', cardKeyId: 'k-2' },
        ],
        issuanceCauses: ['PAID_NOT_CREDITED', 'PAID_NOT_CREDITED'],
      });
      const first = decide(afterPartial);
      expect(first).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'REISSUED', action: { kind: 'REISSUE', lines: [3], repairPayments: [] } });
      expect(decide(afterPartial)).toEqual(first);
    });

    it('a line already re-issued for this cause whose key is not valid is not re-issued again: a person looks', () => {
      const result = decide(
        evidence({
          order: twoUnits,
          clearing: cleared2,
          deliveries: [onLine(1), onLine(2, 'REDEEMED', 'REISSUE')],
          issuances: [{ lineNo: 2, cause: 'PAID_NOT_CREDITED', issuanceId: 'i-2', cardKeyId: 'k-2' }],
          issuanceCauses: ['PAID_NOT_CREDITED'],
        }),
      );
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'RISK_REVIEW', action: { kind: 'NONE' } });
      expect(result.explanation).toContain('line 2');
    });

    it('duplicate payment: the owed lines are re-issued once and the surplus escalated', () => {
      const result = decide(evidence({ order: twoUnits, clearing: [cleared('P1', '1200'), cleared('P2', '1200')] }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'DUPLICATE_PAYMENT', action: { kind: 'REISSUE', lines: [1, 2] } });
    });

    it('an order owing more keys than one decision issues automatically needs a person', () => {
      const many = { ...evidence().order!, quantity: MAX_AUTO_ISSUED_LINES + 1 };
      const result = decide(evidence({ order: many, clearing: [cleared('P1')], stockAvailable: 1000 }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'RISK_REVIEW', action: { kind: 'NONE' } });
      expect(result.explanation).toContain(`${MAX_AUTO_ISSUED_LINES + 1} card keys are owed`);
    });

    it('the explanation stays within the 500 characters incident.triaged carries, however the lines fall', () => {
      const many = { ...evidence().order!, quantity: 2 * MAX_AUTO_ISSUED_LINES };
      // Every other line delivered and valid: the owed lines are no range.
      const deliveries = Array.from({ length: MAX_AUTO_ISSUED_LINES }, (_, i) => onLine(2 * i + 1));
      const result = decide(evidence({ order: many, clearing: [cleared('P1')], deliveries, stockAvailable: 10 }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'OUT_OF_STOCK', action: { kind: 'REISSUE', missing: MAX_AUTO_ISSUED_LINES - 10 } });
      expect(result.explanation.length).toBeLessThanOrEqual(500);
    });

    it('lists lines compactly: runs of three or more as a range', () => {
      expect(lineList([2])).toBe('line 2');
      expect(lineList([1, 2])).toBe('lines 1, 2');
      expect(lineList([1, 2, 3, 4, 7, 9, 10])).toBe('lines 1-4, 7, 9, 10');
    });

    it('row-level rules apply to the whole order: over the cap, nothing is issued', () => {
      const big = { ...threeUnits, amountMinor: '100001' };
      const result = decide(evidence({ order: big, clearing: [cleared('P1', '100001')] }));
      expect(result).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'RISK_REVIEW', action: { kind: 'NONE' } });
    });
  });

  describe('orderLines', () => {
    const d = (id: string, lineNo: number | undefined, keyState: DeliveryFacts['keyState'] = 'VALID'): DeliveryFacts => ({
      deliveryId: id,
      ...(lineNo === undefined ? {} : { lineNo }),
      cardKeyRef: id,
      source: 'SHOP',
      deliveredAt: minutesAgo(1),
      keyState,
    });

    it('lines 1..quantity, covered by a valid key on the line, owed otherwise', () => {
      expect(orderLines(3, [d('a', 2), d('b', 3, 'REVOKED')])).toEqual({ quantity: 3, covered: [2], owed: [1, 3], surplusKeys: 0 });
    });

    it('a delivery stored without a line takes the lowest line no other holds', () => {
      expect(orderLines(2, [d('a', undefined), d('b', 1, 'EXPIRED')])).toEqual({ quantity: 2, covered: [2], owed: [1], surplusKeys: 0 });
    });

    it('a valid surplus key (a line above the quantity) stands in for the lowest owed line', () => {
      expect(orderLines(1, [d('a', 1, 'REDEEMED'), d('b', 2)])).toEqual({ quantity: 1, covered: [1], owed: [], surplusKeys: 1 });
    });
  });
});
