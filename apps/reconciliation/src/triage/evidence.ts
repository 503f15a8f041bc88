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
  /** The order line the key fills; absent from evidence stored before lines (see placeDeliveries). */
  lineNo?: number | null;
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
  /** The issuances already made for the order, one per line and cause; absent from evidence stored before lines. */
  issuances?: IssuanceFacts[];
  /** The order's lines as the table reads them (orderLines of the order and deliveries); absent before lines. */
  lines?: OrderLines;
  stockAvailable: number;
  accountReissuesInWindow: number;
  limits: TriageLimits;
}

/** One issuance already made for an order: which line, why, which key. */
export interface IssuanceFacts {
  lineNo: number;
  cause: string;
  issuanceId: string;
  cardKeyId: string;
}

/** The lines of an order: one per unit, each owed one card key. */
export interface OrderLines {
  quantity: number;
  /** Lines (1..quantity) a valid delivered key fills (its own, or a surplus key standing in). */
  covered: number[];
  /** Lines (1..quantity) no valid delivered key fills: each is owed a card key. */
  owed: number[];
  /** Delivered keys on lines above the quantity: the shop sent more keys than units ordered. */
  surplusKeys: number;
}

/**
 * Each delivery with the line it fills. A delivery recorded before lines existed has none:
 * it takes the lowest line no other delivery holds, in the order they came, as the
 * migration that added lines did.
 */
export function placeDeliveries(deliveries: DeliveryFacts[]): { delivery: DeliveryFacts; lineNo: number }[] {
  const held = new Set(deliveries.flatMap((d) => (typeof d.lineNo === 'number' ? [d.lineNo] : [])));
  return deliveries.map((delivery) => {
    if (typeof delivery.lineNo === 'number') return { delivery, lineNo: delivery.lineNo };
    let line = 1;
    while (held.has(line)) line += 1;
    held.add(line);
    return { delivery, lineNo: line };
  });
}

/**
 * Which of the order's lines a valid delivered key fills and which are owed, lowest first.
 * A valid key the shop sent beyond the quantity (a surplus line) fills the lowest line
 * left unfilled: the buyer holds it.
 */
export function orderLines(quantity: number, deliveries: DeliveryFacts[]): OrderLines {
  const units = Math.max(1, quantity);
  const placed = placeDeliveries(deliveries);
  const filled = new Set(placed.filter((p) => p.delivery.keyState === 'VALID').map((p) => p.lineNo));
  let spare = placed.filter((p) => p.delivery.keyState === 'VALID' && p.lineNo > units).length;
  const covered: number[] = [];
  const owed: number[] = [];
  for (let line = 1; line <= units; line += 1) {
    if (filled.has(line)) covered.push(line);
    else if (spare > 0) {
      spare -= 1;
      covered.push(line);
    } else owed.push(line);
  }
  return { quantity: units, covered, owed, surplusKeys: placed.filter((p) => p.lineNo > units).length };
}
