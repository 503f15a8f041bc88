import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { OutboxPublisher, SERVICE_CONFIG } from '@pt/platform';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../config/intake.config.js';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service.js';

/** Looks for missed SLA targets on an interval; rows are claimed with SKIP LOCKED across replicas. */
@Injectable()
export class SlaSweeper implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly outbox: OutboxPublisher,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sweep());
    }, this.config.SLA_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      const found = await this.dataSource.transaction((m) => this.lifecycle.markBreaches(m, new Date()));
      if (found > 0) this.outbox.nudge();
    } catch (error) {
      this.logger.warn({ msg: 'SLA sweep failed; will retry', err: error }, 'SlaSweeper');
    }
  }
}
