import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type ClearingStatusChangedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { PaymentStatusRepository } from './payment-status.repository.js';

@Controller()
export class SettlementClearingConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentStatusRepository,
  ) {}

  @EventPattern(TOPICS.clearingEvents)
  async onClearingEvent(@Payload() event: InboundEvent<ClearingStatusChangedV1>): Promise<ConsumeOutcome> {
    return applyOnce(this.dataSource, 'settlement.clearing-events', event.envelope.eventId, event.meta.topic, async (m) => {
      await this.payments.applyClearing(m, event.payload);
    });
  }
}
