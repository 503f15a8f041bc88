import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type ClearingStatusChangedV1 } from '@pt/contracts';
import { applyOnce, lockOrder } from '@pt/database';
import { merchantMismatch, type ConsumeOutcome, type InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { ClearingMirrorHooks } from './clearing-mirror.hooks.js';
import { ClearingRepository } from './clearing.repository.js';

/**
 * Mirrors clearing status; a change wakes the incidents waiting on that order. An event
 * naming another merchant than the one the record is stored under is dead-lettered
 * (`MERCHANT_MISMATCH`) with nothing written.
 */
@Controller()
export class ClearingEventsConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clearing: ClearingRepository,
    private readonly hooks: ClearingMirrorHooks,
  ) {}

  @EventPattern(TOPICS.clearingEvents)
  async onClearingEvent(@Payload() event: InboundEvent<ClearingStatusChangedV1>): Promise<ConsumeOutcome> {
    return applyOnce(this.dataSource, 'reconciliation.clearing-events', event.envelope.eventId, event.meta.topic, async (m) => {
      // Under the order's lock, taken first, like the ledger events (see lockOrder in @pt/database).
      await lockOrder(m, event.payload.orderNumber);
      const { applied, otherMerchant } = await this.clearing.apply(m, event.payload);
      if (otherMerchant.length > 0) {
        throw merchantMismatch(`clearing event for payment ${event.payload.paymentReference}`, event.payload.merchantId ?? '-', otherMerchant);
      }
      if (applied) await this.hooks.statusChanged(m, event.payload.orderNumber);
    });
  }
}
