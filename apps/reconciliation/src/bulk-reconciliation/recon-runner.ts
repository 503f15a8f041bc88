import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { SERVICE_CONFIG } from '@pt/platform';
import { ClearingService } from '../clearing/clearing.service.js';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { BulkReconciliationService, RunInProgressError, periodWindow, type RunRequest } from './bulk-reconciliation.service.js';
import { ReconSchedule } from '../config/recon-schedule.js';
import { addDays, localDate, parseTimeZone, type TimeZone } from '../config/time-zone.js';
import { ReconRunRepository } from './recon-run.repository.js';

/** Longest single timer; the schedule is re-read after it, so a far-off fire time is fine. */
const MAX_TIMER_MS = 3_600_000;

/**
 * Runs over the clearing mirror in the background (started over HTTP or by the schedule),
 * and the daily schedule itself. Every replica keeps the schedule: the run locks make sure
 * one of them runs a channel's day, and a day already reconciled by the schedule is not
 * run again.
 */
@Injectable()
export class ReconRunner implements OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly schedule: ReconSchedule | null;
  private readonly zone: TimeZone;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly service: BulkReconciliationService,
    private readonly runs: ReconRunRepository,
    private readonly clearing: ClearingService,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: ReconciliationConfig,
  ) {
    this.schedule = config.RECON_SCHEDULE_CRON ? ReconSchedule.create(config.RECON_SCHEDULE_CRON, config.RECON_TIME_ZONE) : null;
    const zone = parseTimeZone(config.RECON_TIME_ZONE);
    if (!zone) throw new Error(`RECON_TIME_ZONE is not a time zone: ${config.RECON_TIME_ZONE}`);
    this.zone = zone;
  }

  /** Starts a run over the mirror; resolves with its id once it holds its lock. */
  async startMirrorRun(request: RunRequest): Promise<string> {
    const { runId, done } = await this.service.startMirrorRun(request);
    this.track(done);
    return runId;
  }

  startSchedule(): void {
    if (!this.schedule) return;
    this.logger.log(
      {
        msg: 'daily reconciliation scheduled',
        cron: this.config.RECON_SCHEDULE_CRON,
        timeZone: this.config.RECON_TIME_ZONE,
        next: this.schedule.next(new Date()).toISOString(),
      },
      'ReconRunner',
    );
    this.arm();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.catch(() => undefined).finally(() => this.inFlight.delete(work));
  }

  private arm(): void {
    if (this.stopped || !this.schedule) return;
    const next = this.schedule.next(new Date()).getTime();
    this.timer = setTimeout(
      () => {
        if (Date.now() + 1000 < next) return this.arm();
        const work = this.runScheduledDay(new Date()).catch((error: unknown) =>
          this.logger.warn({ msg: 'scheduled reconciliation failed', err: error }, 'ReconRunner'),
        );
        this.track(work);
        void work.finally(() => this.arm());
      },
      Math.min(Math.max(next - Date.now(), 0), MAX_TIMER_MS),
    );
    this.timer.unref();
  }

  /** Reconciles the previous statement day (in RECON_TIME_ZONE) of every channel concerned. */
  async runScheduledDay(now: Date): Promise<void> {
    const day = addDays(localDate(this.zone, now.getTime()), -1);
    const window = periodWindow(day, day, this.config.RECON_TIME_ZONE);
    const channels = this.config.RECON_SCHEDULE_CHANNELS
      ? this.config.RECON_SCHEDULE_CHANNELS.split(',')
      : await this.clearing.channelsWithRecords(window.from, window.to);
    for (const channel of channels) {
      if (this.stopped) return;
      if (await this.runs.scheduledRunDone(channel, day)) continue;
      try {
        const { done } = await this.service.startMirrorRun({
          channel,
          periodStart: day,
          periodEnd: day,
          dryRun: false,
          requestedBy: 'SCHEDULE',
          correlationId: `schedule-${channel}-${day}`,
        });
        const run = await done;
        this.logger.log({ msg: 'scheduled reconciliation done', runId: run.id, channel, day, status: run.status }, 'ReconRunner');
      } catch (error) {
        if (error instanceof RunInProgressError) continue;
        throw error;
      }
    }
  }
}
