import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SETTLEMENT_EVENT_TYPES, TOPICS, type SettlementBatchFailedV1, type SettlementBatchPaidV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import { PermanentMessageError, merchantMismatch, type ConsumeOutcome, type InboundEvent } from '@pt/kafka';
import { DataSource } from 'typeorm';
import { PaymentStatusRepository, type BatchOutcome } from './payment-status.repository.js';

/** Turns a batch event into the outcome each of its payments takes. */
export function batchOutcomeOf(type: string, payload: SettlementBatchPaidV1 | SettlementBatchFailedV1): BatchOutcome {
  const seen = new Set<string>();
  for (const p of payload.payments) {
    if (seen.has(p.paymentReference)) {
      throw new PermanentMessageError('INVALID_PAYLOAD', `payload.payments: payment ${p.paymentReference} appears twice in batch ${payload.batchId}`);
    }
    seen.add(p.paymentReference);
  }
  if (type === SETTLEMENT_EVENT_TYPES.batchPaid) {
    const paid = payload as SettlementBatchPaidV1;
    return {
      batchId: paid.batchId,
      merchantId: paid.merchantId,
      outcome: 'PAID',
      failureCode: null,
      at: paid.paidAt,
      currency: paid.currency,
      destinationAccountMasked: paid.destinationAccountMasked,
      payments: paid.payments,
    };
  }
  if (type === SETTLEMENT_EVENT_TYPES.batchFailed) {
    const failed = payload as SettlementBatchFailedV1;
    return {
      batchId: failed.batchId,
      merchantId: failed.merchantId,
      outcome: 'FAILED',
      failureCode: failed.failureCode,
      at: failed.failedAt,
      currency: null,
      destinationAccountMasked: null,
      payments: failed.payments,
    };
  }
  throw new PermanentMessageError('UNKNOWN_TYPE', `type: ${type} is not a settlement batch event`);
}

/**
 * Applies settlement batches (paid out or failed) to the payments they contain. A batch
 * with any payment stored under another merchant than the batch's is dead-lettered
 * (`MERCHANT_MISMATCH`) and none of its payments is changed: all or nothing.
 */
@Controller()
export class SettlementEventsConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentStatusRepository,
  ) {}

  @EventPattern(TOPICS.settlementEvents)
  async onSettlementEvent(@Payload() event: InboundEvent<SettlementBatchPaidV1 | SettlementBatchFailedV1>): Promise<ConsumeOutcome> {
    const batch = batchOutcomeOf(event.envelope.type, event.payload);
    return applyOnce(this.dataSource, 'settlement.settlement-events', event.envelope.eventId, event.meta.topic, async (m) => {
      const { otherMerchant } = await this.payments.applySettlementBatch(m, batch);
      if (otherMerchant.length > 0) throw merchantMismatch(`settlement batch ${batch.batchId}`, batch.merchantId, otherMerchant);
    });
  }
}
