import type { LoggerService } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { decodeEvent, dlqOf, physicalTopic } from '@pt/contracts';
import { isTransientDbError } from '@pt/database';
import { NO_FAULTS, type FaultInjector } from '@pt/faults';
import { withCorrelationId, type ServiceMetrics } from '@pt/observability';
import { isObservable, lastValueFrom } from 'rxjs';
import { PermanentMessageError, type ConsumeOutcome, type InboundEvent } from './event-context.js';
import type { CommitPosition, KafkaClient, KafkaConsumer, KafkaProducer, MessageContext } from './port.js';

export interface EnvelopeServerOptions {
  kafka: KafkaClient;
  groupId: string;
  topicPrefix: string;
  metrics: ServiceMetrics;
  logger: LoggerService;
  /** How many partitions are handled at once; by default 6, the most partitions any topic has. */
  partitionsConsumedConcurrently?: number;
  /** In-place retries of a transient failure before the message is handed back to Kafka. */
  transientRetries?: number;
  /**
   * Pauses before each retry of a message whose handler failed with anything but a
   * transient database error; once they are used up the message is dead-lettered. By
   * default 5 s, 15 s, 40 s, 120 s: five attempts spread over three minutes.
   */
  retryDelaysMs?: readonly number[];
  /** Crash points for fault tests; none by default. */
  faults?: FaultInjector;
  /** Longest pause between two attempts to rebuild a consumer the client gave up on. */
  maxRestartDelayMs?: number;
}

function headersToStrings(headers: Record<string, Buffer>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key] = value.toString();
  return out;
}

/** Five attempts over three minutes before a failing message is dead-lettered. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5_000, 15_000, 40_000, 120_000];

/** A message whose handler failed and that waits for its next attempt. */
interface PendingRetry {
  attempts: number;
  dueAt: number;
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
 * Any other handler failure is retried later, on a back-off schedule (`retryDelaysMs`):
 * the partition is paused and rewound to the message, so the consumer keeps heartbeating
 * and its other partitions keep moving; once the schedule is used up the message is
 * dead-lettered with the error and the number of attempts in its headers.
 *
 * Offsets are committed by this server, never by the client on its own, and only for a
 * message whose handler returned (its transaction committed) or that was dead-lettered.
 *
 * The client restarts a consumer by itself after a retriable failure (a lost broker, a
 * rebalance, retries exhausted), but stops it for good after a failure it deems
 * non-retriable, leaving a process that looks alive and consumes nothing. This server
 * then builds a new consumer in the same group, with a growing pause between attempts,
 * for as long as the process runs.
 */
export class EnvelopeServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  private consumer: KafkaConsumer | null = null;
  private producer: KafkaProducer | null = null;
  private closing = false;
  private rebuilding: Promise<void> | null = null;
  /** Failed messages waiting for their next attempt, by topic, partition and offset. */
  private readonly pendingRetries = new Map<string, PendingRetry>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  /** Next offset to commit per partition, for messages already handled. */
  private readonly committable = new Map<string, CommitPosition>();
  private committing: Promise<void> | null = null;
  private commitAgain = false;
  private readonly inFlight = new Map<string, number>();

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
      this.producer = kafka.producer();
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
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    if (this.consumer) await this.flushCommits(this.consumer);
    // Disconnecting the consumer waits for in-flight handlers, so the database is still open for them.
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = null;
    this.producer = null;
  }

  /**
   * Messages being handled right now, by logical topic (e.g. `incident.reported.v1 x2`):
   * what an orderly stop still waits for.
   */
  handlersInFlight(): string[] {
    return [...this.inFlight].filter(([, n]) => n > 0).map(([topic, n]) => `${topic} x${n}`);
  }

  private async track(topic: string, work: () => Promise<void>): Promise<void> {
    const logical = this.logicalTopic(topic);
    this.inFlight.set(logical, (this.inFlight.get(logical) ?? 0) + 1);
    try {
      await work();
    } finally {
      this.inFlight.set(logical, (this.inFlight.get(logical) ?? 1) - 1);
    }
  }

  private topics(): string[] {
    return [...this.getHandlers().keys()].map((topic) => physicalTopic(this.options.topicPrefix, topic));
  }

  private async startConsumer(): Promise<void> {
    const { kafka, groupId } = this.options;
    const topics = this.topics();
    const consumer = kafka.consumer({ groupId, sessionTimeoutMs: 10000, heartbeatIntervalMs: 1000 });
    this.consumer = consumer;
    consumer.onCrash((error, restarting) => this.onCrash(consumer, error, restarting));
    // After a rebalance the partitions may belong to another member: drop what was not committed
    // (it is redelivered, and the inbox skips it).
    consumer.onGroupJoin(() => this.committable.clear());
    await consumer.connect();
    if (topics.length === 0) return;
    await consumer.subscribe(topics, true);
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
      eachMessage: (context) => this.track(context.message.topic, () => this.handleMessage(consumer, context)),
    });
  }

  private onCrash(consumer: KafkaConsumer, error: unknown, restarting: boolean): void {
    if (restarting || this.closing || consumer !== this.consumer) return;
    this.options.logger.error(
      { msg: 'Kafka consumer stopped on a non-retriable error; building a new one', groupId: this.options.groupId, err: error },
      'EnvelopeServer',
    );
    // One rebuild at a time; a crash of the consumer a rebuild just made queues another.
    this.rebuilding = (this.rebuilding ?? Promise.resolve()).then(() => this.rebuildConsumer(consumer));
  }

  private async rebuildConsumer(crashed: KafkaConsumer): Promise<void> {
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

  private async handleMessage(consumer: KafkaConsumer, context: MessageContext): Promise<void> {
    const { message } = context;
    const { topic, partition } = message;
    const retryKey = `${topic}|${partition}|${message.offset}`;
    const pending = this.pendingRetries.get(retryKey);
    if (pending && pending.dueAt > Date.now()) {
      // Redelivered before its time (the consumer restarted and forgot the pause): wait again.
      this.retryLater(consumer, context, pending.dueAt - Date.now());
      return;
    }
    const settled = await this.handleOnce(context, pending?.attempts ?? 0);
    if (settled === 'retry-later') {
      const attempts = (pending?.attempts ?? 0) + 1;
      const delay = this.retryDelays()[attempts - 1];
      this.pendingRetries.set(retryKey, { attempts, dueAt: Date.now() + delay });
      this.forgetStaleRetries();
      this.options.metrics.consumerRetries.inc({ topic: this.logicalTopic(topic) });
      this.options.metrics.messagesAwaitingRetry.set(this.pendingRetries.size);
      this.retryLater(consumer, context, delay);
      return;
    }
    if (pending) {
      this.pendingRetries.delete(retryKey);
      this.options.metrics.messagesAwaitingRetry.set(this.pendingRetries.size);
    }
    this.committable.set(`${topic}|${partition}`, { topic, partition, offset: (BigInt(message.offset) + 1n).toString() });
    void this.flushCommits(consumer);
  }

  private retryDelays(): readonly number[] {
    return this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  }

  /** Pauses the message's partition and rewinds it to the message, to be fetched again after `delayMs`. */
  private retryLater(consumer: KafkaConsumer, context: MessageContext, delayMs: number): void {
    const { topic, partition, offset } = context.message;
    const resume = context.pause();
    consumer.seek({ topic, partition, offset });
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, delayMs);
    this.resumeTimers.add(timer);
  }

  /** Retries of partitions that moved to another member are never settled here; keep the map small. */
  private forgetStaleRetries(): void {
    if (this.pendingRetries.size < 1000) return;
    const horizon = Date.now() - 3_600_000;
    for (const [key, retry] of this.pendingRetries) if (retry.dueAt < horizon) this.pendingRetries.delete(key);
  }

  /**
   * Commits the handled offsets in the background, one request at a time. A failed commit
   * (a rebalance under way) is not retried: the messages are redelivered and skipped by the inbox.
   */
  private flushCommits(consumer: KafkaConsumer): Promise<void> {
    if (this.committing) {
      this.commitAgain = true;
      return this.committing;
    }
    this.committing = (async () => {
      do {
        this.commitAgain = false;
        const positions = [...this.committable.values()];
        this.committable.clear();
        if (positions.length === 0) break;
        try {
          await consumer.commit(positions);
        } catch (error) {
          this.options.logger.debug?.({ msg: 'offset commit failed; the messages will be redelivered', err: error }, 'EnvelopeServer');
        }
      } while (this.commitAgain);
    })().finally(() => {
      this.committing = null;
    });
    return this.committing;
  }

  /**
   * Decodes and handles one message. Returns 'done' once the message was applied, skipped or
   * dead-lettered, 'retry-later' when the handler failed and its retry schedule is not used up;
   * throws after persistent transient failures so that Kafka delivers the message again.
   */
  private async handleOnce(context: MessageContext, failedAttempts: number): Promise<'done' | 'retry-later'> {
    const { message } = context;
    const { topic, partition } = message;
    const heartbeat = () => context.heartbeat();
    const logical = this.logicalTopic(topic);
    const { metrics, logger } = this.options;
    const decoded = decodeEvent(logical, message.value);
    if (!decoded.ok) {
      await this.deadLetter(logical, partition, message.offset, message.key, message.value, message.headers, decoded.reason, decoded.detail);
      return 'done';
    }
    const { envelope } = decoded.event;
    const handler = this.getHandlerByPattern(logical);
    if (!handler) {
      logger.warn({ msg: 'no handler for topic', topic: logical }, 'EnvelopeServer');
      return 'done';
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
    // A fault test's hanging handler (FAULT_STALL_POINT=handler); null without that plan.
    const stall = (this.options.faults ?? NO_FAULTS).stall?.('handler', logical);
    if (stall) {
      logger.warn({ msg: 'handler stalled by the fault plan', topic: logical, eventId: envelope.eventId }, 'EnvelopeServer');
      await stall;
    }
    return withCorrelationId(envelope.correlationId, async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          let result: unknown = await handler(inbound);
          if (isObservable(result)) result = await lastValueFrom(result, { defaultValue: undefined });
          const outcome = (result as ConsumeOutcome | undefined) ?? 'processed';
          metrics.messagesConsumed.inc({ topic: logical, outcome });
          (this.options.faults ?? NO_FAULTS).reached('after-commit-before-offset', logical);
          return 'done';
        } catch (error) {
          if (error instanceof PermanentMessageError) {
            await this.deadLetter(logical, partition, message.offset, message.key, message.value, message.headers, error.reason, error.message);
            return 'done';
          }
          if (!isTransientDbError(error)) {
            const failures = failedAttempts + 1;
            const detail = (error as Error)?.message ?? String(error);
            if (failures > this.retryDelays().length) {
              logger.error(
                { msg: 'handler failed on every attempt; dead-lettering', topic: logical, eventId: envelope.eventId, attempts: failures, err: error },
                'EnvelopeServer',
              );
              await this.deadLetter(logical, partition, message.offset, message.key, message.value, message.headers, 'HANDLER_FAILED', detail, failures);
              return 'done';
            }
            logger.warn(
              {
                msg: 'handler failed; retrying later',
                topic: logical,
                eventId: envelope.eventId,
                attempt: failures,
                retryInMs: this.retryDelays()[failures - 1],
                err: error,
              },
              'EnvelopeServer',
            );
            return 'retry-later';
          }
          if (attempt >= attempts) {
            logger.warn(
              { msg: 'transient failure persists; handing the message back for redelivery', topic: logical, eventId: envelope.eventId, err: error },
              'EnvelopeServer',
            );
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
    headers: Record<string, Buffer>,
    reason: string,
    detail: string,
    attempts = 1,
  ): Promise<void> {
    const { metrics, logger, topicPrefix } = this.options;
    await this.producer!.send([
      {
        topic: physicalTopic(topicPrefix, dlqOf(topic)),
        messages: [
          {
            key,
            value,
            headers: {
              ...headers,
              'x-dlq-reason': reason,
              'x-dlq-error': detail.slice(0, 2000),
              'x-dlq-source-topic': topic,
              'x-dlq-source-partition': String(partition),
              'x-dlq-source-offset': offset,
              'x-dlq-consumer-group': this.options.groupId,
              'x-dlq-attempts': String(attempts),
              'x-dlq-at': new Date().toISOString(),
            },
          },
        ],
      },
    ]);
    metrics.messagesDeadLettered.inc({ topic, reason });
    metrics.messagesConsumed.inc({ topic, outcome: 'dead_lettered' });
    logger.warn({ msg: 'message dead-lettered', topic, partition, offset, reason, detail: detail.slice(0, 500) }, 'EnvelopeServer');
  }
}
