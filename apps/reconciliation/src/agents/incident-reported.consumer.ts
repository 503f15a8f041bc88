import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type IncidentReportedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { OutboxPublisher } from '@pt/platform';
import { DataSource } from 'typeorm';
import { AgentRequestsService } from './agent-requests.service.js';
import { TriageService } from '../triage/triage.service.js';

/**
 * Reports to triage, keyed by order. Agents' commands now travel on incident.commands.v1
 * (IncidentCommandsConsumer); those an intake of the previous release still publishes
 * here are applied by type, under this consumer's inbox as before, until that release is
 * gone (see docs/contracts/incident-events.md).
 */
@Controller()
export class IncidentReportedConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triage: TriageService,
    private readonly requests: AgentRequestsService,
    private readonly outbox: OutboxPublisher,
  ) {}

  @EventPattern(TOPICS.incidentReported)
  async onReported(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, payload, meta } = event;
    const outcome = await applyOnce(this.dataSource, 'reconciliation.incident-reported', envelope.eventId, meta.topic, async (m) => {
      if (await this.requests.applyCommand(m, envelope.type, payload, envelope.correlationId)) return;
      await this.triage.onReported(m, payload as IncidentReportedV1, envelope.correlationId);
    });
    if (outcome === 'processed') this.outbox.nudge();
    return outcome;
  }
}
