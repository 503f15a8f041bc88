import type { ClearingStatus, IncidentType } from '@pt/contracts';

/** Limits in force when a decision is made; frozen into its evidence. */
export interface TriageLimits {
  waitingWindowMinutes: number;
  clearingStuckAfterMinutes: number;
  autoIssueCapMinor: string;
  velocityLimit: number;
  velocityWindowHours: number;
}

export interface ReportFacts {
  incidentId: string;
  incidentType: IncidentType;
  accountId: string;
  phoneLast4Hash: string | null;
  amountMinor: string;
  currency: string;
  paymentReference: string | null;
  firstReportedAt: string;
}

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

export interface PaymentFacts {
  paymentReference: string;
  channel: string;
  amountMinor: string;
  currency: string;
  paidAt: string;
  isCorrection: boolean;
}

export interface ClearingFacts {
  paymentReference: string;
  channel: string;
  status: ClearingStatus;
  failureCode: string | null;
  amountMinor: string;
  currency: string;
  version: number;
  statusAt: string;
}

export type DeliveredKeyState = 'VALID' | 'REDEEMED' | 'REVOKED' | 'EXPIRED';

export interface DeliveryFacts {
  deliveryId: string;
  cardKeyRef: string;
  source: 'SHOP' | 'REISSUE';
  deliveredAt: string;
  keyState: DeliveredKeyState;
}

/** Everything triage looks at, frozen with the decision so it can be explained and replayed. */
export interface Evidence {
  now: string;
  report: ReportFacts;
  order: OrderFacts | null;
  payments: PaymentFacts[];
  clearing: ClearingFacts[];
  deliveries: DeliveryFacts[];
  issuanceCauses: string[];
  stockAvailable: number;
  accountReissuesInWindow: number;
  limits: TriageLimits;
}
