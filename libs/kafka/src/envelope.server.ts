import type { LoggerService } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { decodeEvent, dlqOf, physicalTopic } from '@pt/contracts';
import { isTransientDbError } from '@pt/database';
import { withCorrelationId, type ServiceMetrics } from '@pt/observability';
import { Partitioners, type Consumer, type EachMessagePayload, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { PermanentMessageError, type ConsumeOutcome, type InboundEvent } from './event-context.js';

export interface EnvelopeServerOptions {
  kafka: Kafka;
  groupId: string;
  topicPrefix: string;
  metrics: ServiceMetrics;
  logger: LoggerService;
  /** How many partitions are handled at once; by default 6, the most partitions any topic has. */
  partitionsConsumedConcurrently?: number;
  /** In-place retries of a transient failure before the message is handed back to Kafka. */
  transientRetries?: number;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Nest transport that consumes versioned envelopes from Kafka. Each message is decoded
 * and validated against its contract before any handler sees it; a message that fails
 * validation, or that a handler rejects as permanent, goes to the topic's `.dlq` twin
 * with the reason in its headers, and the partition moves on. Transient failures are
 * retried a bounded number of times in place, then handed back to Kafka for redelivery.
 */
export class EnvelopeServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;

  constructor(private readonly options: EnvelopeServerOptions) {
    super();
  }

  on(): void {
    // No transport-level events to subscribe to.
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const { kafka, groupId, topicPrefix } = this.options;
      this.producer = kafka.producer({ createPartitioner: Partitioners.JavaCompatiblePartitioner, allowAutoTopicCreation: false });
      this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 1000 });
      await this.producer.connect();
      await this.consumer.connect();
      const topics = [...this.getHandlers().keys()].map((topic) => physicalTopic(topicPrefix, topic));
      if (topics.length > 0) {
        await this.consumer.subscribe({ topics, fromBeginning: true });
        await this.consumer.run({
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
          eachMessage: (payload) => this.handleMessage(payload),
        });
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    // Disconnecting the consumer waits for in-flight handlers, so the database is still open for them.
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = null;
    this.producer = null;
  }

  private logicalTopic(physical: string): string {
    const prefix = this.options.topicPrefix;
    return prefix && physical.startsWith(`${prefix}.`) ? physical.slice(prefix.length + 1) : physical;
  }

  private async handleMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const logical = this.logicalTopic(topic);
    const { metrics, logger } = this.options;
    const decoded = decodeEvent(logical, message.value);
    if (!decoded.ok) {
      await this.deadLetter(logical, partition, message.offset, message.key, message.value, message.headers, decoded.reason, decoded.detail);
      return;
    }
    const { envelope } = decoded.event;
    const handler = this.getHandlerByPattern(logical);
    if (!handler) {
      logger.warn({ msg: 'no handler for topic', topic: logical }, 'EnvelopeServer');
      return;
    }
    const inbound: InboundEvent = {
      ...decoded.event,
      meta: {
        topic: logical,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        headers: headersToStrings(message.headers),
        envelope,
      },
    };
    const attempts = (this.options.transientRetries ?? 5) + 1;
    await withCorrelationId(envelope.correlationId, async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          let result: unknown = await handler(inbound);
          if (isObservable(result)) result = await lastValueFrom(result, { defaultValue: undefined });
          const outcome = (result as ConsumeOutcome | undefined) ?? 'processed';
          metrics.messagesConsumed.inc({ topic: logical, outcome });
          return;
        } catch (error) {
          if (error instanceof PermanentMessageError) {
            await this.deadLetter(logical, partition, message.offset, message.key, message.value, message.headers, error.reason, error.message);
            return;
          }
          if (!isTransientDbError(error)) {
            logger.error({ msg: 'handler failed permanently; dead-lettering', topic: logical, eventId: envelope.eventId, err: error }, 'EnvelopeServer');
            await this.deadLetter(logical, partition, message.offset, message.key, message.value, message.headers, 'HANDLER_FAILED', (error as Error).message ?? String(error));
            return;
          }
          if (attempt >= attempts) {
            logger.warn({ msg: 'transient failure persists; handing the message back for redelivery', topic: logical, eventId: envelope.eventId, err: error }, 'EnvelopeServer');
            throw error;
          }
          logger.warn({ msg: 'transient failure; retrying', topic: logical, eventId: envelope.eventId, attempt, err: error }, 'EnvelopeServer');
          await sleep(Math.min(200 * 2 ** (attempt - 1), 3000));
          await heartbeat();
        }
      }
    });
  }

  private async deadLetter(
    topic: string,
    partition: number,
    offset: string,
    key: Buffer | null,
    value: Buffer | null,
    headers: IHeaders | undefined,
    reason: string,
    detail: string,
  ): Promise<void> {
    const { metrics, logger, topicPrefix } = this.options;
    await this.producer!.send({
      topic: physicalTopic(topicPrefix, dlqOf(topic)),
      acks: -1,
      messages: [
        {
          key,
          value,
          headers: {
            ...(headers ?? {}),
            'x-dlq-reason': reason,
            'x-dlq-error': detail.slice(0, 2000),
            'x-dlq-source-topic': topic,
            'x-dlq-source-partition': String(partition),
            'x-dlq-source-offset': offset,
            'x-dlq-consumer-group': this.options.groupId,
            'x-dlq-at': new Date().toISOString(),
          },
        },
      ],
    });
    metrics.messagesDeadLettered.inc({ topic, reason });
    metrics.messagesConsumed.inc({ topic, outcome: 'dead_lettered' });
    logger.warn({ msg: 'message dead-lettered', topic, partition, offset, reason, detail: detail.slice(0, 500) }, 'EnvelopeServer');
  }
}
