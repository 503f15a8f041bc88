import { Module } from '@nestjs/common';
import { AdminTokenGuard, BuyerTokenVerifier, SERVICE_CONFIG } from '@pt/platform';
import { AccessModule } from '../access/access.module.js';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { BuyerRevealService } from './buyer-reveal.service.js';
import { CardKeyRevealController } from './card-key-reveal.controller.js';
import { CardKeysService } from './card-keys.service.js';
import { IncidentOrders } from './incident-orders.js';
import { VaultAdminController } from './vault-admin.controller.js';
import { VaultRepository } from './vault.repository.js';
import { VaultService } from './vault.service.js';

/**
 * The card-key vault: sealed secrets and their allocation, and the audit log (card_keys,
 * audit_log); imports, rotation and reveals.
 */
@Module({
  imports: [AccessModule, LedgerModule],
  controllers: [VaultAdminController, CardKeyRevealController],
  providers: [
    VaultRepository,
    VaultService,
    BuyerRevealService,
    CardKeysService,
    IncidentOrders,
    { provide: BuyerTokenVerifier, inject: [SERVICE_CONFIG], useFactory: (config: ReconciliationConfig) => new BuyerTokenVerifier(config) },
    AdminTokenGuard,
  ],
  exports: [CardKeysService, IncidentOrders],
})
export class VaultModule {}
