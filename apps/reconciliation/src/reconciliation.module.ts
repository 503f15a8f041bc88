import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '@pt/platform';
import { RECONCILIATION_API } from './api-docs.js';
import { AccessModule } from './access/access.module.js';
import { AgentsModule } from './agents/agents.module.js';
import { BulkReconciliationModule } from './bulk-reconciliation/bulk-reconciliation.module.js';
import { STATEMENT_UPLOAD_PATH } from './bulk-reconciliation/recon-runs.controller.js';
import { ReconRunner } from './bulk-reconciliation/recon-runner.js';
import { ClearingModule } from './clearing/clearing.module.js';
import { ReconciliationConfig } from './config/reconciliation.config.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { RECONCILIATION_MIGRATIONS } from './migrations/index.js';
import { TriageModule } from './triage/triage.module.js';
import { TriageSweeper } from './triage/triage.sweeper.js';
import { VaultModule } from './vault/vault.module.js';

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
        // Bottom to top: each module imports only those listed before it (see module-layers.spec.ts).
        AccessModule,
        LedgerModule,
        ClearingModule,
        VaultModule,
        TriageModule,
        AgentsModule,
        BulkReconciliationModule,
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
