import {
  CLEARING_EVENT_TYPE,
  INCIDENT_ACTION_TYPES,
  INCIDENT_REPORTED_TYPE,
  INCIDENT_TRIAGED_TYPE,
  LEDGER_EVENT_TYPES,
  SETTLEMENT_EVENT_TYPES,
  TOPICS,
} from '@pt/contracts';

/** A message no consumer can apply, and the reason its DLQ copy must carry. */
export interface PoisonMessage {
  topic: string;
  key: string;
  value: string;
  /** Acceptable `x-dlq-reason` values. */
  reasons: string[];
  label: string;
}

function envelope(type: string, payload: object, schemaVersion = 1): Record<string, unknown> {
  return { eventId: crypto.randomUUID(), type, schemaVersion, occurredAt: new Date().toISOString(), correlationId: `poison-${crypto.randomUUID()}`, payload };
}

/** A payload of each consumed topic that passes the contract, used as the base of the bad ones. */
function validPayload(topic: string, key: string): { type: string; payload: Record<string, unknown> } {
  const now = new Date().toISOString();
  switch (topic) {
    case TOPICS.ledgerEvents:
      return {
        type: LEDGER_EVENT_TYPES.orderPlaced,
        payload: {
          orderNumber: key,
          accountId: 'acct-poison',
          merchantId: '3f0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f',
          sku: 'SKU-POISON',
          quantity: 1,
          amountMinor: '600',
          currency: 'CNY',
          placedAt: now,
        },
      };
    case TOPICS.clearingEvents:
      return {
        type: CLEARING_EVENT_TYPE,
        payload: {
          paymentReference: `PAY-${key}`,
          orderNumber: key,
          channel: 'wechat',
          status: 'CLEARED',
          amountMinor: '600',
          currency: 'CNY',
          version: 1,
          statusAt: now,
        },
      };
    case TOPICS.settlementEvents:
      return {
        type: SETTLEMENT_EVENT_TYPES.batchPaid,
        payload: {
          batchId: key,
          merchantId: '3f0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f',
          payments: [{ paymentReference: `PAY-${key}`, amountMinor: '600' }],
          amountMinor: '600',
          feeMinor: '0',
          currency: 'CNY',
          destinationAccountMasked: '****6789',
          paidAt: now,
        },
      };
    case TOPICS.incidentReported:
      return {
        type: INCIDENT_REPORTED_TYPE,
        payload: {
          incidentId: crypto.randomUUID(),
          ticketNumber: 'PT-20260101-999999',
          incidentType: 'PAID_NOT_CREDITED',
          source: 'BUYER',
          orderNumber: key,
          accountId: 'acct-poison',
          amountMinor: '600',
          currency: 'CNY',
          paidAt: now,
          channel: 'wechat',
          urgent: false,
          reportedAt: now,
        },
      };
    case TOPICS.incidentCommands:
      return {
        type: INCIDENT_ACTION_TYPES.recheckRequested,
        payload: { incidentId: crypto.randomUUID(), orderNumber: key, requestedBy: crypto.randomUUID(), reason: 'poison', requestedAt: now },
      };
    case TOPICS.incidentTriaged:
      return {
        type: INCIDENT_TRIAGED_TYPE,
        payload: {
          incidentId: crypto.randomUUID(),
          decisionId: crypto.randomUUID(),
          orderNumber: key,
          outcome: 'ESCALATED',
          reasonCode: 'ORDER_NOT_FOUND',
          explanation: 'poison',
          ruleVersion: 'poison',
          decidedAt: now,
        },
      };
    default:
      throw new Error(`no poison recipe for ${topic}`);
  }
}

/** Values the contract forbids although they look like data: a negative amount, a made-up status. */
function impossibleValues(topic: string, payload: Record<string, unknown>): Record<string, unknown> {
  switch (topic) {
    case TOPICS.ledgerEvents:
    case TOPICS.incidentReported:
      return { ...payload, amountMinor: '-600' };
    case TOPICS.clearingEvents:
      return { ...payload, status: 'PAID_TWICE', amountMinor: '-1' };
    case TOPICS.settlementEvents:
      return { ...payload, currency: 'yuan' };
    case TOPICS.incidentTriaged:
      return { ...payload, outcome: 'DELIVERED_BY_MAGIC' };
    case TOPICS.incidentCommands:
      return { ...payload, requestedBy: 'nobody' };
    default:
      return payload;
  }
}

/**
 * Values the contract lets through but that the consumer cannot apply: a quantity or a
 * version beyond the database's integer range, a batch that lists a payment twice.
 */
function unapplicable(topic: string, payload: Record<string, unknown>): { payload: Record<string, unknown>; reasons: string[] } | null {
  switch (topic) {
    case TOPICS.ledgerEvents:
      return { payload: { ...payload, quantity: 2 ** 40 }, reasons: ['HANDLER_FAILED'] };
    case TOPICS.clearingEvents:
      return { payload: { ...payload, version: 1e20 }, reasons: ['HANDLER_FAILED'] };
    case TOPICS.settlementEvents: {
      const payments = payload.payments as object[];
      return { payload: { ...payload, payments: [...payments, ...payments], amountMinor: '1200' }, reasons: ['INVALID_PAYLOAD'] };
    }
    default:
      return null;
  }
}

/** The poison messages for one consumed topic, all keyed `key` (so they share its partition). */
export function poisonMessagesFor(topic: string, key: string): PoisonMessage[] {
  const { type, payload } = validPayload(topic, key);
  const out: PoisonMessage[] = [
    { topic, key, value: `{"eventId": "${crypto.randomUUID()}", "type": "cut off here`, reasons: ['MALFORMED_JSON'], label: 'malformed JSON' },
    { topic, key, value: JSON.stringify(envelope(type, payload, 2)), reasons: ['UNSUPPORTED_SCHEMA_VERSION'], label: 'schema version 2' },
    { topic, key, value: JSON.stringify(envelope(type, impossibleValues(topic, payload))), reasons: ['INVALID_PAYLOAD'], label: 'impossible values' },
  ];
  const bad = unapplicable(topic, payload);
  if (bad) out.push({ topic, key, value: JSON.stringify(envelope(type, bad.payload)), reasons: bad.reasons, label: 'valid but unapplicable' });
  return out;
}

/** Every topic a service consumes, as the poison tests and the soak need them. */
export const CONSUMED_TOPICS: Record<'intake' | 'reconciliation' | 'settlement', string[]> = {
  intake: [TOPICS.incidentTriaged],
  reconciliation: [TOPICS.ledgerEvents, TOPICS.clearingEvents, TOPICS.incidentReported, TOPICS.incidentCommands],
  settlement: [TOPICS.clearingEvents, TOPICS.settlementEvents],
};
