import type { IncidentEntity } from './incident.entity.js';

/** What the API shows of an incident. */
export interface IncidentView {
  id: string;
  ticketNumber: string;
  type: string;
  source: string;
  status: string;
  orderNumber: string;
  accountId: string;
  amountMinor: string;
  currency: string;
  paidAt: string;
  channel: string;
  paymentReference: string | null;
  urgent: boolean;
  /** A buyer token vouched for the account when it was reported. */
  buyerVerified: boolean;
  channelClientId: string | null;
  decision: null | {
    outcome: string | null;
    reasonCode: string | null;
    explanation: string | null;
    decisionId: string | null;
    /** The first of cardKeyIds, or null. */
    cardKeyId: string | null;
    /** Every card key issued for the incident, one per order line (ids only, never secrets). */
    cardKeyIds: string[];
    decidedAt: string | null;
  };
  priority: string;
  merchantId: string | null;
  assigneeId: string | null;
  needsSupervisor: boolean;
  resolutionCode: string | null;
  sla: {
    firstResponseDueAt: string | null;
    resolutionDueAt: string | null;
    firstRespondedAt: string | null;
    resolvedAt: string | null;
    paused: boolean;
    breachedFirstResponse: boolean;
    breachedResolution: boolean;
  };
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toIncidentView(incident: IncidentEntity): IncidentView {
  return {
    id: incident.id,
    ticketNumber: incident.ticketNumber,
    type: incident.incidentType,
    source: incident.source,
    status: incident.status,
    orderNumber: incident.orderNumber,
    accountId: incident.accountId,
    amountMinor: incident.amountMinor,
    currency: incident.currency,
    paidAt: incident.paidAt.toISOString(),
    channel: incident.channel,
    paymentReference: incident.paymentReference,
    urgent: incident.urgent,
    buyerVerified: incident.buyerVerified,
    channelClientId: incident.channelClientId,
    // An incident escalated as TRIAGE_STALLED by intake has an outcome but maybe no decision id.
    decision:
      incident.decisionId || incident.outcome
        ? {
            outcome: incident.outcome,
            reasonCode: incident.reasonCode,
            explanation: incident.explanation,
            decisionId: incident.decisionId,
            cardKeyId: incident.cardKeyId,
            cardKeyIds: incident.cardKeyIds ?? [],
            decidedAt: incident.triagedAt?.toISOString() ?? null,
          }
        : null,
    priority: incident.priority,
    merchantId: incident.merchantId,
    assigneeId: incident.assigneeId,
    needsSupervisor: incident.needsSupervisor,
    resolutionCode: incident.resolutionCode,
    sla: {
      firstResponseDueAt: iso(incident.firstResponseDueAt),
      resolutionDueAt: iso(incident.resolutionDueAt),
      firstRespondedAt: iso(incident.firstRespondedAt),
      resolvedAt: iso(incident.resolvedAt),
      paused: incident.slaPausedSince !== null,
      breachedFirstResponse: incident.slaBreachedFirstResponse,
      breachedResolution: incident.slaBreachedResolution,
    },
    createdAt: incident.createdAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
  };
}
