import type { SettlementPolicy } from '../calendar/business-calendar.js';
import { toPaymentView, type PaymentRow } from './payment-status.js';

const policy: SettlementPolicy = {
  daysByChannel: new Map([['unionpay', 2]]),
  defaultDays: 1,
  holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']),
  workingWeekends: new Set(),
  utcOffsetMinutes: 0,
};

const row = (over: Partial<PaymentRow>): PaymentRow => ({
  payment_reference: 'PAY-1',
  order_number: 'ORD-1',
  merchant_id: 'b3c1d7e0-0000-4000-8000-000000000001',
  channel: 'unionpay',
  clearing_status: 'CLEARED',
  failure_code: null,
  amount_minor: '600',
  currency: 'CNY',
  clearing_status_at: new Date('2026-09-30T08:00:00Z'),
  cleared_at: new Date('2026-09-30T08:00:00Z'),
  first_seen_at: new Date('2026-09-30T07:59:00Z'),
  first_seen_key: '2026-09-30T07:59:00.000000Z',
  batch_id: null,
  batch_outcome: null,
  batch_failure_code: null,
  batch_event_at: null,
  destination_account_masked: null,
  status: 'CLEARING',
  updated_at: new Date('2026-09-30T08:00:01Z'),
  ...over,
});

describe('toPaymentView', () => {
  it('a cleared payment awaiting settlement carries its expected date, past the holidays', () => {
    const view = toPaymentView(row({}), policy);
    expect(view).toMatchObject({ status: 'CLEARING', expectedSettlementDate: '2026-10-09', settlement: null, failure: null, reversedAt: null });
    expect(view.clearing).toEqual({ status: 'CLEARED', statusAt: '2026-09-30T08:00:00.000Z', clearedAt: '2026-09-30T08:00:00.000Z' });
  });

  it('a payment still at the bank is estimated from when it was last seen clearing', () => {
    const view = toPaymentView(row({ clearing_status: 'CLEARING', cleared_at: null, clearing_status_at: new Date('2026-11-20T08:00:00Z') }), policy);
    expect(view.expectedSettlementDate).toBe('2026-11-24');
  });

  it('a settled payment shows its batch, payout time and masked account', () => {
    const view = toPaymentView(
      row({
        status: 'SETTLED',
        batch_id: 'B-1',
        batch_outcome: 'PAID',
        batch_event_at: new Date('2026-10-09T02:00:00Z'),
        destination_account_masked: '****6789',
      }),
      policy,
    );
    expect(view).toMatchObject({
      status: 'SETTLED',
      expectedSettlementDate: null,
      settlement: { batchId: 'B-1', settledAt: '2026-10-09T02:00:00.000Z', destinationAccountMasked: '****6789' },
    });
  });

  it('a failed payout explains the code and the remedy', () => {
    const view = toPaymentView(
      row({
        status: 'FAILED',
        batch_id: 'B-2',
        batch_outcome: 'FAILED',
        batch_failure_code: 'MERCHANT_ACCOUNT_INVALID',
        batch_event_at: new Date('2026-10-09T02:00:00Z'),
      }),
      policy,
    );
    expect(view.failure).toEqual({
      code: 'MERCHANT_ACCOUNT_INVALID',
      source: 'SETTLEMENT',
      explanation: expect.stringContaining('bank account on file was rejected'),
      remedy: expect.stringContaining('update the bank account in the merchant portal'),
    });
    expect(view.settlement).toBeNull();
  });

  it('a failed clearing takes precedence and is explained as such', () => {
    const view = toPaymentView(row({ status: 'FAILED', clearing_status: 'FAILED', failure_code: 'CARD_DECLINED', cleared_at: null }), policy);
    expect(view.failure).toMatchObject({ code: 'CARD_DECLINED', source: 'CLEARING', explanation: expect.stringContaining('declined') });
  });

  it('an unknown code still gets a sentence and a remedy', () => {
    const view = toPaymentView(row({ status: 'FAILED', clearing_status: 'FAILED', failure_code: 'ODD_CODE_42', cleared_at: null }), policy);
    expect(view.failure).toMatchObject({ code: 'ODD_CODE_42', explanation: expect.stringContaining('ODD_CODE_42'), remedy: expect.any(String) });
  });

  it('a reversal after settlement shows REVERSED with when, and keeps the payout it undid', () => {
    const view = toPaymentView(
      row({
        status: 'REVERSED',
        clearing_status: 'REVERSED',
        clearing_status_at: new Date('2026-10-12T09:00:00Z'),
        batch_id: 'B-1',
        batch_outcome: 'PAID',
        batch_event_at: new Date('2026-10-09T02:00:00Z'),
      }),
      policy,
    );
    expect(view).toMatchObject({ status: 'REVERSED', reversedAt: '2026-10-12T09:00:00.000Z', settlement: { batchId: 'B-1' }, failure: null });
  });

  it('a payment known only from a settlement batch has no clearing details', () => {
    const view = toPaymentView(
      row({
        order_number: null,
        channel: null,
        clearing_status: null,
        clearing_status_at: null,
        cleared_at: null,
        status: 'SETTLED',
        batch_id: 'B-3',
        batch_outcome: 'PAID',
        batch_event_at: new Date('2026-10-09T02:00:00Z'),
      }),
      policy,
    );
    expect(view).toMatchObject({ status: 'SETTLED', orderNumber: null, clearing: null, settlement: { batchId: 'B-3' } });
  });
});
