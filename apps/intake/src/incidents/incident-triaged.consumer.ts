import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { INCIDENT_ACTION_TYPES, TOPICS, type IncidentActionCompletedV1, type IncidentTriagedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { IncidentLifecycleService } from './incident-lifecycle.service.js';

/** Applies triage decisions and the results of agents' requests to the incidents they concern. */
@Controller()
export class IncidentTriagedConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: IncidentLifecycleService,
  ) {}

  @EventPattern(TOPICS.incidentTriaged)
  async onTriaged(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { payload, envelope, meta } = event;
    return applyOnce(this.dataSource, 'intake.incident-triaged', envelope.eventId, meta.topic, async (m) => {
      if (envelope.type === INCIDENT_ACTION_TYPES.actionCompleted) {
        await this.lifecycle.applyActionResult(m, payload as IncidentActionCompletedV1, envelope.correlationId);
      } else {
        await this.lifecycle.applyDecision(m, payload as IncidentTriagedV1, envelope.correlationId);
      }
    });
  }
}
