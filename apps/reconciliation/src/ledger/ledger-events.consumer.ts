import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  LEDGER_EVENT_TYPES,
  TOPICS,
  type CardKeyDeliveredV1,
  type CardKeyStatusChangedV1,
  type DeliveryFailedV1,
  type OrderExpiredV1,
  type OrderPlacedV1,
  type OrderRefundedV1,
  type PaymentRecordedV1,
} from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { LedgerRepository } from './ledger.repository.js';

/** Mirrors the shop's ledger events into reconciliation's own tables. */
@Controller()
export class LedgerEventsConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
  ) {}

  @EventPattern(TOPICS.ledgerEvents)
  async onLedgerEvent(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, payload } = event;
    return applyOnce(this.dataSource, 'reconciliation.ledger-events', envelope.eventId, event.meta.topic, async (m) => {
      switch (envelope.type) {
        case LEDGER_EVENT_TYPES.orderPlaced:
          return this.ledger.upsertOrder(m, payload as OrderPlacedV1);
        case LEDGER_EVENT_TYPES.paymentRecorded:
        case LEDGER_EVENT_TYPES.paymentCorrected:
          await this.ledger.recordPayment(m, payload as PaymentRecordedV1);
          return;
        case LEDGER_EVENT_TYPES.cardKeyDelivered:
          return this.ledger.recordDelivery(m, envelope.eventId, payload as CardKeyDeliveredV1);
        case LEDGER_EVENT_TYPES.deliveryFailed:
          return this.ledger.recordDeliveryFailure(m, envelope.eventId, payload as DeliveryFailedV1);
        case LEDGER_EVENT_TYPES.orderExpired:
          return this.ledger.markOrder(m, payload as OrderExpiredV1, 'EXPIRED');
        case LEDGER_EVENT_TYPES.cardKeyStatusChanged:
          return this.ledger.applyKeyStatus(m, payload as CardKeyStatusChangedV1);
        case LEDGER_EVENT_TYPES.orderRefunded:
          return this.ledger.markOrder(m, payload as OrderRefundedV1, 'REFUNDED');
      }
    });
  }
}
