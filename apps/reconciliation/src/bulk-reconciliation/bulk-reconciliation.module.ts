import { Module } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { AdminTokenGuard, OutboxPublisher, SERVICE_CONFIG } from '@pt/platform';
import { ClearingModule } from '../clearing/clearing.module.js';
import { ClearingService } from '../clearing/clearing.service.js';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { TriageIncidents } from '../triage/triage-incidents.js';
import { TriageModule } from '../triage/triage.module.js';
import { BulkReconciliationService } from './bulk-reconciliation.service.js';
import { ReconRunRepository } from './recon-run.repository.js';
import { ReconRunner } from './recon-runner.js';
import { ReconRunsController } from './recon-runs.controller.js';
import { reconSettingsFrom } from './recon-settings.js';
import { SystemicIncidentsController } from './systemic-incidents.controller.js';

/**
 * Bulk reconciliation: runs of a channel's statement (or of the clearing mirror) against
 * the ledger mirror, their discrepancies, discoveries and systemic incidents (recon_runs,
 * recon_rejected_rows, recon_discrepancies, recon_discoveries, systemic_incidents). Its
 * set-based matching reads the ledger and clearing mirrors in SQL; what it changes in
 * them, and in triage, goes through their services.
 */
@Module({
  imports: [ClearingModule, TriageModule],
  controllers: [ReconRunsController, SystemicIncidentsController],
  providers: [
    ReconRunRepository,
    ReconRunner,
    AdminTokenGuard,
    {
      provide: BulkReconciliationService,
      inject: [ReconRunRepository, SERVICE_CONFIG, JsonLogger, OutboxPublisher, ClearingService, TriageIncidents],
      useFactory: (
        runs: ReconRunRepository,
        config: ReconciliationConfig,
        logger: JsonLogger,
        outbox: OutboxPublisher,
        clearing: ClearingService,
        incidents: TriageIncidents,
      ) =>
        new BulkReconciliationService(
          runs,
          reconSettingsFrom(config),
          {
            log: (level, fields) => (level === 'warn' ? logger.warn(fields, 'BulkReconciliation') : logger.log(fields, 'BulkReconciliation')),
            nudge: () => outbox.nudge(),
          },
          clearing,
          incidents,
        ),
    },
  ],
})
export class BulkReconciliationModule {}
