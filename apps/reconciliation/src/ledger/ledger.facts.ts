/** An order as the ledger mirror knows it; part of triage's evidence. */
export interface OrderFacts {
  orderNumber: string;
  accountId: string;
  phoneLast4Hash: string | null;
  merchantId: string;
  sku: string;
  quantity: number;
  amountMinor: string;
  currency: string;
  placedAt: string;
  expiresAt: string | null;
  status: string;
}

/** A payment as the ledger mirror knows it; part of triage's evidence. */
export interface PaymentFacts {
  paymentReference: string;
  channel: string;
  amountMinor: string;
  currency: string;
  paidAt: string;
  isCorrection: boolean;
}

/**
 * A delivered card key of an order as the ledger mirror knows it, with the state the shop
 * or supplier last reported for the key (null: nothing reported). The vault's own state
 * of its keys is added by triage (see DeliveryFacts).
 */
export interface MirroredDelivery {
  deliveryId: string;
  /** The order line the key fills (1..quantity; above it, a surplus key). */
  lineNo: number | null;
  cardKeyRef: string | null;
  source: 'SHOP' | 'REISSUE';
  deliveredAt: string;
  reportedStatus: string | null;
  reportedRedeemedBy: string | null;
}
