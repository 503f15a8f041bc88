import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsNotEmpty, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CURRENCY_PATTERN, IsMinorUnits } from '../money.js';

export const SETTLEMENT_EVENT_TYPES = {
  batchPaid: 'settlement.batch-paid',
  batchFailed: 'settlement.batch-failed',
} as const;

/** One payment inside a settlement batch. */
export class SettledPaymentV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  paymentReference!: string;

  @IsMinorUnits()
  amountMinor!: string;
}

/** A settlement batch was paid out to a merchant's bank account. */
export class SettlementBatchPaidV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  batchId!: string;

  @IsUUID()
  merchantId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => SettledPaymentV1)
  payments!: SettledPaymentV1[];

  /** Gross amount of the payments in the batch. */
  @IsMinorUnits()
  amountMinor!: string;

  @IsMinorUnits()
  feeMinor!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  /** The destination account, already masked by the payer (e.g. "****6789"). */
  @Matches(/^\*{2,}[0-9A-Za-z]{2,6}$/, { message: 'destinationAccountMasked must be masked, e.g. ****6789' })
  destinationAccountMasked!: string;

  @IsISO8601({ strict: true })
  paidAt!: string;
}

/** A settlement batch could not be paid out. */
export class SettlementBatchFailedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  batchId!: string;

  @IsUUID()
  merchantId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => SettledPaymentV1)
  payments!: SettledPaymentV1[];

  /** e.g. MERCHANT_ACCOUNT_INVALID, MERCHANT_ACCOUNT_FROZEN, BANK_REJECTED, COMPLIANCE_HOLD. */
  @Matches(/^[A-Z][A-Z0-9_]{2,63}$/)
  failureCode!: string;

  @IsISO8601({ strict: true })
  failedAt!: string;
}
