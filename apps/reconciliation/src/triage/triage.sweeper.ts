import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { OutboxPublisher, SERVICE_CONFIG } from '@pt/platform';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { TriageRepository } from './triage.repository.js';
import { TriageService } from './triage.service.js';

/**
 * Re-triages incidents waiting on clearing when their next check is due. The schedule
 * lives in the database, so it survives restarts; rows are claimed with SKIP LOCKED, so
 * two replicas never re-triage the same incident at once.
 */
@Injectable()
export class TriageSweeper implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly triageRepository: TriageRepository,
    private readonly triage: TriageService,
    private readonly outbox: OutboxPublisher,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: ReconciliationConfig,
  ) {}

  start(): void {
    this.schedule(this.config.TRIAGE_SWEEP_INTERVAL_MS);
  }

  /** Look now rather than at the next interval. */
  kick(): void {
    if (!this.stopped) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = (this.running ?? Promise.resolve()).then(async () => {
        await this.sweep();
      });
    }, delay);
    this.timer.unref();
  }

  /** Re-triages every due incident, a batch per transaction. Returns how many were handled. */
  async sweep(): Promise<number> {
    let handled = 0;
    try {
      while (!this.stopped) {
        const batch = await this.triageRepository.transaction(async (m) => {
          const due = await this.triageRepository.claimDue(m, 20);
          for (const incident of due) await this.triage.recheck(m, incident);
          return due.length;
        });
        handled += batch;
        if (batch > 0) this.outbox.nudge();
        if (batch < 20) break;
      }
    } catch (error) {
      this.logger.warn({ msg: 're-check sweep failed; will retry at the next interval', err: error }, 'TriageSweeper');
    }
    this.schedule(this.config.TRIAGE_SWEEP_INTERVAL_MS);
    return handled;
  }
}
