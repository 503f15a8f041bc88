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
import { TriageRepository } from '../triage/triage.repository.js';
import { TriageSweeper } from '../triage/triage.sweeper.js';
import { LedgerRepository } from './ledger.repository.js';

/** Mirrors the shop's ledger events into reconciliation's own tables. */
@Controller()
export class LedgerEventsConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly triage: TriageRepository,
    private readonly sweeper: TriageSweeper,
  ) {}

  @EventPattern(TOPICS.ledgerEvents)
  async onLedgerEvent(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, payload } = event;
    let woke = 0;
    const outcome = await applyOnce(this.dataSource, 'reconciliation.ledger-events', envelope.eventId, event.meta.topic, async (m) => {
      switch (envelope.type) {
        case LEDGER_EVENT_TYPES.orderPlaced:
          return this.ledger.upsertOrder(m, payload as OrderPlacedV1);
        case LEDGER_EVENT_TYPES.paymentRecorded:
        case LEDGER_EVENT_TYPES.paymentCorrected:
          // A late callback may be what a waiting incident is waiting for.
          if (await this.ledger.recordPayment(m, payload as PaymentRecordedV1)) woke = await this.triage.makeDueNow(m, (payload as PaymentRecordedV1).orderNumber);
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
    if (woke > 0) this.sweeper.kick();
    return outcome;
  }
}
