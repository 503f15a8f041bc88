import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { SlaService } from '../sla/sla.service.js';
import { SlaSweeper } from '../sla/sla.sweeper.js';
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
  imports: [AgentsModule],
  controllers: [IncidentsController, IncidentWorkController, IncidentTriagedConsumer, IncidentDiscoveredConsumer],
  providers: [IncidentsService, IncidentRepository, IncidentLifecycleService, IncidentWorkService, AuditRepository, SlaService, SlaSweeper, DiscoveredIncidentsService],
})
export class IncidentsModule {}
