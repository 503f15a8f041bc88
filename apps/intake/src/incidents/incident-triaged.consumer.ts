import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type IncidentTriagedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { JsonLogger } from '@pt/observability';
import { DataSource } from 'typeorm';
import { IncidentRepository } from './incident.repository.js';

/** Applies triage decisions to the incidents they concern. */
@Controller()
export class IncidentTriagedConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentRepository,
    private readonly logger: JsonLogger,
  ) {}

  @EventPattern(TOPICS.incidentTriaged)
  async onTriaged(@Payload() event: InboundEvent<IncidentTriagedV1>): Promise<ConsumeOutcome> {
    const { payload, envelope, meta } = event;
    return applyOnce(this.dataSource, 'intake.incident-triaged', envelope.eventId, meta.topic, async (manager) => {
      const applied = await this.incidents.applyTriage(manager, {
        incidentId: payload.incidentId,
        outcome: payload.outcome,
        reasonCode: payload.reasonCode,
        explanation: payload.explanation,
        decisionId: payload.decisionId,
        cardKeyId: payload.cardKeyId ?? null,
        decidedAt: new Date(payload.decidedAt),
      });
      if (!applied) {
        this.logger.warn({ msg: 'triage decision not applied (unknown incident, newer decision, or already worked by an agent)', incidentId: payload.incidentId }, 'IncidentTriagedConsumer');
      }
    });
  }
}
