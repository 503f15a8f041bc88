import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import { PermanentMessageError, type ConsumeOutcome, type InboundEvent } from '@pt/kafka';
import { OutboxPublisher } from '@pt/platform';
import { DataSource } from 'typeorm';
import { AgentRequestsService } from './agent-requests.service.js';

/**
 * Agents' commands about an incident (re-check, forced re-issue), keyed by order. They
 * used to travel on incident.reported.v1, where IncidentReportedConsumer still applies
 * those an intake of the previous release publishes, by type, under its own inbox.
 */
@Controller()
export class IncidentCommandsConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: AgentRequestsService,
    private readonly outbox: OutboxPublisher,
  ) {}

  @EventPattern(TOPICS.incidentCommands)
  async onCommand(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, payload, meta } = event;
    const outcome = await applyOnce(this.dataSource, 'reconciliation.incident-commands', envelope.eventId, meta.topic, async (m) => {
      // The registry lets nothing else onto this topic; should that change without a handler here, dead-letter it.
      if (!(await this.requests.applyCommand(m, envelope.type, payload, envelope.correlationId))) {
        throw new PermanentMessageError('UNKNOWN_TYPE', `no handler for ${envelope.type} on ${TOPICS.incidentCommands}`);
      }
    });
    if (outcome === 'processed') this.outbox.nudge();
    return outcome;
  }
}
