import type { LoggerService } from '@nestjs/common';
import { physicalTopic } from '@pt/contracts';
import { NO_FAULTS, type FaultInjector } from '@pt/faults';
import type { ServiceMetrics } from '@pt/observability';
import { CORRELATION_HEADER } from '@pt/observability';
import type { DataSource } from 'typeorm';
import type { KafkaClient, KafkaProducer, TopicMessages } from './port.js';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  type: string;
  envelope: { eventId: string; correlationId: string };
  attempts: number;
}

/**
 * What the broker answers for a message it will never take as it is; anything else (a lost
 * connection, a broker outage, a timeout) is the broker's trouble, not the row's.
 */
const REFUSED_BY_BROKER = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'POLICY_VIOLATION',
]);

/**
 * The broker's refusal in a client's error (or in its cause, or among its retries), if there
 * is one: kafkajs names it in `type`, @platformatic/kafka in `apiId`.
 */
export function brokerRefusal(error: unknown): string | null {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 20; seen += 1) {
    const e = queue.shift() as { type?: string; apiId?: string; cause?: unknown; originalError?: unknown; errors?: unknown[] } | null;
    if (!e || typeof e !== 'object') continue;
    const kind = e.type ?? e.apiId;
    if (kind && REFUSED_BY_BROKER.has(kind)) return kind;
    queue.push(e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return null;
}

interface DrainResult {
  published: number;
  /** A failure that was not the fault of one row: the relay backs off. */
  error?: unknown;
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: KafkaClient;
  topicPrefix: string;
  metrics: ServiceMetrics;
  logger: LoggerService;
  pollMs: number;
  batchSize?: number;
  /** Refusals by the broker after which a row is set aside; 5 by default. */
  maxAttempts?: number;
  /** Crash points for fault tests; none by default. */
  faults?: FaultInjector;
}

/**
 * Publishes outbox rows to Kafka after their transaction committed, oldest first.
 * Rows are claimed with SKIP LOCKED so several replicas can relay side by side; a row
 * is marked published only after the broker acknowledged it (at-least-once).
 *
 * A row the broker refuses for good (too large, an unknown topic) never holds up the
 * others: when a batch is refused, its rows are sent one by one; each refusal is counted
 * on the row with its error, and after `maxAttempts` the row is set aside (`set_aside_at`)
 * and no longer claimed. Rows refused before are sent on their own, ahead of the batch.
 */
export class OutboxRelay {
  private producer: KafkaProducer | null = null;
  /** Sends single rows with few retries, so that finding the one refused row is quick. */
  private probe: KafkaProducer | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A nudge that came while a batch was being drained: look again before sleeping. */
  private nudgedWhileDraining = false;
  private backlogTimer: NodeJS.Timeout | null = null;
  private readonly schema: string;

  constructor(private readonly options: OutboxRelayOptions) {
    this.schema = (options.dataSource.options as { schema?: string }).schema ?? 'public';
  }

  async start(): Promise<void> {
    this.producer = this.options.kafka.producer();
    await this.producer.connect();
    this.probe = this.options.kafka.producer({ retries: 2 });
    await this.probe.connect();
    this.running = true;
    this.loop = this.run();
    this.backlogTimer = setInterval(() => void this.refreshBacklog(), 5000);
    this.backlogTimer.unref();
  }

  /** Asks the relay to look at the outbox now instead of at its next poll. */
  nudge(): void {
    if (this.wake) this.wake();
    else this.nudgedWhileDraining = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.backlogTimer) clearInterval(this.backlogTimer);
    this.nudge();
    await this.loop;
    await this.producer?.disconnect();
    await this.probe?.disconnect();
    this.producer = null;
    this.probe = null;
  }

  /** Publishes one batch; returns how many rows were published. */
  async drainOnce(): Promise<number> {
    const { published, error } = await this.drainBatch();
    if (error && published === 0) throw error instanceof Error ? error : new Error('publishing an outbox batch failed', { cause: error });
    return published;
  }

  private async drainBatch(): Promise<DrainResult> {
    const batchSize = this.options.batchSize ?? 200;
    const maxAttempts = this.options.maxAttempts ?? 5;
    return this.options.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, topic, message_key, type, envelope, attempts FROM "${this.schema}".outbox
         WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return { published: 0 };
      const sent: OutboxRow[] = [];
      const refused: { row: OutboxRow; reason: string; error: unknown }[] = [];
      let failure: unknown;
      // Rows the broker refused before go alone, so that they cannot sink the batch again.
      const suspects = rows.filter((row) => row.attempts > 0);
      let rest = rows.filter((row) => row.attempts === 0);
      for (const row of suspects) {
        const outcome = await this.sendAlone(row);
        if (outcome === 'sent') sent.push(row);
        else if (outcome.refusal) refused.push({ row, reason: outcome.refusal, error: outcome.error });
        else {
          failure = outcome.error;
          rest = [];
          break;
        }
      }
      if (rest.length > 0) {
        try {
          await this.producer!.send(this.topicMessages(rest));
          sent.push(...rest);
        } catch (error) {
          if (!brokerRefusal(error)) failure = error;
          else {
            // One of them is refused: find it, send the others.
            for (const row of rest) {
              const outcome = await this.sendAlone(row);
              if (outcome === 'sent') sent.push(row);
              else if (outcome.refusal) refused.push({ row, reason: outcome.refusal, error: outcome.error });
              else {
                failure = outcome.error;
                break;
              }
            }
          }
        }
      }
      if (sent.length > 0) (this.options.faults ?? NO_FAULTS).reached('relay-after-send');
      if (sent.length > 0) {
        await manager.query(`UPDATE "${this.schema}".outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [sent.map((row) => row.id)]);
      }
      for (const { row, reason, error } of refused) {
        const attempts = row.attempts + 1;
        const detail = `${reason}: ${(error as Error)?.message ?? String(error)}`.slice(0, 2000);
        const setAside = attempts >= maxAttempts;
        await manager.query(`UPDATE "${this.schema}".outbox SET attempts = $2, last_error = $3, set_aside_at = CASE WHEN $4 THEN now() END WHERE id = $1`, [
          row.id,
          attempts,
          detail,
          setAside,
        ]);
        const line = {
          msg: setAside ? 'outbox row refused by the broker too often; set aside' : 'outbox row refused by the broker; will try again',
          id: row.id,
          topic: row.topic,
          eventId: row.envelope.eventId,
          attempts,
          reason,
        };
        if (setAside) this.options.logger.error(line, 'OutboxRelay');
        else this.options.logger.warn(line, 'OutboxRelay');
      }
      const byTopic = new Map<string, number>();
      for (const row of sent) byTopic.set(row.topic, (byTopic.get(row.topic) ?? 0) + 1);
      for (const [topic, n] of byTopic) this.options.metrics.messagesPublished.inc({ topic }, n);
      // Progress (a row sent, or one set aside) is not a failure; the relay looks again at once.
      return { published: sent.length + refused.length, error: failure };
    });
  }

  private async sendAlone(row: OutboxRow): Promise<'sent' | { refusal: string | null; error: unknown }> {
    try {
      await this.probe!.send(this.topicMessages([row]));
      return 'sent';
    } catch (error) {
      return { refusal: brokerRefusal(error), error };
    }
  }

  private topicMessages(rows: OutboxRow[]): TopicMessages[] {
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push(row);
      byTopic.set(row.topic, list);
    }
    return [...byTopic.entries()].map(([topic, list]) => ({
      topic: physicalTopic(this.options.topicPrefix, topic),
      messages: list.map((row) => ({
        key: row.message_key,
        value: JSON.stringify(row.envelope),
        headers: {
          [CORRELATION_HEADER]: row.envelope.correlationId,
          'x-event-type': row.type,
          'x-event-id': row.envelope.eventId,
        },
      })),
    }));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.nudgedWhileDraining = false;
        const published = await this.drainOnce();
        failures = 0;
        // A row committed after this batch's SELECT would otherwise wait a whole poll interval.
        if (published > 0 || this.nudgedWhileDraining) continue;
      } catch (error) {
        failures += 1;
        this.options.logger.warn({ msg: 'outbox relay failed; will retry', attempt: failures, err: error }, 'OutboxRelay');
      }
      if (!this.running) break;
      const delay = failures > 0 ? Math.min(this.options.pollMs * 2 ** failures, 5000) : this.options.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Updates the backlog and set-aside gauges (also every 5 s by itself). */
  async refreshBacklog(): Promise<void> {
    try {
      const [row]: { pending: string; set_aside: string }[] = await this.options.dataSource.query(
        `SELECT count(*) FILTER (WHERE set_aside_at IS NULL)::text AS pending, count(*) FILTER (WHERE set_aside_at IS NOT NULL)::text AS set_aside
         FROM "${this.schema}".outbox WHERE published_at IS NULL`,
      );
      this.options.metrics.outboxBacklog.set(Number(row?.pending ?? 0));
      this.options.metrics.outboxSetAside.set(Number(row?.set_aside ?? 0));
    } catch {
      // Readiness reports the database; the gauge keeps its last value.
    }
  }
}
