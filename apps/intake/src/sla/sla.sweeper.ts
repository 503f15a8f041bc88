import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { IntervalTask, OutboxPublisher, SERVICE_CONFIG } from '@pt/platform';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../config/intake.config.js';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service.js';

/** Looks for missed SLA targets on an interval; rows are claimed with SKIP LOCKED across replicas. */
@Injectable()
export class SlaSweeper implements OnApplicationShutdown {
  private readonly task: IntervalTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly outbox: OutboxPublisher,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) config: IntakeConfig,
  ) {
    this.task = new IntervalTask(
      () => this.markBreaches(),
      config.SLA_SWEEP_INTERVAL_MS,
      (error) => this.logger.warn({ msg: 'SLA sweep failed; will retry', err: error }, 'SlaSweeper'),
    );
  }

  start(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  sweep(): Promise<void> {
    return this.task.runOnce();
  }

  private async markBreaches(): Promise<void> {
    const found = await this.dataSource.transaction((m) => this.lifecycle.markBreaches(m, new Date()));
    if (found > 0) this.outbox.nudge();
  }
}
