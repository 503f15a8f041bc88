import { Module, type DynamicModule } from '@nestjs/common';
import { JsonLogger } from '@pt/observability';
import { BuyerTokenVerifier, OutboxPublisher, PlatformModule, SERVICE_CONFIG, type ServiceDefinition, type ServiceRuntime } from '@pt/platform';
import { BuyerRevealService } from './vault/buyer-reveal.service.js';
import { BulkReconciliationService } from './bulk-reconciliation/bulk-reconciliation.service.js';
import { ReconRunRepository } from './bulk-reconciliation/recon-run.repository.js';
import { ReconRunner } from './bulk-reconciliation/recon-runner.js';
import { ReconRunsController, STATEMENT_UPLOAD_PATH } from './bulk-reconciliation/recon-runs.controller.js';
import { reconSettingsFrom } from './bulk-reconciliation/recon-settings.js';
import { SystemicIncidentsController } from './bulk-reconciliation/systemic-incidents.controller.js';
import { ClearingEventsConsumer } from './clearing/clearing-events.consumer.js';
import { ClearingRepository } from './clearing/clearing.repository.js';
import { RECONCILIATION_API } from './api-docs.js';
import { ReconciliationConfig } from './config/reconciliation.config.js';
import { LedgerEventsConsumer } from './ledger/ledger-events.consumer.js';
import { LedgerRepository } from './ledger/ledger.repository.js';
import { RECONCILIATION_MIGRATIONS } from './migrations/index.js';
import { DecisionsController } from './triage/decisions.controller.js';
import { IncidentCommandsConsumer } from './triage/incident-commands.consumer.js';
import { IncidentReportedConsumer } from './triage/incident-reported.consumer.js';
import { TriageRepository } from './triage/triage.repository.js';
import { TriageService } from './triage/triage.service.js';
import { TriageSweeper } from './triage/triage.sweeper.js';
import { AdminTokenGuard } from '@pt/platform';
import { AccessModule } from './access/access.module.js';
import { AgentRequestsService } from './agents/agent-requests.service.js';
import { CardKeyRevealController } from './vault/card-key-reveal.controller.js';
import { VaultAdminController } from './vault/vault-admin.controller.js';
import { VaultRepository } from './vault/vault.repository.js';
import { VaultService } from './vault/vault.service.js';
import { CardKeyIssuer } from './vault/card-key-issuer.js';

@Module({})
export class ReconciliationModule {
  static forRoot(runtime: ServiceRuntime<ReconciliationConfig>): DynamicModule {
    return {
      module: ReconciliationModule,
      imports: [
        PlatformModule.forService({
          service: 'reconciliation',
          schema: 'reconciliation',
          ...runtime,
          entities: [],
          migrations: RECONCILIATION_MIGRATIONS,
        }),
        AccessModule,
      ],
      controllers: [
        LedgerEventsConsumer,
        ClearingEventsConsumer,
        IncidentReportedConsumer,
        IncidentCommandsConsumer,
        DecisionsController,
        VaultAdminController,
        CardKeyRevealController,
        ReconRunsController,
        SystemicIncidentsController,
      ],
      providers: [
        LedgerRepository,
        ClearingRepository,
        TriageRepository,
        TriageService,
        TriageSweeper,
        VaultRepository,
        VaultService,
        BuyerRevealService,
        { provide: BuyerTokenVerifier, inject: [SERVICE_CONFIG], useFactory: (config: ReconciliationConfig) => new BuyerTokenVerifier(config) },
        AdminTokenGuard,
        AgentRequestsService,
        CardKeyIssuer,
        ReconRunRepository,
        ReconRunner,
        {
          provide: BulkReconciliationService,
          inject: [ReconRunRepository, SERVICE_CONFIG, JsonLogger, OutboxPublisher],
          useFactory: (runs: ReconRunRepository, config: ReconciliationConfig, logger: JsonLogger, outbox: OutboxPublisher) =>
            new BulkReconciliationService(runs, reconSettingsFrom(config), {
              log: (level, fields) => (level === 'warn' ? logger.warn(fields, 'BulkReconciliation') : logger.log(fields, 'BulkReconciliation')),
              nudge: () => outbox.nudge(),
            }),
        },
      ],
    };
  }
}

export const reconciliationService: ServiceDefinition<ReconciliationConfig> = {
  name: 'reconciliation',
  configClass: ReconciliationConfig,
  port: (config) => config.RECONCILIATION_PORT,
  host: (config) => config.HTTP_HOST,
  consumerGroup: (config) => config.RECONCILIATION_CONSUMER_GROUP,
  module: (runtime) => ReconciliationModule.forRoot(runtime),
  openApi: RECONCILIATION_API,
  corsOrigins: (config) => config.CONSOLE_ORIGINS.split(','),
  requestBodies: [
    // Card-key imports are parsed whole (all or nothing).
    { method: 'POST', path: '/v1/admin/card-keys', mediaType: 'application/json', maxBytes: 10 * 1024 * 1024, adminOnly: true },
    { method: 'POST', path: '/v1/admin/card-keys', mediaType: 'text/csv', maxBytes: 50 * 1024 * 1024, adminOnly: true },
    // Statement uploads are streamed into the database, never held in memory.
    { method: 'POST', path: STATEMENT_UPLOAD_PATH, mediaType: 'text/csv', maxBytes: 2 * 1024 * 1024 * 1024, adminOnly: true, streamed: true },
  ],
  afterStart: async (app) => {
    app.get(TriageSweeper).start();
    app.get(ReconRunner).startSchedule();
  },
};
