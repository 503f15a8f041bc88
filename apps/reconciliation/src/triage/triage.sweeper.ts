import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { OutboxPublisher, SERVICE_CONFIG } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { recheckRetryDelayMs, summarizeRecheckError } from './recheck-failures.js';
import { TriageRepository, type TriageIncidentRow } from './triage.repository.js';
import { TriageService } from './triage.service.js';

/**
 * Re-triages incidents waiting on clearing when their next check is due. The schedule
 * lives in the database, so it survives restarts; rows are claimed with SKIP LOCKED, so
 * two replicas never re-triage the same incident at once.
 *
 * A re-check that fails is undone (to a savepoint) while the row stays claimed, counted
 * on the row, and tried again after an exponential pause (TRIAGE_RECHECK_RETRY_BASE_MS,
 * doubled per failure up to TRIAGE_RECHECK_RETRY_MAX_MS), so other due incidents go
 * first. After TRIAGE_RECHECK_MAX_FAILURES failures in a row it is escalated as
 * RECHECK_FAILED. A failure that takes the transaction down with it (a lost connection)
 * is not counted: the whole sweep stops and the row is due again at the next interval.
 *
 * An incident is claimed with its order's lock taken first, then its row (claimDue), so
 * the lock is held through the re-check, a failure's count and a RECHECK_FAILED
 * escalation alike (the savepoint is set after it), and a ledger or clearing event of the
 * order, which takes the same lock before making the order's rows due, waits for the
 * re-check instead of deadlocking with it.
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
          const incident = await this.triageRepository.claimDue(m);
          if (!incident) return false;
          await this.recheckOrBackOff(m, incident);
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

  private async recheckOrBackOff(m: EntityManager, incident: TriageIncidentRow): Promise<void> {
    await m.query('SAVEPOINT recheck');
    try {
      await this.triage.recheck(m, incident);
      await m.query('RELEASE SAVEPOINT recheck');
      return;
    } catch (error) {
      await m.query('ROLLBACK TO SAVEPOINT recheck');
      const summary = summarizeRecheckError(error);
      const failures = await this.triageRepository.recordRecheckFailure(
        m,
        incident.incidentId,
        summary,
        recheckRetryDelayMs(incident.recheckFailures + 1, this.config.TRIAGE_RECHECK_RETRY_BASE_MS, this.config.TRIAGE_RECHECK_RETRY_MAX_MS),
      );
      // The summary, not the error: a driver's message may carry what must not reach a log.
      this.logger.warn({ msg: 're-check failed; backing off', incidentId: incident.incidentId, failures, error: summary }, 'TriageSweeper');
      if (failures < this.config.TRIAGE_RECHECK_MAX_FAILURES) return;
      // Should escalating fail too, the count and the pause stand: the next attempt tries both again.
      await m.query('SAVEPOINT recheck_escalation');
      try {
        await this.triage.escalateRecheckFailed(m, incident, failures, summary);
        await m.query('RELEASE SAVEPOINT recheck_escalation');
      } catch (escalationError) {
        await m.query('ROLLBACK TO SAVEPOINT recheck_escalation');
        this.logger.error(
          { msg: 'escalating a failing re-check failed', incidentId: incident.incidentId, error: summarizeRecheckError(escalationError) },
          'TriageSweeper',
        );
      }
    }
  }
}
