import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { CURRENCY_PATTERN, IsMinorUnits } from '../money.js';

export const CLEARING_EVENT_TYPE = 'clearing.status-changed';

export const CLEARING_STATUSES = ['CLEARING', 'CLEARED', 'FAILED', 'REVERSED'] as const;
export type ClearingStatus = (typeof CLEARING_STATUSES)[number];

/** What the bank or payment channel says happened to one payment. */
export class ClearingStatusChangedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  paymentReference!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  channel!: string;

  @IsIn(CLEARING_STATUSES)
  status!: ClearingStatus;

  @ValidateIf((o: ClearingStatusChangedV1) => o.status === 'FAILED')
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  failureCode?: string;

  @IsMinorUnits()
  amountMinor!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  /** Monotonic per payment: a lower version never overwrites a higher one. */
  @IsInt()
  @Min(0)
  version!: number;

  @IsISO8601({ strict: true })
  statusAt!: string;

  @IsOptional()
  @IsUUID()
  merchantId?: string;
}
