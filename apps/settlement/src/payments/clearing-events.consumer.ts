import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type ClearingStatusChangedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import { merchantMismatch, type ConsumeOutcome, type InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { PaymentStatusRepository } from './payment-status.repository.js';

@Controller()
export class SettlementClearingConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentStatusRepository,
  ) {}

  /**
   * An event naming another merchant than the one the payment is stored under is
   * dead-lettered (`MERCHANT_MISMATCH`): the throw rolls the transaction back, inbox row
   * included, so nothing of it is applied and a redelivery is refused the same way.
   */
  @EventPattern(TOPICS.clearingEvents)
  async onClearingEvent(@Payload() event: InboundEvent<ClearingStatusChangedV1>): Promise<ConsumeOutcome> {
    return applyOnce(this.dataSource, 'settlement.clearing-events', event.envelope.eventId, event.meta.topic, async (m) => {
      const { otherMerchant } = await this.payments.applyClearing(m, event.payload);
      if (otherMerchant.length > 0) {
        throw merchantMismatch(`clearing event for payment ${event.payload.paymentReference}`, event.payload.merchantId ?? '-', otherMerchant);
      }
    });
  }
}
