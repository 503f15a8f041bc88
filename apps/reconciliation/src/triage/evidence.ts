import type { CurrencyAmounts, IncidentReportedV1, IncidentType } from '@pt/contracts';
import type { ClearingFacts } from '../clearing/clearing.facts.js';
import type { OrderFacts, PaymentFacts } from '../ledger/ledger.facts.js';

export type { ClearingFacts, OrderFacts, PaymentFacts };

/** Limits in force when a decision is made; frozen into its evidence. */
export interface TriageLimits {
  /**
   * How long a report of an order the ledger does not know waits for it before
   * ORDER_NOT_FOUND; absent from evidence stored before the wait existed (no wait).
   */
  orderWaitMinutes?: number;
  waitingWindowMinutes: number;
  clearingStuckAfterMinutes: number;
  /** Auto-issue cap per currency, in minor units; a currency without a cap is never auto-issued. */
  autoIssueCapsMinor: CurrencyAmounts;
  /** Minutes after the order's expiry within which a payment is still re-issued like any other. */
  paidAfterExpiryGraceMinutes: number;
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

/** What the table reads of a report, as stored with the incident. */
export function reportFacts(
  report: Pick<IncidentReportedV1, 'incidentId' | 'incidentType' | 'accountId' | 'phoneLast4Hash' | 'amountMinor' | 'currency' | 'paymentReference'>,
  firstReportedAt: string,
): ReportFacts {
  return {
    incidentId: report.incidentId,
    incidentType: report.incidentType,
    accountId: report.accountId,
    phoneLast4Hash: report.phoneLast4Hash ?? null,
    amountMinor: report.amountMinor,
    currency: report.currency,
    paymentReference: report.paymentReference ?? null,
    firstReportedAt,
  };
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
