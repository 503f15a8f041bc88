import type { IncidentEntity } from '../incidents/incident.entity.js';

/** Reason codes a buyer is told as they are; any other shows as UNDER_REVIEW. */
const TOLD_TO_BUYER = new Set([
  'REISSUED',
  'ALREADY_DELIVERED',
  'AWAITING_ORDER',
  'AWAITING_CLEARING',
  'CLEARING_FAILED',
  'PAYMENT_REVERSED',
  'CLEARING_STUCK',
  'AMOUNT_MISMATCH',
  'DUPLICATE_PAYMENT',
  'PAID_AFTER_EXPIRY',
  'OUT_OF_STOCK',
]);

/** What a buyer may see of their own ticket: no evidence, no internal notes, no agent. */
export interface TicketView {
  ticketNumber: string;
  type: string;
  orderNumber: string;
  status: string;
  outcome: string | null;
  reasonCode: string | null;
  /**
   * A re-issued or delivered card key can be read with POST /v1/card-keys/reveal: the
   * order is settled, or keys were issued for some of its lines (the rest out of stock).
   */
  cardKeyAvailable: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toTicketView(incident: IncidentEntity): TicketView {
  const reason = incident.reasonCode;
  return {
    ticketNumber: incident.ticketNumber,
    type: incident.incidentType,
    orderNumber: incident.orderNumber,
    status: incident.status,
    outcome: incident.outcome,
    reasonCode: reason === null ? null : TOLD_TO_BUYER.has(reason) ? reason : 'UNDER_REVIEW',
    cardKeyAvailable: incident.reasonCode === 'REISSUED' || incident.reasonCode === 'ALREADY_DELIVERED' || (incident.cardKeyIds ?? []).length > 0,
    createdAt: incident.createdAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
  };
}
