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

  /**
   * Re-triages every due incident, one per transaction: a decision can take a score of
   * statements, and a transaction spanning many incidents would lose all of them to one
   * dropped connection (and, with connections dropping often, might never commit).
   * Returns how many were handled.
   */
  async sweep(): Promise<number> {
    let handled = 0;
    try {
      while (!this.stopped) {
        const found = await this.triageRepository.transaction(async (m) => {
          const [incident] = await this.triageRepository.claimDue(m, 1);
          if (!incident) return false;
          await this.triage.recheck(m, incident);
          return true;
        });
        if (!found) break;
        handled += 1;
        this.outbox.nudge();
      }
    } catch (error) {
      this.logger.warn({ msg: 're-check sweep failed; will retry at the next interval', handledBefore: handled, err: error }, 'TriageSweeper');
    }
    this.schedule(this.config.TRIAGE_SWEEP_INTERVAL_MS);
    return handled;
  }
}
