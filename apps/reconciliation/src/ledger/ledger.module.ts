import { Module } from '@nestjs/common';
import { LedgerEventsConsumer } from './ledger-events.consumer.js';
import { LedgerMirrorHooks } from './ledger-mirror.hooks.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';

/**
 * The ledger mirror: the shop's orders, payments and deliveries, and the states it reports
 * of delivered keys (ledger_orders, ledger_payments, ledger_deliveries, card_key_states).
 */
@Module({
  controllers: [LedgerEventsConsumer],
  providers: [LedgerRepository, LedgerService, LedgerMirrorHooks],
  exports: [LedgerService, LedgerMirrorHooks],
})
export class LedgerModule {}
