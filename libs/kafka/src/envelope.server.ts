import type { LoggerService } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { decodeEvent, dlqOf, physicalTopic } from '@pt/contracts';
import { isTransientDbError } from '@pt/database';
import { NO_FAULTS, type FaultInjector } from '@pt/faults';
import { withCorrelationId, type ServiceMetrics } from '@pt/observability';
import { Partitioners, type Consumer, type ConsumerCrashEvent, type EachMessagePayload, type IHeaders, type Kafka, type Producer } from 'kafkajs';
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
  /** Crash points for fault tests; none by default. */
  faults?: FaultInjector;
  /** Longest pause between two attempts to rebuild a consumer kafkajs gave up on. */
  maxRestartDelayMs?: number;
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

/** Sleeps up to `ms`, waking early once `stop()` says so. */
async function pause(ms: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!stop() && Date.now() < until) await sleep(Math.min(200, until - Date.now()));
}

/**
 * Nest transport that consumes versioned envelopes from Kafka. Each message is decoded
 * and validated against its contract before any handler sees it; a message that fails
 * validation, or that a handler rejects as permanent, goes to the topic's `.dlq` twin
 * with the reason in its headers, and the partition moves on. Transient failures are
 * retried a bounded number of times in place, then handed back to Kafka for redelivery.
 *
 * kafkajs restarts a consumer by itself after a retriable failure (a lost broker, a
 * rebalance, retries exhausted), but stops it for good after a failure it deems
 * non-retriable, leaving a process that looks alive and consumes nothing. This server
 * then builds a new consumer in the same group, with a growing pause between attempts,
 * for as long as the process runs.
 */
export class EnvelopeServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private closing = false;
  private rebuilding: Promise<void> | null = null;

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
      const { kafka } = this.options;
      this.producer = kafka.producer({ createPartitioner: Partitioners.JavaCompatiblePartitioner, allowAutoTopicCreation: false });
      await this.producer.connect();
      await this.startConsumer();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.rebuilding;
    // Disconnecting the consumer waits for in-flight handlers, so the database is still open for them.
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = null;
    this.producer = null;
  }

  private topics(): string[] {
    return [...this.getHandlers().keys()].map((topic) => physicalTopic(this.options.topicPrefix, topic));
  }

  private async startConsumer(): Promise<void> {
    const { kafka, groupId } = this.options;
    const topics = this.topics();
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 1000 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => this.onCrash(consumer, event.payload));
    await consumer.connect();
    if (topics.length === 0) return;
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
      eachMessage: (payload) => this.handleMessage(payload),
    });
  }

  private onCrash(consumer: Consumer, { error, restart }: ConsumerCrashEvent['payload']): void {
    if (restart || this.closing || consumer !== this.consumer) return;
    this.options.logger.error({ msg: 'Kafka consumer stopped on a non-retriable error; building a new one', groupId: this.options.groupId, err: error }, 'EnvelopeServer');
    // One rebuild at a time; a crash of the consumer a rebuild just made queues another.
    this.rebuilding = (this.rebuilding ?? Promise.resolve()).then(() => this.rebuildConsumer(consumer));
  }

  private async rebuildConsumer(crashed: Consumer): Promise<void> {
    if (crashed !== this.consumer) return;
    const maxDelay = this.options.maxRestartDelayMs ?? 30_000;
    await crashed.disconnect().catch(() => undefined);
    for (let attempt = 1; !this.closing; attempt += 1) {
      await pause(Math.min(1000 * 2 ** (attempt - 1), maxDelay), () => this.closing);
      if (this.closing) return;
      try {
        await this.startConsumer();
        this.options.metrics.consumerRestarts.inc();
        this.options.logger.warn({ msg: 'Kafka consumer rebuilt', groupId: this.options.groupId, attempt }, 'EnvelopeServer');
        return;
      } catch (error) {
        this.options.logger.error({ msg: 'rebuilding the Kafka consumer failed; will try again', attempt, err: error }, 'EnvelopeServer');
        await this.consumer?.disconnect().catch(() => undefined);
      }
    }
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
          (this.options.faults ?? NO_FAULTS).reached('after-commit-before-offset', logical);
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
