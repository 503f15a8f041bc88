import type { LoggerService } from '@nestjs/common';
import { purgeOldRows, type RetainedTable } from '@pt/database';
import type { ServiceMetrics } from '@pt/observability';
import type { DataSource } from 'typeorm';

export interface RetentionSweeperOptions {
  dataSource: DataSource;
  tables: readonly RetainedTable[];
  olderThanSeconds: number;
  batchSize: number;
  intervalMs: number;
  metrics: ServiceMetrics;
  logger: LoggerService;
}

/** Batches one sweep deletes per table before it lets the next sweep continue. */
const MAX_BATCHES_PER_SWEEP = 200;

/**
 * Deletes processed rows (published outbox rows, inbox rows, idempotency keys) older than
 * the retention age, a small batch per statement, every `intervalMs`. Every replica runs
 * one; SKIP LOCKED keeps them out of each other's way.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: RetentionSweeperOptions) {}

  start(): void {
    const tick = () => {
      this.sweeping = this.sweepOnce()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.options.logger.warn({ msg: 'retention sweep failed; will try again', err: error }, 'RetentionSweeper');
        })
        .finally(() => {
          this.sweeping = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(tick, Math.min(this.options.intervalMs, 5000));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
  }

  /** Purges every table once; returns the rows deleted per table. */
  async sweepOnce(): Promise<Record<string, number>> {
    const { dataSource, tables, olderThanSeconds, batchSize, metrics, logger } = this.options;
    const deleted: Record<string, number> = {};
    for (const table of tables) {
      let total = 0;
      for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP && !this.stopped; batch += 1) {
        const n = await purgeOldRows(dataSource, table, olderThanSeconds, batchSize);
        total += n;
        if (n < batchSize) break;
      }
      deleted[table.table] = total;
      if (total > 0) {
        metrics.retentionPurged.inc({ table: table.table }, total);
        logger.log({ msg: 'old processed rows purged', table: table.table, rows: total }, 'RetentionSweeper');
      }
    }
    return deleted;
  }
}
