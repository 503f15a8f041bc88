import { CSV_COLUMNS, csvHeader, csvLine } from './payments-csv.js';
import type { PaymentView } from './payment-status.js';

describe('CSV export', () => {
  it('writes one line per payment, in the header order', () => {
    const view: PaymentView = {
      paymentReference: 'PAY-1',
      orderNumber: 'ORD-1',
      merchantId: 'm',
      channel: 'alipay',
      amountMinor: '600',
      currency: 'CNY',
      status: 'FAILED',
      firstSeenAt: '2026-11-21T10:00:00.000Z',
      clearing: { status: 'CLEARED', statusAt: '2026-11-21T10:01:00.000Z', clearedAt: '2026-11-21T10:01:00.000Z' },
      settlement: null,
      expectedSettlementDate: null,
      failure: { code: 'MERCHANT_ACCOUNT_INVALID', source: 'SETTLEMENT', explanation: 'rejected, sorry', remedy: 'update it' },
      reversedAt: null,
      updatedAt: '2026-11-22T10:00:00.000Z',
    };
    expect(csvHeader().trim().split(',')).toEqual([...CSV_COLUMNS]);
    expect(csvLine(view)).toBe(
      'PAY-1,ORD-1,FAILED,600,CNY,alipay,2026-11-21T10:00:00.000Z,2026-11-21T10:01:00.000Z,,,,,MERCHANT_ACCOUNT_INVALID,"rejected, sorry",update it,\r\n',
    );
  });
});
