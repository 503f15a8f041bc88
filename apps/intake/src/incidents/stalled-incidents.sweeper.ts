import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { IntervalTask, SERVICE_CONFIG } from '@pt/platform';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../config/intake.config.js';
import { IncidentLifecycleService } from './incident-lifecycle.service.js';

/**
 * Escalates incidents that no triage decision reached in time (TRIAGE_STALLED), every
 * INCIDENT_STUCK_SWEEP_INTERVAL_MS. Every replica runs one; the rows are claimed with
 * FOR UPDATE SKIP LOCKED, and the state is the incident's own row in PostgreSQL.
 */
@Injectable()
export class StalledIncidentsSweeper implements OnApplicationShutdown {
  private readonly task: IntervalTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {
    this.task = new IntervalTask(
      () => this.escalateStalled(),
      config.INCIDENT_STUCK_SWEEP_INTERVAL_MS,
      (error) => this.logger.warn({ msg: 'stalled-incident sweep failed; will retry', err: error }, 'StalledIncidentsSweeper'),
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

  private async escalateStalled(): Promise<void> {
    const found = await this.dataSource.transaction((m) => this.lifecycle.escalateStalled(m, new Date(), this.config.INCIDENT_STUCK_AFTER_MINUTES));
    if (found > 0) this.logger.warn({ msg: 'incidents escalated: no triage decision arrived in time', count: found }, 'StalledIncidentsSweeper');
  }
}
