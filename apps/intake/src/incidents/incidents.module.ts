import { Module } from '@nestjs/common';
import { IncidentTriagedConsumer } from './incident-triaged.consumer.js';
import { IncidentRepository } from './incident.repository.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  controllers: [IncidentsController, IncidentTriagedConsumer],
  providers: [IncidentsService, IncidentRepository],
})
export class IncidentsModule {}
