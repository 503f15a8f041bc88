import { Inject, Injectable } from '@nestjs/common';
import type { BaseServiceConfig } from '@pt/config';
import type { FaultInjector } from '@pt/faults';
import { OutboxRelay, type KafkaClient } from '@pt/kafka';
import { JsonLogger, ServiceMetrics } from '@pt/observability';
import { DataSource } from 'typeorm';
import { FAULT_INJECTOR, KAFKA_CLIENT, SERVICE_CONFIG } from './tokens.js';

/** The service's outbox relay, started after the application is initialised. */
@Injectable()
export class OutboxPublisher {
  private readonly relay: OutboxRelay;

  constructor(
    dataSource: DataSource,
    @Inject(KAFKA_CLIENT) kafka: KafkaClient,
    @Inject(SERVICE_CONFIG) config: BaseServiceConfig,
    metrics: ServiceMetrics,
    logger: JsonLogger,
    @Inject(FAULT_INJECTOR) faults: FaultInjector,
  ) {
    this.relay = new OutboxRelay({
      dataSource,
      kafka,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      metrics,
      logger,
      pollMs: config.OUTBOX_POLL_MS,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      faults,
    });
  }

  start(): Promise<void> {
    return this.relay.start();
  }

  stop(): Promise<void> {
    return this.relay.stop();
  }

  /** Call after a transaction that wrote outbox rows has committed. */
  nudge(): void {
    this.relay.nudge();
  }
}
