import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics every service exposes, in one registry per process. */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly messagesConsumed = new Counter({
    name: 'kafka_messages_consumed_total',
    help: 'Kafka messages consumed, by topic and outcome (processed, duplicate, dead_lettered)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly messagesDeadLettered = new Counter({
    name: 'kafka_messages_dead_lettered_total',
    help: 'Kafka messages sent to a dead-letter topic, by source topic and reason',
    labelNames: ['topic', 'reason'] as const,
    registers: [this.registry],
  });

  readonly messagesPublished = new Counter({
    name: 'kafka_messages_published_total',
    help: 'Kafka messages published by the outbox relay, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly consumerRetries = new Counter({
    name: 'kafka_handler_retries_total',
    help: 'Messages put back for a later attempt after their handler failed, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly messagesAwaitingRetry = new Gauge({
    name: 'kafka_messages_awaiting_retry',
    help: 'Messages whose handler failed and that wait for their next attempt',
    registers: [this.registry],
  });

  readonly consumerRestarts = new Counter({
    name: 'kafka_consumer_rebuilds_total',
    help: 'Kafka consumers built anew after kafkajs stopped one for good',
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: 'outbox_backlog',
    help: 'Outbox rows not yet published',
    registers: [this.registry],
  });

  readonly outboxSetAside = new Gauge({
    name: 'outbox_set_aside',
    help: 'Outbox rows the broker refused too often, set aside and not published (see docs/reliability.md)',
    registers: [this.registry],
  });

  readonly retentionPurged = new Counter({
    name: 'retention_rows_purged_total',
    help: 'Processed rows deleted by the retention sweeper, by table',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  readonly triageOutcomes = new Counter({
    name: 'triage_outcomes_total',
    help: 'Triage decisions, by outcome and reason code',
    labelNames: ['outcome', 'reason'] as const,
    registers: [this.registry],
  });

  readonly cardKeyReveals = new Counter({
    name: 'card_key_reveals_total',
    help: 'Buyer card-key reveals, by result (revealed, or the reason it was refused)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }
}
