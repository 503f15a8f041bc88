import { Injectable } from '@nestjs/common';
import type { ClearingStatusChangedV1 } from '@pt/contracts';
import type { EntityManager } from 'typeorm';

/** The merchant-facing read model of each payment's clearing and settlement state. */
@Injectable()
export class PaymentStatusRepository {
  /** Applies a clearing status unless a newer one (higher version, then later time) is stored. */
  async applyClearing(m: EntityManager, e: ClearingStatusChangedV1): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO settlement.payments
         (payment_reference, order_number, merchant_id, channel, clearing_status, failure_code, amount_minor, currency,
          clearing_version, clearing_status_at, cleared_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10, CASE WHEN $5 = 'CLEARED' THEN $10::timestamptz END)
       ON CONFLICT (payment_reference) DO UPDATE SET
         clearing_status = EXCLUDED.clearing_status, failure_code = EXCLUDED.failure_code,
         amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency,
         clearing_version = EXCLUDED.clearing_version, clearing_status_at = EXCLUDED.clearing_status_at,
         merchant_id = COALESCE(EXCLUDED.merchant_id, settlement.payments.merchant_id),
         cleared_at = COALESCE(EXCLUDED.cleared_at, settlement.payments.cleared_at), updated_at = now()
       WHERE (settlement.payments.clearing_version, settlement.payments.clearing_status_at)
           < (EXCLUDED.clearing_version, EXCLUDED.clearing_status_at)
       RETURNING payment_reference`,
      [e.paymentReference, e.orderNumber, e.merchantId ?? null, e.channel, e.status, e.failureCode ?? null, e.amountMinor, e.currency, e.version, e.statusAt],
    );
    return rows.length > 0;
  }
}
