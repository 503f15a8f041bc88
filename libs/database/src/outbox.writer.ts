import { buildEnvelope, topicOfType } from '@pt/contracts';
import type { EntityManager } from 'typeorm';
import { OutboxEntity } from './outbox.entity.js';

/**
 * Adds an event to the outbox inside the caller's transaction. The relay publishes it
 * after commit; if the transaction rolls back, the event never existed.
 */
export async function enqueueEvent(manager: EntityManager, type: string, messageKey: string, payload: object, correlationId: string): Promise<string> {
  const envelope = buildEnvelope(type, payload, correlationId);
  await manager.insert(OutboxEntity, {
    eventId: envelope.eventId,
    topic: topicOfType(type),
    messageKey,
    type,
    envelope: envelope as never,
  });
  return envelope.eventId;
}
