import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  INCIDENT_DISCOVERED_TYPE,
  SECURITY_ALERT_RAISED_TYPE,
  SYSTEMIC_INCIDENT_DISCOVERED_TYPE,
  TOPICS,
  type IncidentDiscoveredV1,
  type SecurityAlertRaisedV1,
  type SystemicIncidentDiscoveredV1,
} from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { OutboxPublisher } from '@pt/platform';
import { DataSource } from 'typeorm';
import { DiscoveredIncidentsService } from './discovered-incidents.service.js';

/** Opens the incidents reconciliation found: by its runs, and its card-key reveal guard (intake owns every incident). */
@Controller()
export class IncidentDiscoveredConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly discovered: DiscoveredIncidentsService,
    private readonly outbox: OutboxPublisher,
  ) {}

  @EventPattern(TOPICS.incidentDiscovered)
  async onDiscovered(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, meta } = event;
    let reported = false;
    const outcome = await applyOnce(this.dataSource, 'intake.incident-discovered', envelope.eventId, meta.topic, async (m) => {
      if (envelope.type === INCIDENT_DISCOVERED_TYPE) {
        reported = await this.discovered.openDiscovered(m, event.payload as IncidentDiscoveredV1, envelope.correlationId);
      } else if (envelope.type === SYSTEMIC_INCIDENT_DISCOVERED_TYPE) {
        await this.discovered.openSystemic(m, event.payload as SystemicIncidentDiscoveredV1, envelope.correlationId);
      } else if (envelope.type === SECURITY_ALERT_RAISED_TYPE) {
        await this.discovered.openSecurityAlert(m, event.payload as SecurityAlertRaisedV1, envelope.correlationId);
      }
    });
    if (reported) this.outbox.nudge();
    return outcome;
  }
}
