import type { ClassConstructor } from 'class-transformer';
import { ACCESS_EVENT_TYPES, AgentAccessChangedV1, AgentSessionRevokedV1 } from './access/access-events.js';
import { CardKeyReissuedV1, CARDKEY_REISSUED_TYPE } from './cardkey/cardkey-reissued.js';
import { ClearingStatusChangedV1, CLEARING_EVENT_TYPE } from './clearing/clearing-event.js';
import { EventEnvelope } from './envelope.js';
import { ChannelClientKeyChangedV1, CHANNEL_CLIENT_KEY_CHANGED_TYPE } from './access/channel-client-events.js';
import {
  IncidentDiscoveredV1,
  INCIDENT_DISCOVERED_TYPE,
  SecurityAlertRaisedV1,
  SECURITY_ALERT_RAISED_TYPE,
  SystemicIncidentDiscoveredV1,
  SYSTEMIC_INCIDENT_DISCOVERED_TYPE,
} from './incident/incident-discovered.js';
import { IncidentReportedV1, INCIDENT_REPORTED_TYPE } from './incident/incident-reported.js';
import { IncidentTriagedV1, INCIDENT_TRIAGED_TYPE } from './incident/incident-triaged.js';
import {
  INCIDENT_ACTION_TYPES,
  IncidentActionCompletedV1,
  IncidentForceReissueRequestedV1,
  IncidentRecheckRequestedV1,
  IncidentSlaBreachedV1,
} from './incident/incident-actions.js';
import {
  CardKeyDeliveredV1,
  CardKeyStatusChangedV1,
  DeliveryFailedV1,
  LEDGER_EVENT_TYPES,
  OrderExpiredV1,
  OrderPlacedV1,
  OrderRefundedV1,
  PaymentCorrectedV1,
  PaymentRecordedV1,
} from './ledger/ledger-events.js';
import { SETTLEMENT_EVENT_TYPES, SettlementBatchFailedV1, SettlementBatchPaidV1 } from './settlement/settlement-events.js';
import { TOPICS, type TopicName } from './topics.js';
import { describeProblems, validateAs } from './validation.js';

interface ContractEntry {
  topic: TopicName;
  schemaVersion: number;
  payload: ClassConstructor<object>;
  /**
   * Topics the type used to travel on and is still accepted from during a rolling
   * upgrade (producers publish on `topic` only). Dropped one release after the move.
   */
  formerTopics?: TopicName[];
}

/** Every event type the suite knows, with its topic, schema version and payload class. */
export const CONTRACTS: Record<string, ContractEntry> = {
  [LEDGER_EVENT_TYPES.orderPlaced]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: OrderPlacedV1 },
  [LEDGER_EVENT_TYPES.paymentRecorded]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: PaymentRecordedV1 },
  [LEDGER_EVENT_TYPES.cardKeyDelivered]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: CardKeyDeliveredV1 },
  [LEDGER_EVENT_TYPES.deliveryFailed]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: DeliveryFailedV1 },
  [LEDGER_EVENT_TYPES.orderExpired]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: OrderExpiredV1 },
  [LEDGER_EVENT_TYPES.orderRefunded]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: OrderRefundedV1 },
  [LEDGER_EVENT_TYPES.paymentCorrected]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: PaymentCorrectedV1 },
  [LEDGER_EVENT_TYPES.cardKeyStatusChanged]: { topic: TOPICS.ledgerEvents, schemaVersion: 1, payload: CardKeyStatusChangedV1 },
  [SETTLEMENT_EVENT_TYPES.batchPaid]: { topic: TOPICS.settlementEvents, schemaVersion: 1, payload: SettlementBatchPaidV1 },
  [SETTLEMENT_EVENT_TYPES.batchFailed]: { topic: TOPICS.settlementEvents, schemaVersion: 1, payload: SettlementBatchFailedV1 },
  [CLEARING_EVENT_TYPE]: { topic: TOPICS.clearingEvents, schemaVersion: 1, payload: ClearingStatusChangedV1 },
  [INCIDENT_REPORTED_TYPE]: { topic: TOPICS.incidentReported, schemaVersion: 1, payload: IncidentReportedV1 },
  [INCIDENT_DISCOVERED_TYPE]: { topic: TOPICS.incidentDiscovered, schemaVersion: 1, payload: IncidentDiscoveredV1 },
  [SYSTEMIC_INCIDENT_DISCOVERED_TYPE]: { topic: TOPICS.incidentDiscovered, schemaVersion: 1, payload: SystemicIncidentDiscoveredV1 },
  [SECURITY_ALERT_RAISED_TYPE]: { topic: TOPICS.incidentDiscovered, schemaVersion: 1, payload: SecurityAlertRaisedV1 },
  [CHANNEL_CLIENT_KEY_CHANGED_TYPE]: { topic: TOPICS.accessEvents, schemaVersion: 1, payload: ChannelClientKeyChangedV1 },
  [INCIDENT_TRIAGED_TYPE]: { topic: TOPICS.incidentTriaged, schemaVersion: 1, payload: IncidentTriagedV1 },
  [INCIDENT_ACTION_TYPES.recheckRequested]: {
    topic: TOPICS.incidentCommands,
    schemaVersion: 1,
    payload: IncidentRecheckRequestedV1,
    formerTopics: [TOPICS.incidentReported],
  },
  [INCIDENT_ACTION_TYPES.forceReissueRequested]: {
    topic: TOPICS.incidentCommands,
    schemaVersion: 1,
    payload: IncidentForceReissueRequestedV1,
    formerTopics: [TOPICS.incidentReported],
  },
  [INCIDENT_ACTION_TYPES.actionCompleted]: { topic: TOPICS.incidentTriaged, schemaVersion: 1, payload: IncidentActionCompletedV1 },
  [INCIDENT_ACTION_TYPES.slaBreached]: { topic: TOPICS.incidentSlaBreached, schemaVersion: 1, payload: IncidentSlaBreachedV1 },
  [CARDKEY_REISSUED_TYPE]: { topic: TOPICS.cardKeyReissued, schemaVersion: 1, payload: CardKeyReissuedV1 },
  [ACCESS_EVENT_TYPES.agentSessionRevoked]: { topic: TOPICS.accessEvents, schemaVersion: 1, payload: AgentSessionRevokedV1 },
  [ACCESS_EVENT_TYPES.agentDisabled]: { topic: TOPICS.accessEvents, schemaVersion: 1, payload: AgentAccessChangedV1 },
  [ACCESS_EVENT_TYPES.agentEnabled]: { topic: TOPICS.accessEvents, schemaVersion: 1, payload: AgentAccessChangedV1 },
  [ACCESS_EVENT_TYPES.agentRoleChanged]: { topic: TOPICS.accessEvents, schemaVersion: 1, payload: AgentAccessChangedV1 },
};

/** A decoded, validated message. */
export interface ValidEvent<P = object> {
  envelope: EventEnvelope<P>;
  payload: P;
}

export type DecodeResult =
  | { ok: true; event: ValidEvent }
  | {
      ok: false;
      reason: 'MALFORMED_JSON' | 'INVALID_ENVELOPE' | 'UNKNOWN_TYPE' | 'WRONG_TOPIC' | 'UNSUPPORTED_SCHEMA_VERSION' | 'INVALID_PAYLOAD';
      detail: string;
    };

/**
 * Decodes and validates a raw Kafka message value against the contract of its type.
 * `topic` is the logical topic it arrived on; an event of another topic's type is rejected.
 */
export function decodeEvent(topic: string, raw: Buffer | string | null): DecodeResult {
  if (raw === null || raw.length === 0) return { ok: false, reason: 'MALFORMED_JSON', detail: 'empty message value' };
  let plain: unknown;
  try {
    plain = JSON.parse(raw.toString());
  } catch (error) {
    return { ok: false, reason: 'MALFORMED_JSON', detail: (error as Error).message };
  }
  const envelope = validateAs(EventEnvelope, plain);
  if (!envelope.value) return { ok: false, reason: 'INVALID_ENVELOPE', detail: describeProblems(envelope.problems) };
  const contract = CONTRACTS[envelope.value.type];
  if (!contract) return { ok: false, reason: 'UNKNOWN_TYPE', detail: `type: unknown event type "${envelope.value.type}"` };
  if (contract.topic !== topic && !contract.formerTopics?.includes(topic as TopicName)) {
    return { ok: false, reason: 'WRONG_TOPIC', detail: `type: "${envelope.value.type}" does not belong on ${topic}` };
  }
  if (envelope.value.schemaVersion !== contract.schemaVersion) {
    return {
      ok: false,
      reason: 'UNSUPPORTED_SCHEMA_VERSION',
      detail: `schemaVersion: ${envelope.value.schemaVersion} is not supported for ${envelope.value.type} (expected ${contract.schemaVersion})`,
    };
  }
  const payload = validateAs(contract.payload, envelope.value.payload, 'payload');
  if (!payload.value) return { ok: false, reason: 'INVALID_PAYLOAD', detail: describeProblems(payload.problems) };
  return { ok: true, event: { envelope: envelope.value, payload: payload.value } };
}

/** Builds a fresh envelope for an event of a known type. */
export function buildEnvelope<P extends object>(
  type: string,
  payload: P,
  correlationId: string,
  occurredAt: Date = new Date(),
  eventId: string = crypto.randomUUID(),
): EventEnvelope<P> {
  const contract = CONTRACTS[type];
  if (!contract) throw new Error(`unknown event type ${type}`);
  return {
    eventId,
    type,
    schemaVersion: contract.schemaVersion,
    occurredAt: occurredAt.toISOString(),
    correlationId,
    payload,
  };
}

/** The topic an event type belongs on. */
export function topicOfType(type: string): TopicName {
  const contract = CONTRACTS[type];
  if (!contract) throw new Error(`unknown event type ${type}`);
  return contract.topic;
}
