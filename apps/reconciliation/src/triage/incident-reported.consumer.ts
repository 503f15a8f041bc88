import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type IncidentReportedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { OutboxPublisher } from '@pt/platform';
import { DataSource } from 'typeorm';
import { TriageService } from './triage.service.js';

@Controller()
export class IncidentReportedConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triage: TriageService,
    private readonly outbox: OutboxPublisher,
  ) {}

  @EventPattern(TOPICS.incidentReported)
  async onReported(@Payload() event: InboundEvent<IncidentReportedV1>): Promise<ConsumeOutcome> {
    const outcome = await applyOnce(this.dataSource, 'reconciliation.incident-reported', event.envelope.eventId, event.meta.topic, async (m) => {
      await this.triage.onReported(m, event.payload, event.envelope.correlationId);
    });
    if (outcome === 'processed') this.outbox.nudge();
    return outcome;
  }
}
