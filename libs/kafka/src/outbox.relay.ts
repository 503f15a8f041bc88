import type { LoggerService } from '@nestjs/common';
import { physicalTopic } from '@pt/contracts';
import { NO_FAULTS, type FaultInjector } from '@pt/faults';
import type { ServiceMetrics } from '@pt/observability';
import { CORRELATION_HEADER } from '@pt/observability';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  type: string;
  envelope: { eventId: string; correlationId: string };
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: Kafka;
  topicPrefix: string;
  metrics: ServiceMetrics;
  logger: LoggerService;
  pollMs: number;
  batchSize?: number;
  /** Crash points for fault tests; none by default. */
  faults?: FaultInjector;
}

/**
 * Publishes outbox rows to Kafka after their transaction committed, oldest first.
 * Rows are claimed with SKIP LOCKED so several replicas can relay side by side; a row
 * is marked published only after the broker acknowledged it (at-least-once).
 */
export class OutboxRelay {
  private producer: Producer | null = null;
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
    this.producer = this.options.kafka.producer({
      createPartitioner: Partitioners.JavaCompatiblePartitioner,
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
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
    this.producer = null;
  }

  /** Publishes one batch; returns how many rows were published. */
  async drainOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? 200;
    return this.options.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, topic, message_key, type, envelope FROM "${this.schema}".outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) {
        const list = byTopic.get(row.topic) ?? [];
        list.push(row);
        byTopic.set(row.topic, list);
      }
      await this.producer!.sendBatch({
        acks: -1,
        topicMessages: [...byTopic.entries()].map(([topic, list]) => ({
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
        })),
      });
      (this.options.faults ?? NO_FAULTS).reached('relay-after-send');
      await manager.query(`UPDATE "${this.schema}".outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((row) => row.id),
      ]);
      for (const [topic, list] of byTopic) this.options.metrics.messagesPublished.inc({ topic }, list.length);
      return rows.length;
    });
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

  private async refreshBacklog(): Promise<void> {
    try {
      const [row]: { n: string }[] = await this.options.dataSource.query(
        `SELECT count(*)::text AS n FROM "${this.schema}".outbox WHERE published_at IS NULL`,
      );
      this.options.metrics.outboxBacklog.set(Number(row?.n ?? 0));
    } catch {
      // Readiness reports the database; the gauge keeps its last value.
    }
  }
}
