import { SETTLEMENT_EVENT_TYPES, type SettlementBatchFailedV1, type SettlementBatchPaidV1 } from '@pt/contracts';
import { PermanentMessageError } from '@pt/kafka';
import { batchOutcomeOf } from './settlement-events.consumer.js';

const paid: SettlementBatchPaidV1 = {
  batchId: 'B-1',
  merchantId: '0d7c5c8e-9f7e-4a55-8f0e-3b1c2d3e4f50',
  payments: [
    { paymentReference: 'PAY-2', amountMinor: '400' },
    { paymentReference: 'PAY-1', amountMinor: '600' },
  ],
  amountMinor: '1000',
  feeMinor: '6',
  currency: 'CNY',
  destinationAccountMasked: '****6789',
  paidAt: '2026-10-09T02:00:00Z',
};

describe('batchOutcomeOf', () => {
  it('maps a paid batch', () => {
    expect(batchOutcomeOf(SETTLEMENT_EVENT_TYPES.batchPaid, paid)).toEqual({
      batchId: 'B-1',
      merchantId: paid.merchantId,
      outcome: 'PAID',
      failureCode: null,
      at: '2026-10-09T02:00:00Z',
      currency: 'CNY',
      destinationAccountMasked: '****6789',
      payments: paid.payments,
    });
  });

  it('maps a failed batch', () => {
    const failed: SettlementBatchFailedV1 = {
      batchId: 'B-2',
      merchantId: paid.merchantId,
      payments: paid.payments,
      failureCode: 'MERCHANT_ACCOUNT_INVALID',
      failedAt: '2026-10-09T03:00:00Z',
    };
    expect(batchOutcomeOf(SETTLEMENT_EVENT_TYPES.batchFailed, failed)).toMatchObject({
      outcome: 'FAILED',
      failureCode: 'MERCHANT_ACCOUNT_INVALID',
      at: '2026-10-09T03:00:00Z',
      currency: null,
    });
  });

  it('refuses a batch that lists a payment twice, as permanent', () => {
    const twice = { ...paid, payments: [...paid.payments, { paymentReference: 'PAY-1', amountMinor: '600' }] };
    expect(() => batchOutcomeOf(SETTLEMENT_EVENT_TYPES.batchPaid, twice)).toThrow(PermanentMessageError);
  });
});
