import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { CURRENCY_PATTERN, IsMinorUnits } from '../money.js';

export const LEDGER_EVENT_TYPES = {
  orderPlaced: 'ledger.order-placed',
  paymentRecorded: 'ledger.payment-recorded',
  cardKeyDelivered: 'ledger.card-key-delivered',
  deliveryFailed: 'ledger.delivery-failed',
  orderExpired: 'ledger.order-expired',
  orderRefunded: 'ledger.order-refunded',
  paymentCorrected: 'ledger.payment-corrected',
  cardKeyStatusChanged: 'ledger.card-key-status-changed',
} as const;

/** An order was placed by a buyer. */
export class OrderPlacedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  accountId!: string;

  /** SHA-256 hex of the buyer's phone last four digits; the digits themselves never travel. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  phoneLast4Hash?: string;

  @IsUUID()
  merchantId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;

  @IsMinorUnits()
  amountMinor!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @IsISO8601({ strict: true })
  placedAt!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

/** The shop's payment callback was received and recorded. */
export class PaymentRecordedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  paymentReference!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  channel!: string;

  @IsMinorUnits()
  amountMinor!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @IsISO8601({ strict: true })
  paidAt!: string;
}

/** A card key was handed to the buyer. Carries the key's id, never its secret. */
export class CardKeyDeliveredV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  cardKeyRef!: string;

  @IsISO8601({ strict: true })
  deliveredAt!: string;
}

export class DeliveryFailedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsIn(['OUT_OF_STOCK', 'SUPPLIER_ERROR', 'TIMEOUT', 'OTHER'])
  reason!: string;

  @IsISO8601({ strict: true })
  failedAt!: string;
}

export class OrderExpiredV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsISO8601({ strict: true })
  expiredAt!: string;
}

export class OrderRefundedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsMinorUnits()
  amountMinor!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @IsISO8601({ strict: true })
  refundedAt!: string;
}

/**
 * Published by reconciliation when it repairs the ledger: a payment the bank cleared
 * but whose callback never reached the shop is recorded as a correction.
 */
export class PaymentCorrectedV1 extends PaymentRecordedV1 {
  @IsUUID()
  incidentId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason!: string;
}

/**
 * The shop or the key's supplier learned something about a delivered card key: it was
 * redeemed (possibly by someone else), revoked by the supplier, or expired.
 */
export class CardKeyStatusChangedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  cardKeyRef!: string;

  @IsIn(['REDEEMED', 'REVOKED', 'EXPIRED'])
  status!: 'REDEEMED' | 'REVOKED' | 'EXPIRED';

  /** The account that redeemed the key, when the supplier says. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  redeemedByAccountId?: string;

  @IsISO8601({ strict: true })
  at!: string;
}
