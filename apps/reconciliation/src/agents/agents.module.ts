import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TriageModule } from '../triage/triage.module.js';
import { VaultModule } from '../vault/vault.module.js';
import { AgentRequestsService } from './agent-requests.service.js';
import { IncidentCommandsConsumer } from './incident-commands.consumer.js';
import { IncidentReportedConsumer } from './incident-reported.consumer.js';

/**
 * Staff requests: what agents ask of reconciliation through intake (a re-check, a forced
 * re-issue), on incident.commands.v1. The consumer of incident.reported.v1 sits here too:
 * until the previous intake release is gone that topic still carries agents' commands
 * next to the reports it hands to triage, and only this module may call both.
 */
@Module({
  imports: [LedgerModule, VaultModule, TriageModule],
  controllers: [IncidentReportedConsumer, IncidentCommandsConsumer],
  providers: [AgentRequestsService],
})
export class AgentsModule {}
