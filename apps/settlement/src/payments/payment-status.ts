import type { ClearingStatus } from '@pt/contracts';
import { expectedSettlementDate, type SettlementPolicy } from '../calendar/business-calendar.js';
import { explainFailure, type FailureExplanation } from './failure-codes.js';

export const PAYMENT_STATUSES = ['SETTLED', 'CLEARING', 'FAILED', 'REVERSED'] as const;
/** What a merchant sees; NOT_FOUND is answered as 404 and is never stored. */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One row of settlement.payments, as the repository reads it. */
export interface PaymentRow {
  payment_reference: string;
  order_number: string | null;
  merchant_id: string | null;
  channel: string | null;
  clearing_status: ClearingStatus | null;
  failure_code: string | null;
  amount_minor: string;
  currency: string | null;
  clearing_status_at: Date | null;
  cleared_at: Date | null;
  first_seen_at: Date;
  /** first_seen_at with microseconds, for the pagination cursor. */
  first_seen_key: string;
  batch_id: string | null;
  batch_outcome: 'PAID' | 'FAILED' | null;
  batch_failure_code: string | null;
  batch_event_at: Date | null;
  destination_account_masked: string | null;
  status: PaymentStatus;
  updated_at: Date;
}

/** What the merchant API shows of a payment. */
export interface PaymentView {
  paymentReference: string;
  orderNumber: string | null;
  merchantId: string;
  channel: string | null;
  amountMinor: string;
  currency: string | null;
  status: PaymentStatus;
  firstSeenAt: string;
  clearing: { status: ClearingStatus; statusAt: string; clearedAt: string | null } | null;
  settlement: { batchId: string; settledAt: string; destinationAccountMasked: string | null } | null;
  expectedSettlementDate: string | null;
  failure: FailureExplanation | null;
  reversedAt: string | null;
  updatedAt: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * Turns the stored facts of both feeds into the merchant's view. The status itself is
 * computed by the database (a generated column, so lists can filter on it); this adds
 * the details each status carries.
 */
export function toPaymentView(row: PaymentRow, policy: SettlementPolicy): PaymentView {
  let expected: string | null = null;
  if (row.status === 'CLEARING' && row.channel) {
    // Still at the bank: assume it clears on the day it was last seen clearing.
    const base = row.cleared_at ?? row.clearing_status_at;
    if (base) expected = expectedSettlementDate(base, row.channel, policy);
  }
  let failure: FailureExplanation | null = null;
  if (row.status === 'FAILED') {
    failure = row.clearing_status === 'FAILED' ? explainFailure('CLEARING', row.failure_code) : explainFailure('SETTLEMENT', row.batch_failure_code);
  }
  return {
    paymentReference: row.payment_reference,
    orderNumber: row.order_number,
    merchantId: row.merchant_id ?? '',
    channel: row.channel,
    amountMinor: String(row.amount_minor),
    currency: row.currency?.trim() ?? null,
    status: row.status,
    firstSeenAt: row.first_seen_at.toISOString(),
    clearing:
      row.clearing_status && row.clearing_status_at
        ? { status: row.clearing_status, statusAt: row.clearing_status_at.toISOString(), clearedAt: iso(row.cleared_at) }
        : null,
    settlement:
      row.batch_outcome === 'PAID' && row.batch_id && row.batch_event_at
        ? { batchId: row.batch_id, settledAt: row.batch_event_at.toISOString(), destinationAccountMasked: row.destination_account_masked }
        : null,
    expectedSettlementDate: expected,
    failure,
    reversedAt: row.status === 'REVERSED' ? iso(row.clearing_status_at) : null,
    updatedAt: row.updated_at.toISOString(),
  };
}
