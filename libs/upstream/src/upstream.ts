import {
  CLEARING_EVENT_TYPE,
  LEDGER_EVENT_TYPES,
  SETTLEMENT_EVENT_TYPES,
  hashPhoneLast4,
  type CardKeyDeliveredV1,
  type CardKeyStatusChangedV1,
  type DeliveryFailedV1,
  type OrderExpiredV1,
  type ClearingStatus,
  type ClearingStatusChangedV1,
  type OrderPlacedV1,
  type PaymentRecordedV1,
  type SettlementBatchFailedV1,
  type SettlementBatchPaidV1,
} from '@pt/contracts';
import type { EventPublisher } from '@pt/kafka';
import { stableUuid } from './stable-id.js';

export interface SimOrder {
  orderNumber: string;
  accountId: string;
  phoneLast4: string;
  merchantId: string;
  sku: string;
  /** Units ordered, each owed one card key; 1 when absent. */
  quantity?: number;
  amountMinor: string;
  currency: string;
  placedAt: Date;
}

/** One payment of a settlement batch, as the payer's system knows it. */
export interface SimBatchPayment {
  paymentReference: string;
  amountMinor: string;
}

/** Plays the shop and the bank/channel: publishes their events for one order. */
export class Upstream {
  constructor(private readonly publisher: EventPublisher) {}

  async orderPlaced(o: SimOrder): Promise<void> {
    const payload: OrderPlacedV1 = {
      orderNumber: o.orderNumber,
      accountId: o.accountId,
      phoneLast4Hash: hashPhoneLast4(o.phoneLast4),
      merchantId: o.merchantId,
      sku: o.sku,
      quantity: o.quantity ?? 1,
      amountMinor: o.amountMinor,
      currency: o.currency,
      placedAt: o.placedAt.toISOString(),
      expiresAt: new Date(o.placedAt.getTime() + 15 * 60_000).toISOString(),
    };
    await this.publisher.publish(LEDGER_EVENT_TYPES.orderPlaced, o.orderNumber, payload, { eventId: stableUuid(`${o.orderNumber}:placed`) });
  }

  async paymentRecorded(o: SimOrder, paymentReference: string, channel: string, amountMinor = o.amountMinor): Promise<void> {
    const payload: PaymentRecordedV1 = {
      orderNumber: o.orderNumber,
      paymentReference,
      channel,
      amountMinor,
      currency: o.currency,
      paidAt: new Date(o.placedAt.getTime() + 60_000).toISOString(),
    };
    await this.publisher.publish(LEDGER_EVENT_TYPES.paymentRecorded, o.orderNumber, payload, { eventId: stableUuid(`${paymentReference}:recorded`) });
  }

  /** The shop delivered a card key; `nth` tells apart the keys of an order of several units. */
  async delivered(o: SimOrder, cardKeyRef: string, nth = 1): Promise<void> {
    const payload: CardKeyDeliveredV1 = {
      orderNumber: o.orderNumber,
      cardKeyRef,
      deliveredAt: new Date(o.placedAt.getTime() + 90_000).toISOString(),
    };
    const eventId = stableUuid(nth === 1 ? `${o.orderNumber}:delivered` : `${o.orderNumber}:delivered:${nth}`);
    await this.publisher.publish(LEDGER_EVENT_TYPES.cardKeyDelivered, o.orderNumber, payload, { eventId });
  }

  async clearing(
    o: SimOrder,
    paymentReference: string,
    channel: string,
    status: ClearingStatus,
    version: number,
    extra: { amountMinor?: string; failureCode?: string; at?: Date } = {},
  ): Promise<void> {
    const payload: ClearingStatusChangedV1 = {
      paymentReference,
      orderNumber: o.orderNumber,
      channel,
      status,
      ...(status === 'FAILED' ? { failureCode: extra.failureCode ?? 'INSUFFICIENT_FUNDS' } : {}),
      amountMinor: extra.amountMinor ?? o.amountMinor,
      currency: o.currency,
      version,
      statusAt: (extra.at ?? new Date(o.placedAt.getTime() + 120_000 + version * 1000)).toISOString(),
      merchantId: o.merchantId,
    };
    await this.publisher.publish(CLEARING_EVENT_TYPE, o.orderNumber, payload, { eventId: stableUuid(`${paymentReference}:clearing:${version}`) });
  }

  async deliveryFailed(o: SimOrder, reason: DeliveryFailedV1['reason'] = 'OUT_OF_STOCK'): Promise<void> {
    const payload: DeliveryFailedV1 = { orderNumber: o.orderNumber, reason, failedAt: new Date(o.placedAt.getTime() + 90_000).toISOString() };
    await this.publisher.publish(LEDGER_EVENT_TYPES.deliveryFailed, o.orderNumber, payload, { eventId: stableUuid(`${o.orderNumber}:delivery-failed`) });
  }

  async expired(o: SimOrder): Promise<void> {
    const payload: OrderExpiredV1 = { orderNumber: o.orderNumber, expiredAt: new Date(o.placedAt.getTime() + 15 * 60_000).toISOString() };
    await this.publisher.publish(LEDGER_EVENT_TYPES.orderExpired, o.orderNumber, payload, { eventId: stableUuid(`${o.orderNumber}:expired`) });
  }

  async keyStatus(o: SimOrder, cardKeyRef: string, status: CardKeyStatusChangedV1['status'], redeemedByAccountId?: string): Promise<void> {
    const payload: CardKeyStatusChangedV1 = {
      cardKeyRef,
      status,
      ...(redeemedByAccountId ? { redeemedByAccountId } : {}),
      at: new Date().toISOString(),
    };
    await this.publisher.publish(LEDGER_EVENT_TYPES.cardKeyStatusChanged, o.orderNumber, payload, { eventId: stableUuid(`${cardKeyRef}:status:${status}`) });
  }

  /** The payer paid a settlement batch out to the merchant's account (keyed by batch id). */
  async settlementBatchPaid(
    batch: {
      batchId: string;
      merchantId: string;
      payments: SimBatchPayment[];
      currency: string;
      paidAt: Date;
      feeMinor?: string;
      destinationAccountMasked?: string;
    },
    options: { eventId?: string } = {},
  ): Promise<SettlementBatchPaidV1> {
    const payload: SettlementBatchPaidV1 = {
      batchId: batch.batchId,
      merchantId: batch.merchantId,
      payments: batch.payments,
      amountMinor: batch.payments.reduce((sum, p) => sum + BigInt(p.amountMinor), 0n).toString(),
      feeMinor: batch.feeMinor ?? '0',
      currency: batch.currency,
      destinationAccountMasked: batch.destinationAccountMasked ?? '****6789',
      paidAt: batch.paidAt.toISOString(),
    };
    await this.publisher.publish(SETTLEMENT_EVENT_TYPES.batchPaid, batch.batchId, payload, { eventId: options.eventId ?? stableUuid(`${batch.batchId}:paid`) });
    return payload;
  }

  /** A settlement batch could not be paid out (keyed by batch id). */
  async settlementBatchFailed(
    batch: { batchId: string; merchantId: string; payments: SimBatchPayment[]; failureCode: string; failedAt: Date },
    options: { eventId?: string } = {},
  ): Promise<SettlementBatchFailedV1> {
    const payload: SettlementBatchFailedV1 = {
      batchId: batch.batchId,
      merchantId: batch.merchantId,
      payments: batch.payments,
      failureCode: batch.failureCode,
      failedAt: batch.failedAt.toISOString(),
    };
    await this.publisher.publish(SETTLEMENT_EVENT_TYPES.batchFailed, batch.batchId, payload, {
      eventId: options.eventId ?? stableUuid(`${batch.batchId}:failed`),
    });
    return payload;
  }
}
