import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { ClearingModule } from '../clearing/clearing.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { VaultModule } from '../vault/vault.module.js';
import { CardKeyIssuer } from './card-key-issuer.js';
import { DecisionsController } from './decisions.controller.js';
import { TriageIncidents } from './triage-incidents.js';
import { TriageListeners } from './triage.listeners.js';
import { TriageRepository } from './triage.repository.js';
import { TriageService } from './triage.service.js';
import { TriageSweeper } from './triage.sweeper.js';

/**
 * Triage: the incidents it keeps re-checking, its decisions with their evidence, and the
 * issuances (triage_incidents, decisions, issuances); the one path a card key leaves the
 * vault for an order (CardKeyIssuer).
 */
@Module({
  imports: [AccessModule, LedgerModule, ClearingModule, VaultModule],
  controllers: [DecisionsController],
  providers: [TriageRepository, TriageService, TriageSweeper, CardKeyIssuer, TriageIncidents, TriageListeners],
  exports: [TriageService, CardKeyIssuer, TriageIncidents],
})
export class TriageModule {}
