import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type ClearingStatusChangedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { TriageRepository } from '../triage/triage.repository.js';
import { TriageSweeper } from '../triage/triage.sweeper.js';
import { ClearingRepository } from './clearing.repository.js';

/** Mirrors clearing status; a change wakes the incidents waiting on that order. */
@Controller()
export class ClearingEventsConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clearing: ClearingRepository,
    private readonly triage: TriageRepository,
    private readonly sweeper: TriageSweeper,
  ) {}

  @EventPattern(TOPICS.clearingEvents)
  async onClearingEvent(@Payload() event: InboundEvent<ClearingStatusChangedV1>): Promise<ConsumeOutcome> {
    let woke = 0;
    const outcome = await applyOnce(this.dataSource, 'reconciliation.clearing-events', event.envelope.eventId, event.meta.topic, async (m) => {
      if (await this.clearing.apply(m, event.payload)) woke = await this.triage.makeDueNow(m, event.payload.orderNumber);
    });
    if (woke > 0) this.sweeper.kick();
    return outcome;
  }
}
