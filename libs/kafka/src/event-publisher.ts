import { buildEnvelope, physicalTopic, topicOfType, type EventEnvelope } from '@pt/contracts';
import { CORRELATION_HEADER } from '@pt/observability';
import type { KafkaClient, KafkaProducer } from './port.js';

/**
 * Publishes envelopes straight to Kafka, for the upstream systems the simulator plays
 * and for tests. Services publish through their outbox instead.
 */
export class EventPublisher {
  private readonly producer: KafkaProducer;

  constructor(
    kafka: KafkaClient,
    private readonly topicPrefix: string,
  ) {
    this.producer = kafka.producer();
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Publishes one event of a known type, keyed by `key` (the order number). */
  async publish<P extends object>(
    type: string,
    key: string,
    payload: P,
    options: { eventId?: string; correlationId?: string; occurredAt?: Date } = {},
  ): Promise<EventEnvelope<P>> {
    const envelope = buildEnvelope(type, payload, options.correlationId ?? crypto.randomUUID(), options.occurredAt, options.eventId);
    await this.publishRaw(topicOfType(type), key, JSON.stringify(envelope), {
      [CORRELATION_HEADER]: envelope.correlationId,
      'x-event-type': type,
      'x-event-id': envelope.eventId,
    });
    return envelope;
  }

  /** Publishes an arbitrary value (e.g. a malformed one) to a logical topic. */
  async publishRaw(topic: string, key: string | null, value: string | Buffer, headers: Record<string, string> = {}): Promise<void> {
    await this.producer.send([{ topic: physicalTopic(this.topicPrefix, topic), messages: [{ key, value, headers }] }]);
  }
}
