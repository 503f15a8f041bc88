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

/**
 * One CSV field (RFC 4180). Text starting with = + - @ or a tab is prefixed with an
 * apostrophe so a spreadsheet never runs it as a formula.
 */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
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
  return `${CSV_COLUMNS.map((c) => csvField(values[c])).join(',')}\r\n`;
}
