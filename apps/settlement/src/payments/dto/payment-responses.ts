import { ApiExtraModels, ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { CLEARING_FAILURES, SETTLEMENT_FAILURES } from '../failure-codes.js';
import { PAYMENT_STATUSES } from '../payment-status.js';

// The shapes of the merchant API's answers, for the OpenAPI document (see PaymentView, PaymentPage, DailySummary).

const MINOR_UNITS = {
  type: String,
  pattern: '^(0|[1-9][0-9]{0,17})$',
  description: 'integer amount in minor units (e.g. fen), as a string',
  example: '600',
} as const;
const TIMESTAMP = { type: String, format: 'date-time', description: 'UTC, ISO 8601' } as const;
const nullOr = (model: () => unknown) => ({ oneOf: [{ type: 'null' as const }, { $ref: getSchemaPath(model() as never) }] });

const failureCodes = [
  ...Object.entries(SETTLEMENT_FAILURES).map(([code, f]) => `- \`${code}\` (settlement): ${f.explanation}. Remedy: ${f.remedy}.`),
  ...Object.entries(CLEARING_FAILURES).map(([code, f]) => `- \`${code}\` (clearing): ${f.explanation}. Remedy: ${f.remedy}.`),
].join('\n');

@ApiSchema({ name: 'ClearingState' })
export class ClearingStateResponse {
  @ApiProperty({ enum: ['CLEARING', 'CLEARED', 'FAILED', 'REVERSED'] })
  status!: string;

  @ApiProperty(TIMESTAMP)
  statusAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  clearedAt!: string | null;
}

@ApiSchema({ name: 'Payout' })
export class PayoutResponse {
  @ApiProperty()
  batchId!: string;

  @ApiProperty(TIMESTAMP)
  settledAt!: string;

  @ApiProperty({ type: String, nullable: true, example: '****6789' })
  destinationAccountMasked!: string | null;
}

@ApiSchema({ name: 'Failure', description: `Known codes:\n${failureCodes}\nAny other code gets a generic explanation.` })
export class FailureResponse {
  @ApiProperty()
  code!: string;

  @ApiProperty({ enum: ['CLEARING', 'SETTLEMENT'] })
  source!: string;

  @ApiProperty()
  explanation!: string;

  @ApiProperty()
  remedy!: string;
}

@ApiSchema({ name: 'Payment' })
@ApiExtraModels(ClearingStateResponse, PayoutResponse, FailureResponse)
export class PaymentResponse {
  @ApiProperty({ description: 'the bank or channel reference' })
  paymentReference!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null while only the settlement feed has mentioned the payment' })
  orderNumber!: string | null;

  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty({ type: String, nullable: true })
  channel!: string | null;

  @ApiProperty(MINOR_UNITS)
  amountMinor!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[A-Z]{3}$',
    description: 'ISO 4217; null while only a failed settlement batch has mentioned the payment',
  })
  currency!: string | null;

  @ApiProperty({
    enum: PAYMENT_STATUSES,
    description:
      "SETTLED: paid out to the merchant's account. CLEARING: the bank or channel is still clearing it, or it cleared and awaits its settlement batch. FAILED: clearing failed, or the payout failed. REVERSED: the money went back to the buyer (wins over everything else).",
  })
  status!: string;

  @ApiProperty({
    ...TIMESTAMP,
    description: 'when the payment first appeared in the clearing or settlement feed (about when the buyer paid); the date filters and the summary use it',
  })
  firstSeenAt!: string;

  @ApiProperty(nullOr(() => ClearingStateResponse))
  clearing!: ClearingStateResponse | null;

  @ApiProperty({ ...nullOr(() => PayoutResponse), description: 'the batch that paid it out, if any' })
  settlement!: PayoutResponse | null;

  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'CLEARING only: T+N business days after clearing (N per channel), skipping weekends and bank holidays',
  })
  expectedSettlementDate!: string | null;

  @ApiProperty({ ...nullOr(() => FailureResponse), description: 'FAILED only' })
  failure!: FailureResponse | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'REVERSED only' })
  reversedAt!: string | null;

  @ApiProperty(TIMESTAMP)
  updatedAt!: string;
}

@ApiSchema({ name: 'PaymentPage' })
export class PaymentPageResponse {
  @ApiProperty({ type: [PaymentResponse] })
  data!: PaymentResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

@ApiSchema({ name: 'StatusFigures' })
export class StatusFiguresResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  count!: number;

  @ApiProperty(MINOR_UNITS)
  amountMinor!: string;
}

@ApiSchema({ name: 'FiguresByStatus' })
export class FiguresByStatusResponse {
  @ApiProperty({ type: StatusFiguresResponse })
  SETTLED!: StatusFiguresResponse;

  @ApiProperty({ type: StatusFiguresResponse })
  CLEARING!: StatusFiguresResponse;

  @ApiProperty({ type: StatusFiguresResponse })
  FAILED!: StatusFiguresResponse;

  @ApiProperty({ type: StatusFiguresResponse })
  REVERSED!: StatusFiguresResponse;
}

@ApiSchema({ name: 'CurrencyFigures' })
export class CurrencyFiguresResponse {
  @ApiProperty({ type: String, nullable: true })
  currency!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  count!: number;

  @ApiProperty(MINOR_UNITS)
  amountMinor!: string;

  @ApiProperty({ type: FiguresByStatusResponse })
  byStatus!: FiguresByStatusResponse;
}

@ApiSchema({ name: 'DailySummary' })
export class DailySummaryResponse {
  @ApiProperty({ type: String, format: 'date', example: '2026-10-08' })
  date!: string;

  @ApiProperty(TIMESTAMP)
  from!: string;

  @ApiProperty(TIMESTAMP)
  to!: string;

  @ApiProperty({ type: [CurrencyFiguresResponse] })
  currencies!: CurrencyFiguresResponse[];
}
