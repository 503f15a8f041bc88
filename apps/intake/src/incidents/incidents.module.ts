import { Module } from '@nestjs/common';
import { BuyerTokenVerifier, SERVICE_CONFIG } from '@pt/platform';
import { AgentsModule } from '../agents/agents.module.js';
import { ChannelClientsModule } from '../channel-clients/channel-clients.module.js';
import type { IntakeConfig } from '../config/intake.config.js';
import { TicketsController } from '../tickets/tickets.controller.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { SlaService } from '../sla/sla.service.js';
import { SlaSweeper } from '../sla/sla.sweeper.js';
import { StalledIncidentsSweeper } from './stalled-incidents.sweeper.js';
import { IncidentWorkController } from '../work/incident-work.controller.js';
import { IncidentWorkService } from '../work/incident-work.service.js';
import { IncidentLifecycleService } from './incident-lifecycle.service.js';
import { DiscoveredIncidentsService } from './discovered-incidents.service.js';
import { IncidentDiscoveredConsumer } from './incident-discovered.consumer.js';
import { IncidentTriagedConsumer } from './incident-triaged.consumer.js';
import { IncidentRepository } from './incident.repository.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  imports: [AgentsModule, ChannelClientsModule],
  controllers: [IncidentsController, TicketsController, IncidentWorkController, IncidentTriagedConsumer, IncidentDiscoveredConsumer],
  providers: [
    { provide: BuyerTokenVerifier, inject: [SERVICE_CONFIG], useFactory: (config: IntakeConfig) => new BuyerTokenVerifier(config) },
    IncidentsService,
    IncidentRepository,
    IncidentLifecycleService,
    IncidentWorkService,
    AuditRepository,
    SlaService,
    SlaSweeper,
    StalledIncidentsSweeper,
    DiscoveredIncidentsService,
  ],
})
export class IncidentsModule {}
