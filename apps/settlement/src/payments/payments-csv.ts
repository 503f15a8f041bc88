import { csvRow } from '@pt/platform';
import type { PaymentView } from './payment-status.js';

export const CSV_COLUMNS = [
  'paymentReference',
  'orderNumber',
  'status',
  'amountMinor',
  'currency',
  'channel',
  'firstSeenAt',
  'clearedAt',
  'expectedSettlementDate',
  'batchId',
  'settledAt',
  'destinationAccountMasked',
  'failureCode',
  'failureExplanation',
  'failureRemedy',
  'reversedAt',
] as const;

export function csvHeader(): string {
  return csvRow(CSV_COLUMNS);
}

export function csvLine(p: PaymentView): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | null> = {
    paymentReference: p.paymentReference,
    orderNumber: p.orderNumber,
    status: p.status,
    amountMinor: p.amountMinor,
    currency: p.currency,
    channel: p.channel,
    firstSeenAt: p.firstSeenAt,
    clearedAt: p.clearing?.clearedAt ?? null,
    expectedSettlementDate: p.expectedSettlementDate,
    batchId: p.settlement?.batchId ?? null,
    settledAt: p.settlement?.settledAt ?? null,
    destinationAccountMasked: p.settlement?.destinationAccountMasked ?? null,
    failureCode: p.failure?.code ?? null,
    failureExplanation: p.failure?.explanation ?? null,
    failureRemedy: p.failure?.remedy ?? null,
    reversedAt: p.reversedAt,
  };
  return csvRow(CSV_COLUMNS.map((c) => values[c]));
}
