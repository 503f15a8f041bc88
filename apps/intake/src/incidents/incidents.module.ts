import { Module } from '@nestjs/common';
import { DiscoveredIncidentsService } from './discovered-incidents.service.js';
import { IncidentDiscoveredConsumer } from './incident-discovered.consumer.js';
import { IncidentTriagedConsumer } from './incident-triaged.consumer.js';
import { IncidentRepository } from './incident.repository.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  controllers: [IncidentsController, IncidentTriagedConsumer, IncidentDiscoveredConsumer],
  providers: [IncidentsService, IncidentRepository, DiscoveredIncidentsService],
})
export class IncidentsModule {}
