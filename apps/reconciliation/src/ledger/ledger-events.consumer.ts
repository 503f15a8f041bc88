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
import { applyOnce, lockOrder, lockOrders } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { LedgerMirrorHooks } from './ledger-mirror.hooks.js';
import { LedgerRepository } from './ledger.repository.js';

/**
 * Mirrors the shop's ledger events into reconciliation's own tables. Each event is
 * applied under its order's lock (the one triage decides under), taken before anything
 * else of the order is touched, so a decision sees an event wholly or not at all, and the
 * hooks that make waiting incidents due (rows of triage_incidents) keep the lock order
 * every path follows: the order's lock, then its rows (see lockOrder in @pt/database).
 */
@Controller()
export class LedgerEventsConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly hooks: LedgerMirrorHooks,
  ) {}

  @EventPattern(TOPICS.ledgerEvents)
  async onLedgerEvent(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, payload } = event;
    return applyOnce(this.dataSource, 'reconciliation.ledger-events', envelope.eventId, event.meta.topic, async (m) => {
      if (envelope.type === LEDGER_EVENT_TYPES.cardKeyStatusChanged) {
        // No order on the event: the orders the key was delivered to (one, as a rule), sorted.
        await lockOrders(m, await this.ledger.ordersOfKey(m, (payload as CardKeyStatusChangedV1).cardKeyRef));
      } else {
        const { orderNumber } = payload as { orderNumber?: unknown };
        if (typeof orderNumber === 'string') await lockOrder(m, orderNumber);
      }
      switch (envelope.type) {
        case LEDGER_EVENT_TYPES.orderPlaced:
          // A report that raced the shop's feed may be waiting for this order.
          if (await this.ledger.upsertOrder(m, payload as OrderPlacedV1)) await this.hooks.orderPlaced(m, (payload as OrderPlacedV1).orderNumber);
          return;
        case LEDGER_EVENT_TYPES.paymentRecorded:
        case LEDGER_EVENT_TYPES.paymentCorrected:
          // A late callback may be what a waiting incident is waiting for.
          if (await this.ledger.recordPayment(m, payload as PaymentRecordedV1)) await this.hooks.paymentRecorded(m, (payload as PaymentRecordedV1).orderNumber);
          return;
        case LEDGER_EVENT_TYPES.cardKeyDelivered:
          return this.ledger.recordDelivery(m, envelope.eventId, payload as CardKeyDeliveredV1);
        case LEDGER_EVENT_TYPES.deliveryFailed:
          return this.ledger.recordDeliveryFailure(m, envelope.eventId, payload as DeliveryFailedV1);
        case LEDGER_EVENT_TYPES.orderExpired:
          return this.ledger.markOrder(m, payload as OrderExpiredV1, 'EXPIRED');
        case LEDGER_EVENT_TYPES.cardKeyStatusChanged: {
          // A key of the vault, allocated or redeemed, takes the state on its own row (the vault
          // listens); any other key, and every expiry, is recorded in the mirror.
          const e = payload as CardKeyStatusChangedV1;
          if ((await this.hooks.keyStatusReported(m, e)) && e.status !== 'EXPIRED') return;
          return this.ledger.recordKeyStatus(m, e);
        }
        case LEDGER_EVENT_TYPES.orderRefunded:
          return this.ledger.markOrder(m, payload as OrderRefundedV1, 'REFUNDED');
      }
    });
  }
}
